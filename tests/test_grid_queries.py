"""The grid page runs a fixed number of SQL queries whatever the class and period size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.models import Attendance, Mark, StudyPeriod

from . import factories as F


def fill_journal(world, pupils, lessons, letter):
    """A class journal of the world's teacher: `pupils` × `lessons` in quarter 2, marks and absences."""
    klass = F.ClassFactory(year=world.year, grade=6, letter=letter, class_teacher=world.class_teacher)
    assignment = F.AssignmentFactory(school_class=klass, subject=world.subject, teacher=world.teacher)
    q2 = StudyPeriod.objects.get(year=world.year, scheme="quarter", number=2)
    people = [F.EnrollmentFactory(school_class=klass).pupil for _ in range(pupils)]
    bells = [F.BellFactory(school=world.school, number=n) for n in (1, 2)]
    made = []
    for i in range(lessons):
        day = q2.start + timedelta(days=i // 2)
        lesson = F.LessonFactory(assignment=assignment, date=day, bell=bells[i % 2], topic=f"Тема {i + 1}")
        made.append((lesson, F.AssessmentFactory(lesson=lesson, work_type=world.work_type)))
    Mark.objects.bulk_create(
        [
            F.MarkFactory.build(assessment=a, pupil=p, value=str(2 + (i + j) % 4))
            for i, (_, a) in enumerate(made)
            for j, p in enumerate(people)
        ]
    )
    Attendance.objects.bulk_create(
        [
            F.AttendanceFactory.build(lesson=lesson, pupil=p)
            for i, (lesson, _) in enumerate(made)
            for j, p in enumerate(people)
            if (i + j) % 7 == 0
        ]
    )
    return assignment, q2


def grid_queries(client, assignment, period):
    url = reverse("journal:grid_period", kwargs={"pk": assignment.pk, "period": period.pk})
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(ctx.captured_queries), resp.content.decode()


def test_grid_query_count_is_constant_and_small(world, client):
    small, q2 = fill_journal(world, 10, 10, "В")
    big, _ = fill_journal(world, 30, 70, "Г")
    client.force_login(world.teacher)
    grid_queries(client, small, q2)  # the session's first request sets up the session (second factor gate)
    n_small, html_small = grid_queries(client, small, q2)
    n_big, html = grid_queries(client, big, q2)

    assert n_small == n_big
    assert n_big <= 15
    assert html_small.count('<tr data-p="') == 10
    assert html.count('<tr data-p="') == 30
    # one mark sub-column per lesson, and no form field anywhere in the grid
    assert html.count('data-k="m"') == 70
    assert "<input" not in html.split('<table class="grid"', 1)[1]


@pytest.mark.parametrize("persona", ["class_teacher", "deputy", "director"])
def test_readers_get_the_same_query_budget(world, client, persona):
    assignment, q2 = fill_journal(world, 30, 70, "В")
    client.force_login(getattr(world, persona))
    grid_queries(client, assignment, q2)  # the session's first request sets up the session
    n, html = grid_queries(client, assignment, q2)
    assert n <= 15
    assert 'data-ro="1"' in html
