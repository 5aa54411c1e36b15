"""Two writers on the same cell at once: one wins, the other is told, nothing is lost.

Real concurrent transactions: two threads, each with its own database connection; a
barrier makes both read the cell's version (as their grid pages did) before either writes.
"""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEvent
from journal import services
from journal.models import Attendance, Mark, PeriodMark

from . import factories as F

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.django_db(transaction=True)]


def race(write, read_version, values):
    """Run write(value, version) in two threads that both read the version first."""
    barrier = threading.Barrier(len(values))
    outcomes = {}

    def worker(value):
        try:
            version = read_version()
            barrier.wait(timeout=10)
            outcomes[value] = write(value, version)
        except services.Conflict as c:
            outcomes[value] = c
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(v,)) for v in values]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.fixture
def today_work(world):
    lesson = F.LessonFactory(assignment=world.assignment, date=timezone.localdate(), bell=world.lessons[0].bell)
    return lesson, F.AssessmentFactory(lesson=lesson, work_type=world.work_type)


def check_one_won(outcomes, stored_value, values):
    conflicts = [v for v, o in outcomes.items() if isinstance(o, services.Conflict)]
    winners = [v for v, o in outcomes.items() if not isinstance(o, services.Conflict)]
    assert len(winners) == 1 and len(conflicts) == 1, outcomes
    winner, loser = winners[0], conflicts[0]
    assert stored_value() == winner
    # the loser is told what is there now, so the teacher can choose
    told = outcomes[loser]
    assert told.current_value.lower() == winner and told.current_version >= 1
    return winner, loser


@pytest.mark.parametrize("prefilled", [False, True], ids=["empty cell", "changed mark"])
def test_two_teachers_type_a_mark_into_the_same_cell(world, today_work, prefilled):
    _, work = today_work
    key = {"assessment_id": work.pk, "pupil_id": world.pupil.pk}
    if prefilled:
        services.set_mark(world.teacher, value="3", **key)

    def read_version():
        m = Mark.objects.filter(**key).first()
        return m.version if m else 0

    def write(value, version):
        return services.set_mark(world.teacher, value=value, expected_version=version, **key)

    outcomes = race(write, read_version, ["5", "4"])
    winner, loser = check_one_won(outcomes, lambda: Mark.objects.get(**key).value, ["5", "4"])
    values = [e["after"]["value"] for e in AuditEvent.objects.filter(action__startswith="mark.").values("after")]
    assert values == (["3", winner] if prefilled else [winner])
    # the loser decides to overwrite with the version they were shown: that works and is kept in history
    told = outcomes[loser]
    services.set_mark(world.teacher, value=loser, expected_version=told.current_version, **key)
    assert Mark.objects.get(**key).value == loser


def test_two_writers_on_an_attendance_cell(world, today_work):
    lesson, _ = today_work
    key = {"lesson_id": lesson.pk, "pupil_id": world.pupil.pk}

    def read_version():
        a = Attendance.objects.filter(**key).first()
        return a.version if a else 0

    def write(code, version):
        return services.set_attendance(world.teacher, code=code, expected_version=version, **key)

    outcomes = race(write, read_version, ["н", "б"])
    check_one_won(outcomes, lambda: Attendance.objects.get(**key).code, ["н", "б"])
    assert AuditEvent.objects.filter(action="attendance.create").count() == 1


def test_teacher_and_class_teacher_set_the_same_period_mark(world):
    from journal.models import StudyPeriod

    period = StudyPeriod.objects.get(year=world.year, scheme="quarter", number=2)
    in_window = timezone.make_aware(timezone.datetime(2026, 12, 24, 12, 0))
    key = {"assignment_id": world.assignment.pk, "pupil_id": world.pupil.pk, "period_id": period.pk}
    users = {"5": world.teacher, "4": world.class_teacher}

    def read_version():
        pm = PeriodMark.objects.filter(pupil_id=world.pupil.pk, period=period).first()
        return pm.version if pm else 0

    def write(value, version):
        return services.set_period_mark(users[value], value=value, expected_version=version, now=in_window, **key)

    outcomes = race(write, read_version, ["5", "4"])
    check_one_won(outcomes, lambda: PeriodMark.objects.get(pupil_id=world.pupil.pk, period=period).value, ["5", "4"])
