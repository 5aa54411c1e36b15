"""Deputy's control figures on crafted data: plan vs delivered hours on the page, and the
printable control report (PDF read back with pypdf, XLSX with openpyxl) with the same numbers.

Now is 20.11.2026 12:00, inside the 2nd quarter (05.11–28.12). Соколов's mathematics in 5А:
lessons of 5 and 6 October (1st quarter, filled), 9.11 filled on time with homework, 10.11
filled late (given to Орлова as a substitute), 11.11 unfilled, 12.11 cancelled, 25.11 still
ahead. Иванова (5А) has one mark, on 9.11; Сидоров (5Б) none. 5Б's mathematics (Волкова):
the lesson of 9.11, unfilled. КТП of 5А mathematics: 66 hours, the curriculum says 68.
"""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.activity import count_diary_view
from journal.control import lessons as lesson_checks
from journal.control import report as control
from journal.models import Lesson, StudyPeriod
from journal.services import plans as plan_service
from reports import jobs
from reports.models import ReportJob

from . import factories as F

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=MSK)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def q(world, n):
    return StudyPeriod.objects.get(year=world.year, scheme="quarter", number=n)


@pytest.fixture
def crafted(world, frozen):
    w = world
    bell = w.lessons[0].bell

    def filled(lesson, late=False):
        Lesson.objects.filter(pk=lesson.pk).update(topic="Тема урока", topic_set_at=NOW, topic_late=late)
        F.AttendanceRollFactory(lesson=lesson, taken_by=w.teacher)

    for day in (date(2026, 10, 5), date(2026, 10, 6)):
        filled(F.LessonFactory(assignment=w.assignment, date=day, bell=bell))
    nine, ten, _eleven = w.lessons
    filled(nine)
    F.HomeworkFactory(lesson=nine)
    filled(ten, late=True)
    F.LessonFactory(assignment=w.assignment, date=date(2026, 11, 12), bell=bell, status=Lesson.Status.CANCELLED)
    F.LessonFactory(assignment=w.assignment, date=date(2026, 11, 25), bell=bell)
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=nine, work_type=w.work_type), pupil=w.pupil, value="4")
    F.SubstitutionFactory(lesson=ten, substitute=w.class_teacher, assigned_by=w.deputy)
    F.CurriculumFactory(school_class=w.klass, subject=w.subject, hours_per_year=68)
    plan_service.replace_plan(
        w.teacher,
        assignment_id=w.assignment.pk,
        rows=[{"topic": "Числа", "hours": 40}, {"topic": "Дроби", "hours": 26}],
    )
    count_diary_view(w.parent, now=datetime(2026, 11, 10, 19, 0, tzinfo=MSK))
    lesson_checks.lesson_unfilled(w.school, NOW)  # opens 11.11 (5А) and 9.11 (5Б)
    return w


def by_assignment(stats):
    return {s.assignment_id: s for s in stats}


def test_plan_hours_are_the_plans_and_delivered_hours_count_from_the_start_of_the_year(crafted):
    w = crafted
    period = q(w, 2)
    stats = by_assignment(control.journal_stats(w.school, period.start, period.end, NOW))
    math5a = stats[w.assignment.pk]
    assert (math5a.lessons, math5a.on_time, math5a.late, math5a.unfilled) == (3, 1, 1, 1)
    assert (math5a.plan_hours, math5a.curriculum_hours, math5a.held_to_date) == (66, 68, 5)
    math5b = stats[w.other_assignment.pk]
    assert (math5b.plan_hours, math5b.curriculum_hours, math5b.held_to_date) == (None, 0, 1)

    # For the 1st quarter, delivered hours stop at its end: the two October lessons.
    first = q(w, 1)
    math5a_q1 = by_assignment(control.journal_stats(w.school, first.start, first.end, NOW))[w.assignment.pk]
    assert (math5a_q1.lessons, math5a_q1.held_to_date, math5a_q1.plan_hours) == (2, 2, 66)

    # Summed per teacher / class: a journal without a plan adds nothing to the plan's hours.
    (school_5a,) = [g for g in control.by_class(list(stats.values())) if g.key == w.klass.pk]
    assert (school_5a.plan_hours, school_5a.held_to_date) == (66, 5)


