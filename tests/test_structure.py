"""The school's structure keeps its integrity in the database: bad data is refused with a
clear Russian message by validation (what the admin forms show), and PostgreSQL itself
refuses it when validation is bypassed."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from journal.models import (
    AcademicYear,
    Bell,
    CurriculumLine,
    Enrollment,
    Holidays,
    SchoolClass,
    StudyPeriod,
    TimetableEntry,
)

from . import factories as F

pytestmark = pytest.mark.django_db


def _rejected(obj, message):
    """full_clean names the problem in Russian; a plain save hits the database constraint."""
    with pytest.raises(ValidationError) as e:
        obj.full_clean()
    assert message in " ".join(e.value.messages)
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def test_year_ends_after_it_starts_and_years_of_a_school_do_not_overlap(world):
    school = world.school
    _rejected(
        AcademicYear(school=school, name="2030/2031", start=date(2031, 5, 31), end=date(2030, 9, 1)),
        "Окончание учебного года должно быть позже его начала.",
    )
    _rejected(
        AcademicYear(school=school, name="2027/2028", start=date(2027, 5, 1), end=date(2028, 5, 31)),
        "Учебные годы школы не могут пересекаться.",
    )
    # Another school has its own calendar: the same dates are fine there.
    AcademicYear(school=F.SchoolFactory(), name="2027/2028", start=date(2027, 5, 1), end=date(2028, 5, 31)).full_clean()


def test_periods_are_in_range_and_do_not_overlap_within_a_scheme(world):
    year = world.klass.year
    Q = StudyPeriod.Scheme
    _rejected(
        StudyPeriod(year=year, scheme=Q.TRIMESTER, number=1, start=date(2026, 11, 30), end=date(2026, 9, 1)),
        "Окончание периода не может быть раньше его начала.",
    )
    _rejected(
        StudyPeriod(year=year, scheme=Q.TRIMESTER, number=5, start=date(2026, 9, 1), end=date(2026, 11, 30)),
        "Номер периода — от 1 до 4.",
    )
    # The second quarter overlaps the first one moved forward; trimesters may overlap quarters.
    _rejected(
        StudyPeriod(year=year, scheme=Q.QUARTER, number=4, start=date(2026, 10, 1), end=date(2026, 11, 10)),
        "Периоды одного вида не могут пересекаться.",
    )
    StudyPeriod(year=year, scheme=Q.TRIMESTER, number=1, start=date(2026, 9, 1), end=date(2026, 11, 30)).full_clean()


def test_holidays_bells_and_curriculum_hours(world):
    _rejected(
        Holidays(year=world.klass.year, name="Ошибка", start=date(2026, 11, 10), end=date(2026, 11, 1)),
        "Окончание каникул не может быть раньше их начала.",
    )
    _rejected(
        Bell(school=world.school, number=9, starts=time(15, 0), ends=time(14, 15)),
        "Урок должен заканчиваться позже, чем начинается.",
    )
    subject = F.SubjectFactory(school=world.school, name="Астрономия")
    _rejected(
        CurriculumLine(school_class=world.klass, subject=subject, hours_per_week=0, hours_per_year=0),
        "Число часов в неделю должно быть больше нуля.",
    )


def test_a_class_is_grade_1_to_11_and_unique_in_its_year(world):
    year = world.klass.year
    _rejected(SchoolClass(year=year, grade=12, letter="А"), "Параллель — число от 1 до 11.")
    duplicate = SchoolClass(year=year, grade=world.klass.grade, letter=world.klass.letter)
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_pupil_is_in_one_class_at_a_time_with_a_consistent_date_range(world):
    other = F.ClassFactory(year=world.klass.year, grade=world.klass.grade, letter="Я")
    current = Enrollment.objects.get(pupil=world.pupil, end__isnull=True)
    _rejected(
        Enrollment(pupil=world.pupil, school_class=other, start=date(2026, 12, 1), start_order="20-у"),
        "Ученик не может числиться в двух классах одновременно.",
    )
    _rejected(
        Enrollment(
            pupil=F.UserFactory(school=world.school),
            school_class=other,
            start=date(2026, 12, 1),
            end=date(2026, 11, 1),
            start_order="21-у",
        ),
        "Дата выбытия не может быть раньше даты зачисления.",
    )
    # A transfer: the old enrollment ends the day before the new one starts.
    current.end = date(2026, 11, 30)
    current.save()
    moved = Enrollment(pupil=world.pupil, school_class=other, start=date(2026, 12, 1), start_order="20-у")
    moved.full_clean()
    moved.save()


def test_the_timetable_has_no_double_booking_and_a_valid_range(world):
    entry = F.TimetableFactory(assignment=world.assignment, weekday=2, bell=world.lessons[0].bell)
    _rejected(
        TimetableEntry(assignment=world.assignment, weekday=2, bell=entry.bell, valid_from=date(2026, 10, 1)),
        "Этот урок уже стоит в расписании на это время.",
    )
    _rejected(
        TimetableEntry(
            assignment=world.assignment,
            weekday=3,
            bell=entry.bell,
            valid_from=date(2026, 10, 1),
            valid_to=date(2026, 9, 1),
        ),
        "«Действует по» не может быть раньше «действует с».",
    )
