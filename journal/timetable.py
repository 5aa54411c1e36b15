"""Lessons generated from the timetable."""

from datetime import date

from django.db import transaction

from .calendar import daterange, is_public_holiday, school_holiday_ranges
from .models import AcademicYear, Lesson, TimetableEntry


def lesson_dates(entry: TimetableEntry, start: date, end: date, holiday_ranges) -> list[date]:
    first = max(start, entry.valid_from)
    last = min(end, entry.valid_to) if entry.valid_to else end
    return [
        day
        for day in daterange(first, last)
        if day.isoweekday() == entry.weekday
        and not is_public_holiday(day)
        and not any(s <= day <= e for s, e in holiday_ranges)
    ]


@transaction.atomic
def generate_lessons(year: AcademicYear, start: date, end: date, school_class=None) -> int:
    """Create the lessons of the timetable between start and end (inclusive).

    Weekends with no timetable entry, Russian public holidays and the school's
    holidays are skipped. Idempotent: existing lessons are kept as they are.
    Returns the number of lessons created.
    """
    start, end = max(start, year.start), min(end, year.end)
    if start > end:
        return 0
    entries = TimetableEntry.objects.filter(
        assignment__school_class__year=year, assignment__is_active=True
    ).select_related("assignment__school_class")
    if school_class is not None:
        entries = entries.filter(assignment__school_class=school_class)
    holidays = list(year.holidays.all())
    ranges_by_grade: dict[int, list] = {}
    to_create = []
    for entry in entries:
        grade = entry.assignment.school_class.grade
        if grade not in ranges_by_grade:
            ranges_by_grade[grade] = [(h.start, h.end) for h in holidays if h.applies_to(grade)]
        for day in lesson_dates(entry, start, end, ranges_by_grade[grade]):
            to_create.append(
                Lesson(
                    assignment_id=entry.assignment_id,
                    date=day,
                    bell_id=entry.bell_id,
                    room_id=entry.room_id,
                    timetable_entry=entry,
                )
            )
    before = Lesson.objects.filter(assignment__school_class__year=year).count()
    Lesson.objects.bulk_create(to_create, ignore_conflicts=True, batch_size=2000)
    return Lesson.objects.filter(assignment__school_class__year=year).count() - before


__all__ = ["generate_lessons", "lesson_dates", "school_holiday_ranges"]
