"""Exam and final marks through the whole system (issue 16, point 1; docs/DESIGN.md §3.6, §4):
the year, exam and final marks of 9А (tests/exam_data.py) appear in the summary sheets
(class, subject, whole school), the class results, the final data per pupil and the printed
journal, in the PDF's text and the XLSX's cells, and in the parent's diary the day they are
set. A class without exams (5А) has the «Год» column and no exam columns."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from journal import rules
from journal.models import PeriodMark
from reports import tasks
from reports.models import ReportJob

from . import factories as F
from .exam_data import build_exam_class


@pytest.fixture
def ec(world):
    return build_exam_class(world)


def pdf_lines(content) -> list[str]:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    return [line.strip() for page in pages for line in page.splitlines()]


def line_starting(lines, prefix) -> str:
    found = [line for line in lines if line.startswith(prefix)]
    assert len(found) == 1, (prefix, found)
    return found[0]


def sheet_rows(content) -> list[list]:
    wb = load_workbook(io.BytesIO(content))
    rows = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            if values:
                rows.append(values)
    return rows


def row_starting(rows, first) -> list:
    found = [r for r in rows if r[0] == first]
    assert len(found) == 1, (first, found)
    return found[0]


def class_file(client, klass, kind, fmt, **query):
    resp = client.get(reverse("reports:class_report_file", kwargs={"pk": klass.pk, "kind": kind, "fmt": fmt}), query)
    assert resp.status_code == 200
    return resp.content


def subject_file(client, a, kind, fmt, **query):
    resp = client.get(reverse("reports:assignment_report_file", kwargs={"pk": a.pk, "kind": kind, "fmt": fmt}), query)
    assert resp.status_code == 200
    return resp.content


def test_grades_9_and_11_have_exams_the_others_not(world):
    assert [g for g in range(1, 12) if rules.has_exams(g)] == [9, 11]
    assert rules.has_exams(F.ClassFactory(year=world.year, grade=11, letter="А"))
    assert not rules.has_exams(world.klass)


def test_period_marks_of_a_year_and_its_exams(world, ec):
    other = F.YearFactory(school=world.school, name="2027/2028", start=date(2027, 9, 1), end=date(2028, 5, 31))
    F.PeriodMarkFactory(
        assignment=F.AssignmentFactory(school_class=F.ClassFactory(year=other, grade=9)),
        pupil=F.UserFactory(school=world.school),
    )
    assert PeriodMark.objects.of_year(world.year).count() == 12
    assert PeriodMark.objects.count() == 13
    assert set(PeriodMark.objects.of_year(world.year).exams().values_list("kind", flat=True)) == {"exam", "final"}
    assert PeriodMark.objects.exams().count() == 8


# --- сводная ведомость класса -------------------------------------------------------------
# 9А columns: Русский язык 1 ч … 4 ч, Год, Экзамен, Итоговая; then Математика the same.


def test_summary_sheet_pdf_has_year_exam_and_final_columns(world, ec, client_for):
    lines = pdf_lines(class_file(client_for(ec.class_teacher), ec.klass, "summary_marks", "pdf"))
    text = "\n".join(lines)
    assert "Экзамен" in text and "Итоговая" in text and "Год" in text
    assert line_starting(lines, "1 Акимов") == "1 Акимов Павел — — — — 4 3 4 — — — — 4 5 5"
    assert line_starting(lines, "2 Борисова") == "2 Борисова Юлия — — — — 5 5 5 — — — — 3 3 3"
    assert line_starting(lines, "Качество, %") == "Качество, % — — — — 100,0 50,0 100,0 — — — — 50,0 50,0 50,0"
    # Итоги по классу by the final marks: 2 pupils, 0 отличников, 1 хорошист, 1 с одной «3».
    assert line_starting(lines, "итоговая отметка") == "итоговая отметка 2 0 1 1 0 0 100,0 50,0 75,0 4,25"


def test_summary_sheet_xlsx_cells_hold_the_exam_and_final_marks(world, ec, client_for):
    rows = sheet_rows(class_file(client_for(world.deputy), ec.klass, "summary_marks", "xlsx"))
    header = next(r for r in rows if "Экзамен" in r)
    assert header[2:9] == ["1 ч", "2 ч", "3 ч", "4 ч", "Год", "Экзамен", "Итоговая"]
    assert header[9:16] == header[2:9]
    assert row_starting(rows, 1) == [
        1,
        "Акимов Павел",
        None,
        None,
        None,
        None,
        "4",
        "3",
        "4",
        None,
        None,
        None,
        None,
        "4",
        "5",
        "5",
    ]
    assert row_starting(rows, "итоговая отметка")[1:] == [2, 0, 1, 1, 0, 0, 100, 50, 75, 4.25]


def test_a_class_without_exams_has_the_year_column_only(world, ec, client_for):
    F.PeriodMarkFactory(
        assignment=world.assignment, pupil=world.pupil, period=ec.year_period, kind=PeriodMark.Kind.YEAR, value="4"
    )
    rows = sheet_rows(class_file(client_for(world.class_teacher), world.klass, "summary_marks", "xlsx"))
    header = next(r for r in rows if "Год" in r)
    assert "Экзамен" not in header and "Итоговая" not in header
    assert row_starting(rows, 1)[:7] == [1, "Иванова Мария Алексеевна", None, None, None, None, "4"]


# --- сводная ведомость по предмету, итоги по предмету, страницы журнала ------------------


def test_subject_summary_has_exam_and_final_columns(world, ec, client_for):
    client = client_for(world.teacher)
    lines = pdf_lines(subject_file(client, ec.maths, "subject_summary", "pdf"))
    assert line_starting(lines, "1 Акимов") == "1 Акимов Павел — — — — 4 5 5"
    rows = sheet_rows(subject_file(client, ec.maths, "subject_summary", "xlsx"))
    assert next(r for r in rows if "Экзамен" in r)[2:9] == ["1 ч", "2 ч", "3 ч", "4 ч", "Год", "Экзамен", "Итоговая"]
    assert row_starting(rows, 2) == [2, "Борисова Юлия", None, None, None, None, "3", "3", "3"]
    assert row_starting(rows, "Средний балл")[6:9] == [3.5, 4, 4]


def test_subject_results_for_the_year_show_exam_and_final(world, ec, client_for):
    rows = sheet_rows(
        subject_file(client_for(world.teacher), ec.maths, "subject_results", "xlsx", period=ec.year_period.pk)
    )
    header = next(r for r in rows if "Экзамен" in r)
    assert header[2:5] == ["Год", "Экзамен", "Итоговая"]
    assert row_starting(rows, 1)[:5] == [1, "Акимов Павел", "4", "5", "5"]


def test_printed_journal_pages_of_the_year_end_with_exam_and_final(world, ec, client_for):
    client = client_for(world.teacher)
    rows = sheet_rows(subject_file(client, ec.maths, "journal_pages", "xlsx", period=ec.year_period.pk))
    header = next(r for r in rows if "Экзамен" in r)
    assert header[-3:] == ["Год", "Экзамен", "Итоговая"]
    assert row_starting(rows, 1)[-3:] == ["4", "5", "5"]
    lines = pdf_lines(subject_file(client, ec.maths, "journal_pages", "pdf", period=ec.year_period.pk))
    assert line_starting(lines, "1 Акимов").endswith("4 5 5")


# --- итоги успеваемости класса, итоговые данные по учащимся -------------------------------


def test_class_results_for_the_year_have_a_table_per_kind(world, ec, client_for):
    content = class_file(client_for(ec.class_teacher), ec.klass, "class_results", "pdf", period=ec.year_period.pk)
    lines = pdf_lines(content)
    assert [x for x in lines if x.endswith("отметки")] == [
        "Годовые отметки",
        "Экзаменационные отметки",
        "Итоговые отметки",
    ]
    # Математика: year 4, 3; exam 5, 3; final 5, 3 (teacher Соколов А. В.)
    maths = [x for x in lines if x.startswith("Математика")]
    assert len(maths) == 3
    assert maths[1].endswith("2 1 0 1 0 0 0 100,0 50,0 68,0 4,00")
    rows = sheet_rows(class_file(client_for(world.deputy), ec.klass, "class_results", "xlsx", period=ec.year_period.pk))
    assert "Экзаменационные отметки" in [r[0] for r in rows]
    final_russian = [r for r in rows if r[0] == "Русский язык"][2]
    assert final_russian[2:8] == [2, 1, 1, 0, 0, 0]


def test_final_data_per_pupil_show_exams_and_the_final_standing(world, ec, client_for):
    rows = sheet_rows(class_file(client_for(world.deputy), ec.klass, "pupil_results", "xlsx", period=ec.year_period.pk))
    header = next(r for r in rows if "Экзамен" in r)
    assert header[8:11] == ["Год", "Экзамен", "Итоговая"]
    akimov = row_starting(rows, 1)
    assert akimov[8:11] == ["хорошист", "Рус. 3, Математика 5", "хорошист"]
    assert row_starting(rows, 2)[9:11] == ["Рус. 5, Математика 3", "с одной «3»"]


# --- архивная копия: сводные ведомости всех классов ---------------------------------------


def test_school_summaries_archive_copy_carries_the_exam_columns(world, ec, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    job = F.ReportJobFactory(created_by=world.deputy, kind="school_summaries", params={"object": world.year.pk})
    tasks.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    with job.file.open("rb") as f:
        lines = pdf_lines(f.read())
    assert "1 Акимов Павел — — — — 4 3 4 — — — — 4 5 5" in lines


# --- дневник --------------------------------------------------------------------------------


def test_the_parent_sees_year_exam_and_final_marks_in_the_diary(world, ec, client_for):
    pupil = ec.pupils["akimov"]
    resp = client_for(ec.parent).get(reverse("diary:marks", args=[pupil.pk]))
    assert resp.status_code == 200
    marks = [(r.subject.name, r.year, r.exam, r.final) for r in resp.context["progress"].year_marks]
    assert marks == [("Русский язык", "4", "3", "4"), ("Математика", "4", "5", "5")]
    html = resp.content.decode()
    assert "Итоги учебного года" in html and "<th>Экзамен</th>" in html and "<th>Итоговая</th>" in html


def test_a_mark_set_today_is_in_the_diary_at_once(world, ec, client_for):
    pupil = ec.pupils["borisova"]
    F.GuardianshipFactory(parent=world.other_parent, child=pupil)
    client = client_for(world.other_parent)
    PeriodMark.objects.filter(pupil=pupil, subject=world.subject, kind="final").update(value="4")
    resp = client.get(reverse("diary:marks", args=[pupil.pk]))
    assert [r.final for r in resp.context["progress"].year_marks] == ["5", "4"]


def test_a_class_without_exams_shows_the_year_mark_only(world, ec, client_for):
    F.PeriodMarkFactory(
        assignment=world.assignment, pupil=world.pupil, period=ec.year_period, kind=PeriodMark.Kind.YEAR, value="4"
    )
    resp = client_for(world.parent).get(reverse("diary:marks", args=[world.pupil.pk]))
    assert [(r.subject.name, r.year) for r in resp.context["progress"].year_marks] == [("Математика", "4")]
    html = resp.content.decode()
    assert "Итоги учебного года" in html and "<th>Экзамен</th>" not in html


def test_an_exam_not_sat_is_left_out_of_the_exam_figures(world, ec, client_for):
    # Борисова does not sit the mathematics exam: the exam column counts Акимов alone.
    PeriodMark.objects.filter(pupil=ec.pupils["borisova"], subject=ec.maths.subject, kind=PeriodMark.Kind.EXAM).delete()
    rows = sheet_rows(subject_file(client_for(world.teacher), ec.maths, "subject_summary", "xlsx"))
    assert row_starting(rows, "Успеваемость, %")[6:9] == [100, 100, 100]
    assert row_starting(rows, "Средний балл")[6:9] == [3.5, 5, 4]
    sheet = sheet_rows(class_file(client_for(world.deputy), ec.klass, "summary_marks", "xlsx"))
    assert row_starting(sheet, "Средний балл")[14] == 5  # the class sheet's mathematics exam column
    assert row_starting(sheet, "экзамен")[1] == 2  # both sat an exam (Борисова the Russian one)
