"""Marks by subject for a period: the averages and forecasts of journal.averages, as the parent sees them."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.averages import suggested_mark, weighted_average
from journal.models import Attendance

from . import factories as F
from .test_diary_week import MONDAY, fill_week


def quarter2(w):
    return w.year.periods.get(scheme="quarter", number=2)


def test_marks_average_forecast_and_counts(world, client_for):
    w = world
    test = F.WorkTypeFactory(school=w.school, code="test", name="Контрольная работа", weight=Decimal("2.0"))
    l1, l2, l3 = w.lessons
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=l1, work_type=w.work_type), pupil=w.pupil, value="5")
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=l2, work_type=test), pupil=w.pupil, value="3")
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=l3, work_type=w.work_type), pupil=w.pupil, value="4")
    F.AttendanceFactory(lesson=l1, pupil=w.pupil, code=Attendance.Code.LATE)
    F.AttendanceFactory(lesson=l2, pupil=w.pupil, code=Attendance.Code.ILL)
    F.AttendanceFactory(lesson=l3, pupil=w.pupil, code=Attendance.Code.UNEXCUSED)
    # A mark in another quarter does not count.
    q1_lesson = F.LessonFactory(assignment=w.assignment, date=MONDAY - timedelta(days=40), bell=l1.bell)
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=q1_lesson, work_type=w.work_type), pupil=w.pupil, value="2")

    resp = client_for(w.parent).get(reverse("diary:marks", args=[w.pupil.pk]), {"period": quarter2(w).pk})
    assert resp.status_code == 200
    (row,) = resp.context["progress"].rows
    assert [(m.value, m.date, m.work_type) for m in row.marks] == [
        ("5", l1.date, "Ответ на уроке"),
        ("3", l2.date, "Контрольная работа"),
        ("4", l3.date, "Ответ на уроке"),
    ]
    expected = weighted_average([(5, 1), (3, 2), (4, 1)])  # 3.75
    assert row.average == expected == Decimal("3.75")
    assert row.suggested == suggested_mark(expected) == 4
    # (5 + 3·2 + 4 + 5n) / (4 + n) ≥ 4.5 → n ≥ 6
    assert row.forecast == ["для «5» нужно ещё 6 отметок «5»"]
    assert (row.absences, row.lates) == (2, 1)
    html = resp.content.decode()
    assert "для «5» нужно ещё 6 отметок «5»" in html
    assert "3,75" in html


def test_period_mark_once_set_and_min_marks(world, client_for):
    w = world
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=w.lessons[0], work_type=w.work_type), pupil=w.pupil, value="5")
    resp = client_for(w.parent).get(reverse("diary:marks", args=[w.pupil.pk]), {"period": quarter2(w).pk})
    (row,) = resp.context["progress"].rows
    assert row.forecast == ["для аттестации нужно не меньше 3 отметок (сейчас 1)"]
    F.PeriodMarkFactory(pupil=w.pupil, assignment=w.assignment, period=quarter2(w), value="5")
    resp = client_for(w.parent).get(reverse("diary:marks", args=[w.pupil.pk]), {"period": quarter2(w).pk})
    (row,) = resp.context["progress"].rows
    assert row.period_mark == "5" and row.forecast == []
    assert '<td class="period-mark">5</td>' in resp.content.decode()


def test_unknown_period_falls_back(world, client_for):
    resp = client_for(world.parent).get(reverse("diary:marks", args=[world.pupil.pk]), {"period": "999999"})
    assert resp.status_code == 200 and resp.context["progress"].period is not None


def test_marks_queries_constant(world, client_for, django_assert_max_num_queries):
    w = world
    c = client_for(w.parent)
    url = reverse("diary:marks", args=[w.pupil.pk])
    params = {"period": quarter2(w).pk}
    fill_week(w, subjects=1, bells=1, days=1)
    c.get(url, params)  # the session's first request sets up the session (second factor gate)
    with CaptureQueriesContext(connection) as small:
        c.get(url, params)
    fill_week(w, subjects=5, bells=2, days=6, marks_per_lesson=3, tag="b")
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as large:
        resp = c.get(url, params)
    assert sum(len(r.marks) for r in resp.context["progress"].rows) > 150
    assert len(small.captured_queries) == len(large.captured_queries)
