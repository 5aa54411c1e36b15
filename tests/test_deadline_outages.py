"""The temporary journal: a class's day of an outage is transferred within 2 working days."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from journal.control import CHECKS, GROUPS, outages
from journal.models import Outage, TempJournalImport, Violation

from . import factories as F

K = Violation.Kind


def at(y, mo, d, h=0, mi=0):
    return timezone.make_aware(datetime(y, mo, d, h, mi))


def open_transfers():
    return Violation.objects.filter(kind=K.TEMP_JOURNAL, resolved_at__isnull=True)


def outage_on(world, day, start=(10, 0), end=(11, 0)):
    """An outage from 10:00 to 11:00 of `day`, over 5А's 3rd lesson (10:00–10:45) of mathematics."""
    lesson = F.LessonFactory(assignment=world.assignment, date=day, bell=F.BellFactory(school=world.school, number=3))
    outage = F.OutageFactory(
        school=world.school,
        start=at(day.year, day.month, day.day, *start),
        end=at(day.year, day.month, day.day, *end),
        created_by=world.deputy,
    )
    return outage, lesson


def imported(outage, klass, day, by):
    return TempJournalImport.objects.create(
        outage=outage, school_class=klass, paper_date=day, file_name="vremennyi.xlsx", imported_by=by, entries=3
    )


@pytest.mark.parametrize(
    ("day", "last_quiet", "overdue"),
    [
        # Tuesday → Wed, Thu; overdue from Friday 00:00.
        (date(2026, 11, 10), at(2026, 11, 12, 23, 59), at(2026, 11, 13)),
        # Across a weekend: Thursday → Fri, Mon; overdue from Tuesday.
        (date(2026, 11, 12), at(2026, 11, 16, 23, 59), at(2026, 11, 17)),
        # Before the autumn holidays (25.10–04.11, 4 November too): Friday 23.10 → Thu 5.11, Fri 6.11.
        (date(2026, 10, 23), at(2026, 11, 6, 23, 59), at(2026, 11, 7)),
        # Saturday 20.02.2027 is a working day of the production calendar: Thu 18.02 → Fri, Sat.
        (date(2027, 2, 18), at(2027, 2, 20, 23, 59), at(2027, 2, 21)),
    ],
)
def test_transfer_is_overdue_after_two_working_days(world, day, last_quiet, overdue):
    outage, _lesson = outage_on(world, day)
    assert outages.temp_journal(world.school, last_quiet).opened == 0
    assert not open_transfers().exists()

    out = outages.temp_journal(world.school, overdue)
    assert out.opened == 1
    v = open_transfers().get()
    assert (v.school_class, v.day, v.responsible) == (world.klass, day, world.class_teacher)
    assert v.since == overdue
    assert v.details["lessons"] == 1
    assert v.details["outage_start"] == f"{day:%d.%m.%Y} 10:00"
    assert outages.temp_journal(world.school, overdue + timedelta(hours=7)).opened == 0
    assert Violation.objects.filter(kind=K.TEMP_JOURNAL).count() == 1


def test_only_lessons_during_the_outage_count_and_the_import_closes_it(world):
    day = date(2026, 11, 10)
    outage, _lesson = outage_on(world, day)
    # 5А's mathematics at 08:00 (world.lessons[1]) was over before the outage; 5Б's lesson
    # at 13:00 came after it: neither class-day needs a transfer for those.
    F.LessonFactory(assignment=world.other_assignment, date=day, bell=F.BellFactory(school=world.school, number=6))
    # An outage still going on has no deadline yet.
    F.OutageFactory(school=world.school, start=at(2026, 11, 16, 9), end=None, created_by=world.deputy)

    outages.temp_journal(world.school, at(2026, 11, 20, 6, 30))
    v = open_transfers().get()
    assert (v.school_class, v.details["lessons"]) == (world.klass, 1)
    assert not Violation.objects.filter(school=world.foreign_school).exists()

    # The paper journal of another class or day does not close it.
    imported(outage, world.other_class, day, world.deputy)
    imported(outage, world.klass, day + timedelta(days=1), world.deputy)
    assert outages.temp_journal(world.school, at(2026, 11, 20, 7, 0)).resolved == 0

    imported(outage, world.klass, day, world.class_teacher)
    out = outages.temp_journal(world.school, at(2026, 11, 20, 7, 30))
    assert out.resolved == 1
    v.refresh_from_db()
    assert (v.resolved_at, v.resolution) == (at(2026, 11, 20, 7, 30), Violation.Resolution.FIXED)


def test_a_lesson_spanning_the_outage_start_counts_and_a_class_without_a_teacher_goes_to_nobody(world):
    day = date(2026, 11, 11)
    world.klass.class_teacher = None
    world.klass.save(update_fields=["class_teacher"])
    # 08:30–09:30: world.lessons[2] (08:00–08:45) was running when the journal went down.
    F.OutageFactory(
        school=world.school, start=at(2026, 11, 11, 8, 30), end=at(2026, 11, 11, 9, 30), created_by=world.deputy
    )
    outages.temp_journal(world.school, at(2026, 11, 16))
    v = open_transfers().get()
    assert (v.day, v.responsible, v.school_class) == (day, None, world.klass)
    assert Outage.objects.count() == 1


def test_the_check_runs_with_the_morning_checks():
    assert CHECKS["temp_journal"] is outages.temp_journal
    assert "temp_journal" in GROUPS["morning"] and "temp_journal" not in GROUPS["daytime"]
