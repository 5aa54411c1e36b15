"""School days and working days: the Russian production calendar plus school holidays."""

from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_lib


@lru_cache(maxsize=32)
def _russian_holidays(year: int):
    return holidays_lib.country_holidays("RU", years=year)


def is_public_holiday(day: date) -> bool:
    return day in _russian_holidays(day.year)


def is_working_day(day: date, school_holidays=()) -> bool:
    """Production calendar plus the school's own holidays.

    The production calendar is Mon–Fri without public holidays and their transferred
    days off, but with the Saturdays the government moves work to (e.g. 20.02.2027),
    which `holidays` knows as `weekend_workdays`. `school_holidays` is an iterable of
    (start, end) date pairs.
    """
    if not _russian_holidays(day.year).is_working_day(day):
        return False
    return not any(start <= day <= end for start, end in school_holidays)


def add_working_days(start: date, n: int, school_holidays=()) -> date:
    """The n-th working day after `start` (start itself does not count)."""
    day = start
    left = n
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, school_holidays):
            left -= 1
    return day


def school_holiday_ranges(year, grade: int | None = None):
    """(start, end) pairs of an AcademicYear's holidays that apply to `grade`."""
    return [(h.start, h.end) for h in year.holidays.all() if grade is None or h.applies_to(grade)]


def is_school_day(day: date, holiday_ranges, six_day_week: bool = False) -> bool:
    if day.weekday() == 6 or (day.weekday() == 5 and not six_day_week):
        return False
    if is_public_holiday(day):
        return False
    return not any(start <= day <= end for start, end in holiday_ranges)


def daterange(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)