def test_the_control_page_shows_plan_against_delivered(crafted, client_for):
    page = client_for(crafted.deputy).get(reverse("journal:control"), {"period": q(crafted, 2).pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "66 (68) / 5" in html
    assert "— / 1" in html  # 5Б: no plan, no curriculum line, one lesson held
    assert "часы тематического планирования на весь учебный год" in html
    assert reverse("reports:school_report_file", kwargs={"kind": "control", "fmt": "pdf"}) in html


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def download(client, fmt, period):
    """The control report is a job (4–11 s over a school, docs/DESIGN.md §4.5): ordered,
    built as the worker builds it, fetched from the job's page."""
    url = reverse("reports:school_report_file", kwargs={"kind": "control", "fmt": fmt})
    assert client.get(url, {"period": period.pk}).status_code == 404  # never inside a request
    resp = client.post(reverse("reports:job_create"), {"kind": "control", "period": period.pk, "format": fmt})
    assert resp.status_code == 302, resp.status_code
    job = ReportJob.objects.get(kind="control")
    assert job.params["format"] == fmt
    jobs.run_job(job.pk)
    resp = client.get(reverse("reports:job_file", args=[job.pk]))
    assert resp.status_code == 200, resp.status_code
    assert 'filename="kontrolnyi-otchet_2026-2027_2-chetvert_' in resp["Content-Disposition"]
    return b"".join(resp.streaming_content)


# Соколов: 3 lessons, 1 on time / 1 late / 1 unfilled (33,3 % each), homework 33,3 %, 1 mark over
# 1 pupil × 3 lessons = 0,33; no pupil without marks, 100 % with one; КТП 66, plan 68, 5 held; 1 open.
SOKOLOV = ["Соколов А. В.", 3, 33.3, 33.3, 33.3, 33.3, 0.33, 0, 100, 66, 68, 5, 1]
# Волкова: 1 lesson unfilled, no homework, no marks over 1 pupil × 1 lesson; no plan, no line; 1 held, 1 open.
VOLKOVA = ["Волкова И. П.", 1, 0, 0, 100, 0, 0, 100, 0, None, None, 1, 1]
# School: 4 lessons; 1 mark / (3 + 1) = 0,25; 2 pupils, 1 without marks, 1 with one mark; 6 held, 2 open.
SCHOOL = ["Всего по школе", 4, 25, 25, 50, 25, 0.25, 50, 50, 66, 68, 6, 2]


def test_control_report_pdf(crafted, client_for):
    content = download(client_for(crafted.deputy), "pdf", q(crafted, 2))
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(content)).pages]
    text = "\n".join(pages)
    lines = [line.strip() for line in text.splitlines()]
    assert "Контрольный отчёт о ведении электронного журнала" in text
    assert "Муниципальное бюджетное общеобразовательное учреждение «МБОУ СОШ № 1»" in pages[0]
    assert f"Стр. 1 из {len(pages)}" in pages[0]
    assert "Соколов А. В. 3 33,3 33,3 33,3 33,3 0,33 0,0 100,0 66 68 5 1" in lines
    assert "Волкова И. П. 1 0,0 0,0 100,0 0,0 0,00 100,0 0,0 — — 1 1" in lines
    # The narrow first column wraps «Всего по школе» onto two lines.
    assert "Всего по школе 4 25,0 25,0 50,0 25,0 0,25 50,0 50,0 66 68 6 2" in " ".join(text.split())
    assert "Орлова Е. С. 1" in lines  # one lesson substituted
    assert "Замещено уроков 1" in lines
    assert "Родители: открывали дневник 1 из 2" in lines
    assert "Родители: открывали дневник, % 50,0" in lines
    assert "Учащиеся: открывали дневник 0 из 2" in lines
    assert "Учащиеся: открывали дневник, % 0,0" in lines
    assert "урок не заполнен в день урока 2" in lines


def test_control_report_xlsx(crafted, client_for):
    content = download(client_for(crafted.director), "xlsx", q(crafted, 2))
    (ws,) = load_workbook(io.BytesIO(content)).worksheets
    rows = [list(r) for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]

    def row(first):
        found = [r for r in rows if r[0] == first]
        assert len(found) == 1, (first, found)
        values = found[0]
        while values and values[-1] is None:
            values = values[:-1]
        return values

    assert row("Соколов А. В.") == SOKOLOV
    assert row("Волкова И. П.") == VOLKOVA
    assert row("Всего по школе") == SCHOOL
    assert row("Орлова Е. С.") == ["Орлова Е. С.", 1]
    assert row("Замещено уроков") == ["Замещено уроков", 1]
    assert row("Родители: открывали дневник, %") == ["Родители: открывали дневник, %", 50]
    assert row("Учащиеся: открывали дневник, %") == ["Учащиеся: открывали дневник, %", 0]
    assert row("5А")[:2] == ["5А", 3]


def test_control_report_is_for_staff_only(crafted, client_for):
    url = reverse("reports:school_report_file", kwargs={"kind": "control", "fmt": "pdf"})
    for user in (crafted.teacher, crafted.class_teacher, crafted.parent):
        assert client_for(user).get(url).status_code == 403
