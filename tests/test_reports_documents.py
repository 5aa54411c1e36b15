"""The fixture class of tests/reports_data.py (numbers computed by hand in its docstring)
through the report URLs: the PDF's text and the XLSX's cells carry the same numbers."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from .reports_data import build_report_class

SCHOOL_LINE = "Муниципальное бюджетное общеобразовательное учреждение «МБОУ СОШ № 1»"


@pytest.fixture
def report(world, client):
    rc = build_report_class(world)
    client.force_login(world.class_teacher)

    def fetch(kind, fmt, **query):
        url = reverse("reports:class_report_file", kwargs={"pk": rc.klass.pk, "kind": kind, "fmt": fmt})
        resp = client.get(url, query)
        assert resp.status_code == 200, resp.content[:300]
        if fmt == "pdf":
            assert resp["Content-Type"] == "application/pdf"
            pages = PdfReader(io.BytesIO(resp.content)).pages
            text = "\n".join(p.extract_text() for p in pages)
            assert SCHOOL_LINE in text and f"Стр. 1 из {len(pages)}" in text
            return text.splitlines()
        (ws,) = load_workbook(io.BytesIO(resp.content)).worksheets
        assert ws.cell(1, 1).value == SCHOOL_LINE
        rows = (tuple(v for v in row if v is not None) for row in ws.iter_rows(values_only=True))
        return [r for r in rows if r]

    fetch.rc = rc
    return fetch


def test_class_results(report):
    q1 = {"period": report.rc.q1.pk}
    lines = report("class_results", "pdf", **q1)
    assert "Период: 1 четверть (01.09.2026 – 24.10.2026)" in lines
    # subject, teacher, N, 5/4/3/2/н/а/осв, pass rate, quality, СОУ, average
    assert any(ln.startswith("Математика ") and ln.endswith(" 4 1 1 1 1 0 0 75,0 50,0 54,0 3,50") for ln in lines)
    assert any(ln.startswith("Русский язык ") and ln.endswith(" 4 2 1 0 0 1 0 75,0 75,0 67,8 4,67") for ln in lines)
    assert "По классу 4 75,0 50,0 60,9 4,00" in lines

    rows = report("class_results", "xlsx", **q1)
    maths = next(r for r in rows if r[0] == "Математика")
    russian = next(r for r in rows if r[0] == "Русский язык")
    assert maths[2:] == (4, 1, 1, 1, 1, 0, 0, 75, 50, 54, 3.5)
    assert russian[2:] == (4, 2, 1, 0, 0, 1, 0, 75, 75, 67.8, 4.67)
    assert ("По классу", 4, 75, 50, 60.9, 4) in rows


def test_summary_sheet_of_marks(report):
    lines = report("summary_marks", "pdf")
    # Русский язык first (subject order), quarters 1–4 and the year; «—» where nothing is set
    assert "1 Иванова Мария Алексеевна 5 — — — — 5 — — — —" in lines
    assert "2 Кузнецов Сергей н/а — — — — 2 — — — —" in lines
    assert "3 Левин Олег (выбыл 01.10.2026) — — — — — 5 — — — —" in lines
    assert "Успеваемость, % 75,0 — — — — 75,0 — — — —" in lines
    assert "СОУ, % 67,8 — — — — 54,0 — — — —" in lines
    assert "Средний балл 4,67 — — — — 3,50 — — — —" in lines
    # the class over all subjects: 1 excellent, 1 good, 1 with one «3», 1 not attested
    assert "1 четверть 4 1 1 1 0 1 75,0 50,0 60,9 4,00" in lines
    assert "2 четверть 4 0 0 0 0 4 — — — —" in lines  # nothing graded yet: no figures, not 0 %

    rows = report("summary_marks", "xlsx")
    assert (2, "Кузнецов Сергей", "н/а", "2") in rows
    assert ("СОУ, %", 67.8, 54) in rows
    assert ("1 четверть", 4, 1, 1, 1, 0, 1, 75, 50, 60.9, 4) in rows


def test_class_attendance_for_a_month(report):
    lines = report("attendance_month", "pdf", month="2026-11")
    assert "Месяц: ноябрь 2026" in lines
    # by day 9, 10, 11 · days missed, of them ill · lessons missed: all, Б, УП, НП, Н · late
    assert "1 Иванова Мария Алексеевна 2 1 2 1 3 2 0 1 0 0" in lines
    assert "4 Смирнов Иван 1 0 0 1 0 1 0 0 0" in lines
    assert "Итого 3 1 0 2 1 4 2 1 1 0 1" in lines

    rows = report("attendance_month", "xlsx", month="2026-11")
    assert (1, "Иванова Мария Алексеевна", 2, 1, 2, 1, 3, 2, 0, 1, 0, 0) in rows
    assert (3, "Петров Дмитрий", 0, 0, 0, 0, 0, 0, 0, 1) in rows
    assert ("Итого", 3, 1, 0, 2, 1, 4, 2, 1, 1, 0, 1) in rows


def test_summary_attendance_sheet(report):
    lines = report("summary_attendance", "pdf")
    assert "Итого 0 0 4 0 0 0 0 0 0 2 1 4 2 1 1 0 1" in lines
    rows = report("summary_attendance", "xlsx")
    assert ("Итого", 0, 0, 4, 0, 0, 0, 0, 0, 0, 2, 1, 4, 2, 1, 1, 0, 1) in rows
    assert (5, "Смирнов Иван", 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0) in rows
