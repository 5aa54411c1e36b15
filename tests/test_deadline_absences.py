"""Absence reasons: set within 2 working days of the production calendar plus school holidays."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from journal.calendar import add_working_days, is_working_day
from journal.control import absences
from journal.models import Attendance, Holidays, Violation

from . import factories as F

K = Violation.Kind


def at(y, mo, d, h=0, mi=0):
    return timezone.make_aware(datetime(y, mo, d, h, mi))


def absent(world, day, number=6, code=Attendance.Code.ABSENT):
    # Bell 6: the world's own lessons sit on the first bells.
    lesson = F.LessonFactory(
        assignment=world.assignment, date=day, bell=F.BellFactory(school=world.school, number=number)
    )
    return F.AttendanceFactory(lesson=lesson, pupil=world.pupil, code=code)


def open_days():
    return list(Violation.objects.filter(kind=K.ABSENCE_REASON, resolved_at__isnull=True).values_list("day", flat=True))


@pytest.mark.parametrize(
    ("absence", "last_quiet", "overdue"),
    [
        # Ordinary week: Tuesday → Wed, Thu; overdue from Friday 00:00.
        (date(2026, 11, 10), at(2026, 11, 12, 23, 59), at(2026, 11, 13)),
        # Across a weekend: Thursday → Fri, Mon; overdue from Tuesday.
        (date(2026, 11, 12), at(2026, 11, 16, 23, 59), at(2026, 11, 17)),
        # Before the autumn holidays (25.10–04.11, 4 November too): Friday 23.10 → Thu 5.11, Fri 6.11.
        (date(2026, 10, 23), at(2026, 11, 6, 23, 59), at(2026, 11, 7)),
        # Before the New Year holidays (29.12–11.01): Monday 28.12 → 12.01, 13.01.
        (date(2026, 12, 28), at(2027, 1, 13, 23, 59), at(2027, 1, 14)),
        # Saturday 20.02.2027 is a working day of the production calendar: Thu 18.02 → Fri, Sat.
        (date(2027, 2, 18), at(2027, 2, 20, 23, 59), at(2027, 2, 21)),
    ],
)
def test_absence_reason_is_overdue_after_two_working_days(world, absence, last_quiet, overdue):
    absent(world, absence)
    assert absences.absence_reason(world.school, last_quiet).opened == 0
    assert open_days() == []
    out = absences.absence_reason(world.school, overdue)
    assert out.opened == 1
    v = Violation.objects.get(kind=K.ABSENCE_REASON)
    assert (v.day, v.pupil, v.responsible, v.school_class) == (absence, world.pupil, world.class_teacher, world.klass)
    assert v.since == overdue
    assert absences.absence_reason(world.school, overdue).opened == 0


def test_public_holiday_without_school_holidays(world):
    """4 November alone (no school holidays around it) also moves the deadline."""
    Holidays.objects.filter(year=world.year, name__startswith="Осенние").delete()
    assert not is_working_day(date(2026, 11, 4))
    assert add_working_days(date(2026, 11, 3), 2) == date(2026, 11, 6)
    absent(world, date(2026, 11, 3))
    absences.absence_reason(world.school, at(2026, 11, 6, 23, 59))
    assert open_days() == []
    absences.absence_reason(world.school, at(2026, 11, 7))
    assert open_days() == [date(2026, 11, 3)]


def test_one_violation_per_pupil_and_day_closed_when_the_reason_is_set(world):
    first = absent(world, date(2026, 11, 10), number=2)
    absent(world, date(2026, 11, 10), number=3)
    late = absent(world, date(2026, 11, 11), number=2, code=Attendance.Code.LATE)
    absences.absence_reason(world.school, at(2026, 11, 20))
    v = Violation.objects.get(kind=K.ABSENCE_REASON)
    assert v.details == {"lessons": 2}
    assert late.lesson.date not in open_days()

    Attendance.objects.filter(pk=first.pk).update(code=Attendance.Code.EXCUSED, reason_document="справка")
    absences.absence_reason(world.school, at(2026, 11, 20, 8))
    v.refresh_from_db()
    assert v.resolved_at is None and v.details == {"lessons": 1}

    Attendance.objects.filter(lesson__date=date(2026, 11, 10)).update(code=Attendance.Code.ILL)
    out = absences.absence_reason(world.school, at(2026, 11, 20, 9))
    assert out.resolved == 1
    v.refresh_from_db()
    assert v.resolution == Violation.Resolution.FIXED


def test_grade_one_extra_holidays_apply_to_grade_one_only(world):
    first = F.ClassFactory(year=world.year, grade=1, letter="А", class_teacher=world.class_teacher)
    small = F.EnrollmentFactory(school_class=first).pupil
    Holidays.objects.create(
        year=world.year, name="Дополнительные каникулы", start=date(2027, 2, 15), end=date(2027, 2, 21), grades="1"
    )
    lesson1 = F.LessonFactory(assignment=F.AssignmentFactory(school_class=first), date=date(2027, 2, 11))
    F.AttendanceFactory(lesson=lesson1, pupil=small)
    absent(world, date(2027, 2, 11))  # 5А: Fri 12, Mon 15 → overdue from Tue 16
    absences.absence_reason(world.school, at(2027, 2, 16))
    assert set(Violation.objects.filter(kind=K.ABSENCE_REASON).values_list("pupil", flat=True)) == {world.pupil.pk}
    # 1А: Fri 12, then the holidays (the working Saturday 20.02 falls in them too), Mon 22
    # is the day off moved from that Saturday, Tue 23 is a public holiday → Wed 24 →
    # overdue from Thu 25.
    absences.absence_reason(world.school, at(2027, 2, 24, 23, 59))
    assert not Violation.objects.filter(pupil=small).exists()
    absences.absence_reason(world.school, at(2027, 2, 25))
    assert Violation.objects.filter(pupil=small, kind=K.ABSENCE_REASON).count() == 1
