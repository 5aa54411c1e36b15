"""The demo is made the way a school would make it (issue 15, point 6): seed_demo enters
the timetable and the journal's lesson service makes the lessons; the nightly beat
entries keep the demo going, so opened 30 days later it still has lessons for every
class and period marks for every finished period.

Seeded once for the module on Wednesday 02.12.2026: 30 days later is 01.01.2027, so
the second quarter (5th grade) and the first half-year (10th grade) end in between.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import transaction

from accounts.models import AuditEvent
from ejournal.celery import app as celery_app
from journal import rules
from journal.models import Enrollment, Lesson, PeriodMark, SchoolClass, StudyPeriod, TimetableEntry
from journal.services import lesson_sync

SEED_DAY = date(2026, 12, 2)
LATER = SEED_DAY + timedelta(days=30)
MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture(scope="module")
def demo_school(django_db_setup, django_db_blocker):
    from demo import seeding

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        with time_machine.travel(datetime(2026, 12, 2, 12, 0, tzinfo=MSK), tick=False):
            (school,) = seeding.seed("small", seed=3, today=SEED_DAY)
    yield school
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def run_beat(names, day):
    """What beat sends at night on `day`: the tasks its entries name, on that clock."""
    celery_app.loader.import_default_modules()
    results = {}
    with time_machine.travel(datetime.combine(day, datetime.min.time(), tzinfo=MSK).replace(hour=3), tick=False):
        for name in names:
            entry = settings.CELERY_BEAT_SCHEDULE[name]
            results[name] = celery_app.tasks[entry["task"]].apply(args=entry.get("args", ())).get()
    return results


def finished_periods(klass, today):
    return StudyPeriod.objects.filter(year=klass.year, scheme=klass.period_scheme, end__lt=today)


def assert_period_marks_for_every_finished_period(school, today):
    checked = 0
    for klass in SchoolClass.objects.filter(year__school=school).select_related("year__school"):
        if not rules.grade_gets_marks(klass.grade, school):
            assert not PeriodMark.objects.filter(assignment__school_class=klass).exists()
            continue
        for period in finished_periods(klass, today):
            pupils = set(
                Enrollment.objects.filter(school_class=klass).on(period.end).values_list("pupil_id", flat=True)
            )
            marked = set(
                PeriodMark.objects.filter(assignment__school_class=klass, period=period).values_list(
                    "pupil_id", flat=True
                )
            )
            assert pupils and marked == pupils, (klass, period)
            checked += 1
    return checked


def test_the_seed_makes_its_lessons_with_the_lesson_service_from_the_timetable(demo_school, db):
    lessons = Lesson.objects.filter(assignment__school_class__year__school=demo_school)
    entries = TimetableEntry.objects.filter(assignment__school_class__year__school=demo_school)
    assert entries.exists()
    # every lesson has its place in the timetable; none is a hand-made one
    assert not lessons.filter(timetable_entry__isnull=True).exists()
    assert not lessons.exclude(scheduled_date=models_F("date")).exists()
    # to the end of the current quarter, more than two weeks ahead
    assert lessons.order_by("-date").values_list("date", flat=True).first() == date(2026, 12, 28)
    created = AuditEvent.objects.filter(school=demo_school, action="lesson.sync_create").count()
    assert created == lessons.count()
    # a sync on the seed day has nothing to add
    assert lesson_sync.sync_school(demo_school.pk, today=SEED_DAY).changed == 0


def models_F(name):  # noqa: N802
    from django.db.models import F

    return F(name)


def test_finished_periods_carry_period_marks_on_the_seed_day(demo_school, db):
    assert assert_period_marks_for_every_finished_period(demo_school, SEED_DAY) >= 1  # 5th grade, first quarter
    pm = PeriodMark.objects.filter(assignment__school_class__year__school=demo_school).select_related("assignment")
    assert all(m.set_by_id == m.assignment.teacher_id for m in pm)


def test_thirty_days_later_the_beat_entries_keep_the_demo_going(demo_school, db):
    results = run_beat(["journal-sync-lessons", "demo-keep-going"], LATER)
    assert results["demo-keep-going"][demo_school.pk] > 0  # the second quarter and the first half-year
    # lessons for every class ahead of today (after the winter holidays, to the end of the third quarter)
    for klass in SchoolClass.objects.filter(year__school=demo_school):
        ahead = Lesson.objects.filter(assignment__school_class=klass, date__gt=LATER)
        assert ahead.filter(date__lte=LATER + timedelta(days=21)).exists(), klass
        assert ahead.order_by("-date").values_list("date", flat=True).first() >= date(2027, 3, 19), klass
    assert assert_period_marks_for_every_finished_period(demo_school, LATER) >= 3
    # the same night once more changes nothing
    events = AuditEvent.objects.count()
    again = run_beat(["journal-sync-lessons", "demo-keep-going"], LATER)
    assert again["demo-keep-going"][demo_school.pk] == 0
    assert all(r["created"] == r["moved"] == r["removed"] == 0 for r in again["journal-sync-lessons"])
    assert AuditEvent.objects.count() == events
