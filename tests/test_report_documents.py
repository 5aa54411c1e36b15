"""Class report documents of the fixture class (tests/reports_data.py), as the user downloads them.

PDF and XLSX come from the report views (registry builder → renderer), the archive PDF from the
Celery job function; the PDF's text is read back with pypdf, the XLSX with openpyxl, and both
must hold the hand-computed numbers of the fixture.
"""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import tasks
from reports.builders import common as C
from reports.models import ReportJob

from . import factories as F
from .reports_data import build_report_class

SCHOOL_FULL_NAME = "Муниципальное бюджетное общеобразовательное учреждение «МБОУ СОШ № 1»"
BUILT_ON = date(2026, 11, 23)  # inside the 2nd quarter, after Левин left (01.10)


@pytest.fixture
def rc(world, monkeypatch):
    """The fixture class; the builders count pupils on min(period end, today): today is pinned."""
    count_date = C.count_date
    monkeypatch.setattr(C, "count_date", lambda period, today=None: count_date(period, today or BUILT_ON))
    return build_report_class(world)


@pytest.fixture
def download(rc, world, client_for):
    """download(kind, fmt, **query) -> the file the class teacher gets from the report view."""
    client = client_for(world.class_teacher)

    def get(kind, fmt, **query):
        url = reverse("reports:class_report_file", kwargs={"pk": rc.klass.pk, "kind": kind, "fmt": fmt})
        resp = client.get(url, query)
        assert resp.status_code == 200
        assert resp["Content-Type"].startswith({"pdf": "application/pdf", "xlsx": "application/vnd.openxml"}[fmt])
        return resp.content

    return get


def pdf_pages(content) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def lines(pages) -> list[str]:
    return [line.strip() for page in pages for line in page.splitlines()]


def line_starting(pages, prefix) -> str:
    found = [line for line in lines(pages) if line.startswith(prefix)]
    assert len(found) == 1, (prefix, found)
    return found[0]


def assert_print_frame(pages):
    """Every page carries the school's full name and «Стр. i из N»."""
    assert pages
    for i, text in enumerate(pages, 1):
        assert SCHOOL_FULL_NAME in text
        assert f"Стр. {i} из {len(pages)}" in text


def sheet_rows(content) -> list[tuple]:
    (ws,) = load_workbook(io.BytesIO(content)).worksheets
    return [row for row in ws.iter_rows(values_only=True) if any(v is not None for v in row)]


def row_starting(rows, first) -> tuple:
    found = [r for r in rows if r[0] == first]
    assert len(found) == 1, (first, found)
    return found[0]


def trimmed(row) -> list:
    """The row's values without the trailing empty cells."""
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return values


# --- сводная ведомость учёта успеваемости -------------------------------------------------
# Columns: Русский язык (order 1) 1 ч … 4 ч, год; then Математика (order 2) the same.
# Russian over Q1: 5,5,4,н/а → 75,0 / 75,0 / 67,8 / 4,67; mathematics: 5,4,3,2 → 75,0 / 50,0 / 54,0 / 3,50
# (Левин's «5» is printed in his row but he is not counted: he left before the period's end).
# Class in Q1: 3 of 4 pass = 75,0; 2 of 4 only «4»/«5» = 50,0; СОУ 4,87/8 = 60,9; average 28/7 = 4,00.


def test_summary_sheet_pdf(download):
    pages = pdf_pages(download("summary_marks", "pdf"))
    assert_print_frame(pages)
    assert "Сводная ведомость учёта успеваемости обучающихся" in pages[0]
    assert line_starting(pages, "1 Иванова") == "1 Иванова Мария Алексеевна 5 — — — — 5 — — — —"
    assert line_starting(pages, "2 Кузнецов") == "2 Кузнецов Сергей н/а — — — — 2 — — — —"
    assert line_starting(pages, "3 Левин") == "3 Левин Олег (выбыл 01.10.2026) — — — — — 5 — — — —"
    assert line_starting(pages, "4 Петров") == "4 Петров Дмитрий 5 — — — — 4 — — — —"
    assert line_starting(pages, "5 Смирнов") == "5 Смирнов Иван 4 — — — — 3 — — — —"
    assert line_starting(pages, "Успеваемость, %") == "Успеваемость, % 75,0 — — — — 75,0 — — — —"
    assert line_starting(pages, "Качество, %") == "Качество, % 75,0 — — — — 50,0 — — — —"
    assert line_starting(pages, "СОУ, %") == "СОУ, % 67,8 — — — — 54,0 — — — —"
    assert line_starting(pages, "Средний балл") == "Средний балл 4,67 — — — — 3,50 — — — —"
    # Итоги по классу: pupils, отличники, хорошисты, с одной «3», неуспевающие, не аттестованы, 4 metrics
    assert line_starting(pages, "1 четверть") == "1 четверть 4 1 1 1 0 1 75,0 50,0 60,9 4,00"
    assert line_starting(pages, "2 четверть").endswith("— — — —")  # nothing graded yet: no figures


def test_summary_sheet_xlsx(download):
    rows = sheet_rows(download("summary_marks", "xlsx"))
    assert rows[0][0] == SCHOOL_FULL_NAME
    assert trimmed(row_starting(rows, 1)) == [1, "Иванова Мария Алексеевна", "5", None, None, None, None, "5"]
    assert trimmed(row_starting(rows, 2)) == [2, "Кузнецов Сергей", "н/а", None, None, None, None, "2"]
    assert trimmed(row_starting(rows, 3)) == [3, "Левин Олег (выбыл 01.10.2026)", None, None, None, None, None, "5"]
    # Numbers are numbers in the spreadsheet, the same as on paper.
    assert trimmed(row_starting(rows, "Успеваемость, %")) == ["Успеваемость, %", None, 75, None, None, None, None, 75]
    assert trimmed(row_starting(rows, "Качество, %")) == ["Качество, %", None, 75, None, None, None, None, 50]
    assert trimmed(row_starting(rows, "СОУ, %")) == ["СОУ, %", None, 67.8, None, None, None, None, 54]
    assert trimmed(row_starting(rows, "Средний балл")) == ["Средний балл", None, 4.67, None, None, None, None, 3.5]
    assert trimmed(row_starting(rows, "1 четверть")) == ["1 четверть", 4, 1, 1, 1, 0, 1, 75, 50, 60.9, 4]
    assert all(isinstance(v, int | float) for v in row_starting(rows, "1 четверть")[1:11])


