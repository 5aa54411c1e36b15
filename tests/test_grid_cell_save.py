"""The grid's cell save (the POST static/js/grid.js sends): pass/fail marks typed as
«+» / «-», and the conflict answer for a stale version."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from journal import services
from journal.models import Attendance, Mark, Subject

from . import factories as F

TODAY = date(2026, 11, 20)
YESTERDAY = date(2026, 11, 19)  # a lesson still open for its teacher


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True):
        yield


def cell_post(client, lesson, pupil, *, value, version=0, kind="m", slot=""):
    """Exactly the fields grid.js sends for one cell."""
    return client.post(
        reverse("journal:cell", args=[lesson.pk]),
        {"p": pupil.pk, "v": version, "value": value, "k": kind, "s": slot},
        HTTP_HX_REQUEST="true",
    )


@pytest.fixture
def pass_fail_lesson(world):
    subject = F.SubjectFactory(school=world.school, name="Физическая культура", assessment=Subject.Assessment.PASS_FAIL)
    assignment = F.AssignmentFactory(school_class=world.klass, subject=subject, teacher=world.teacher)
    return F.LessonFactory(assignment=assignment, date=YESTERDAY, bell=world.lessons[0].bell)


def test_plus_and_minus_in_a_mark_cell_store_pass_and_fail(world, client_for, pass_fail_lesson):
    lesson = pass_fail_lesson
    second = F.EnrollmentFactory(school_class=world.klass).pupil
    client = client_for(world.teacher)

    response = cell_post(client, lesson, world.pupil, value="+")
    assert response.status_code == 200
    assert "зач" in response.content.decode()
    response = cell_post(client, lesson, second, value="-")
    assert response.status_code == 200

    assert dict(Mark.objects.filter(assessment__lesson=lesson).values_list("pupil_id", "value")) == {
        world.pupil.pk: Mark.Value.PASS,
        second.pk: Mark.Value.FAIL,
    }
    # the cell now carries the work's id: the next save of it goes to the same work
    mark = Mark.objects.get(pupil=world.pupil, assessment__lesson=lesson)
    response = cell_post(client, lesson, world.pupil, value="-", version=mark.version, slot=mark.assessment_id)
    assert response.status_code == 200
    mark.refresh_from_db()
    assert mark.value == Mark.Value.FAIL


def test_a_digit_in_a_pass_fail_mark_cell_is_refused_in_russian(world, client_for, pass_fail_lesson):
    response = cell_post(client_for(world.teacher), pass_fail_lesson, world.pupil, value="5")
    assert response.status_code == 422
    assert "Недопустимая отметка «5»" in response.content.decode()
    assert not Mark.objects.exists()


def test_plus_is_no_mark_for_a_subject_with_numeric_marks(world, client_for):
    lesson = F.LessonFactory(assignment=world.assignment, date=YESTERDAY, bell=world.lessons[0].bell)
    response = cell_post(client_for(world.teacher), lesson, world.pupil, value="+")
    assert response.status_code == 422
    assert "Недопустимая отметка «+»" in response.content.decode()
    assert not Mark.objects.exists()


def test_the_grid_of_a_pass_fail_subject_tells_the_keys(world, client_for, pass_fail_lesson):
    assignment = pass_fail_lesson.assignment
    page = client_for(world.teacher).get(reverse("journal:grid", args=[assignment.pk]), follow=True).content.decode()
    assert "+ — зачёт, - — незачёт" in page
    numeric = client_for(world.teacher).get(reverse("journal:grid", args=[world.assignment.pk]), follow=True)
    assert "+ — зачёт" not in numeric.content.decode()


# --- no lost updates ----------------------------------------------------------------------


def test_a_stale_version_gets_409_with_the_other_writers_mark(world, client_for):
    lesson = F.LessonFactory(assignment=world.assignment, date=YESTERDAY, bell=world.lessons[0].bell)
    work = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    # The page was loaded with an empty cell (version 0); meanwhile a colleague put «4».
    services.set_mark(world.teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value="4")

    response = cell_post(client_for(world.teacher), lesson, world.pupil, value="5", version=0, slot=work.pk)

    assert response.status_code == 409
    html = response.content.decode()
    assert 'class="conflict"' in html
    assert 'data-theirs="4"' in html and 'data-mine="5"' in html
    assert 'data-v="1"' in html  # the version to send when the teacher insists on her value
    assert "здесь уже выставили «4»" in html
    assert Mark.objects.get(assessment=work, pupil=world.pupil).value == "4"

    # Insisting with the version from the conflict answer writes the mark.
    response = cell_post(client_for(world.teacher), lesson, world.pupil, value="5", version=1, slot=work.pk)
    assert response.status_code == 200
    assert Mark.objects.get(assessment=work, pupil=world.pupil).value == "5"


def test_a_stale_attendance_version_gets_409_with_the_other_writers_code(world, client_for):
    lesson = F.LessonFactory(assignment=world.assignment, date=YESTERDAY, bell=world.lessons[0].bell)
    services.set_attendance(world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, code="б")

    response = cell_post(client_for(world.teacher), lesson, world.pupil, value="н", version=0, kind="a")

    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-theirs="Б"' in html and 'data-mine="н"' in html
    assert Attendance.objects.get(lesson=lesson, pupil=world.pupil).code == "б"
