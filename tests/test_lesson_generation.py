from datetime import date

from journal.models import Lesson
from journal.timetable import generate_lessons

from . import factories as F


def test_generation_skips_weekends_public_and_school_holidays_and_is_idempotent(db):
    year = F.YearFactory()
    klass = F.ClassFactory(year=year, grade=5)
    a = F.AssignmentFactory(school_class=klass)
    # Wednesdays: 2026-10-28 falls in the autumn holidays, 2026-11-04 is a public holiday.
    F.TimetableFactory(assignment=a, weekday=3)
    created = generate_lessons(year, date(2026, 10, 19), date(2026, 11, 15))
    dates = sorted(Lesson.objects.filter(assignment=a).values_list("date", flat=True))
    assert dates == [date(2026, 10, 21), date(2026, 11, 11)]
    assert created == 2
    assert generate_lessons(year, date(2026, 10, 19), date(2026, 11, 15)) == 0
    assert Lesson.objects.filter(assignment=a).count() == 2


def test_generation_respects_validity_dates(db):
    year = F.YearFactory()
    a = F.AssignmentFactory(school_class=F.ClassFactory(year=year))
    F.TimetableFactory(assignment=a, weekday=1, valid_from=date(2026, 11, 16), valid_to=date(2026, 11, 23))
    generate_lessons(year, date(2026, 11, 1), date(2026, 12, 31))
    assert sorted(Lesson.objects.values_list("date", flat=True)) == [date(2026, 11, 16), date(2026, 11, 23)]