# --- итоги успеваемости класса за период --------------------------------------------------
# Columns: предмет, учитель, учеников, 5, 4, 3, 2, н/а, осв, успеваемость, качество, СОУ, средний балл.


def test_class_results_pdf(download, rc):
    pages = pdf_pages(download("class_results", "pdf", period=rc.q1.pk))
    assert_print_frame(pages)
    assert "Период: 1 четверть (01.09.2026 – 24.10.2026)" in pages[0]
    assert line_starting(pages, "Русский язык").endswith(" 4 2 1 0 0 1 0 75,0 75,0 67,8 4,67")
    assert line_starting(pages, "Математика") == "Математика Соколов А. В. 4 1 1 1 1 0 0 75,0 50,0 54,0 3,50"
    assert line_starting(pages, "По классу") == "По классу 4 75,0 50,0 60,9 4,00"


def test_class_results_xlsx(download, rc):
    rows = sheet_rows(download("class_results", "xlsx", period=rc.q1.pk))
    assert rows[0][0] == SCHOOL_FULL_NAME
    russian = row_starting(rows, "Русский язык")
    assert list(russian[2:]) == [4, 2, 1, 0, 0, 1, 0, 75, 75, 67.8, 4.67]
    maths = row_starting(rows, "Математика")
    assert list(maths) == ["Математика", "Соколов А. В.", 4, 1, 1, 1, 1, 0, 0, 75, 50, 54, 3.5]
    total = row_starting(rows, "По классу")
    assert list(total) == ["По классу", None, 4, None, None, None, None, None, None, 75, 50, 60.9, 4]


# --- посещаемость класса за месяц ---------------------------------------------------------
# November 2026, lessons on 9 (mathematics, Russian), 10 and 11 (mathematics).
# Columns: №, pupil, missed lessons on 9, 10, 11; days: всего, по болезни; lessons: всего, Б, УП, НП, Н;
# опозданий. Иванова: 9.11 ill at both lessons (a whole day, ill), 10.11 НП at the only lesson (a
# whole day): days 2, ill 1, lessons 3 = Б 2 + НП 1. Смирнов: УП at one of two lessons on 9.11
# (not a whole day). Петров: late once (not an absence). Totals: 3 1 0 | 2 1 | 4 2 1 1 0 | 1.


def test_class_attendance_month_pdf(download):
    pages = pdf_pages(download("attendance_month", "pdf", month="2026-11"))
    assert_print_frame(pages)
    assert "Месяц: ноябрь 2026" in pages[0]
    assert line_starting(pages, "1 Иванова") == "1 Иванова Мария Алексеевна 2 1 2 1 3 2 0 1 0 0"
    assert line_starting(pages, "2 Кузнецов") == "2 Кузнецов Сергей 0 0 0 0 0 0 0 0"
    assert line_starting(pages, "3 Петров") == "3 Петров Дмитрий 0 0 0 0 0 0 0 1"
    assert line_starting(pages, "4 Смирнов") == "4 Смирнов Иван 1 0 0 1 0 1 0 0 0"
    assert line_starting(pages, "Итого") == "Итого 3 1 0 2 1 4 2 1 1 0 1"
    # Левин left in October: not on the November sheet.
    assert "Левин" not in "".join(pages)


def test_class_attendance_month_xlsx(download):
    rows = sheet_rows(download("attendance_month", "xlsx", month="2026-11"))
    assert rows[0][0] == SCHOOL_FULL_NAME
    assert list(row_starting(rows, 1)) == [1, "Иванова Мария Алексеевна", 2, 1, None, 2, 1, 3, 2, 0, 1, 0, 0]
    assert list(row_starting(rows, 3)) == [3, "Петров Дмитрий", None, None, None, 0, 0, 0, 0, 0, 0, 0, 1]
    assert list(row_starting(rows, 4)) == [4, "Смирнов Иван", 1, None, None, 0, 0, 1, 0, 1, 0, 0, 0]
    assert list(row_starting(rows, "Итого")) == ["Итого", None, 3, 1, 0, 2, 1, 4, 2, 1, 1, 0, 1]


# --- the archive copy, built by the Celery job ------------------------------------------


def test_school_summaries_job_pdf(rc, world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    job = F.ReportJobFactory(created_by=world.deputy, kind="school_summaries", params={"object": world.year.pk})
    tasks.run_job(job.pk)  # what the worker runs for the queued job
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    with job.file.open("rb") as f:
        pages = pdf_pages(f.read())
    # One part per class, each from a new page: 5А on page 1, 5Б on page 2. Each class's
    # sheet is rendered on its own (the job reports per class), the pages numbered over the
    # whole document when they are joined (reports/render/pdf.py merge_pdfs).
    assert len(pages) == 2
    assert_print_frame(pages)
    assert "Класс: 5А" in pages[0] and "Класс: 5Б" in pages[1]
    assert "СОУ, % 67,8 — — — — 54,0 — — — —" in pages[0].splitlines()
    assert "1 четверть 4 1 1 1 0 1 75,0 50,0 60,9 4,00" in pages[0].splitlines()
