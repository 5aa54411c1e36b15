"""The next year's calendar from the last one's (docs/DESIGN.md §3.26): its dates, study
periods and holidays, shifted by a year and fitted to the production calendar.

Plain data, no writes: journal/services/new_year.py shows it in the wizard and creates it.

- The year keeps its calendar days (1 September – 31 May stay 1 September – 31 May); a
  first day that is not a working day (1 September on a Sunday) moves to the next one.
- Periods and holidays keep their weekdays: every date moves by the whole number of
  weeks nearest to the year's shift (364 or 371 days), so autumn holidays that began on
  a Monday begin on a Monday again and the periods between them keep their lengths.
- Then the production calendar (journal/calendar.py, the `holidays` library): a period
  starts on a working day and ends on one (4 November or a transferred day off is not a
  period's first or last day), except where it meets the year's own first or last day;
  what falls outside the new year is cut to it, what is left with no days is dropped.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from .. import calendar as cal
from ..models import StudyPeriod

# Lookahead for the next working day: the New Year holidays are the longest run (≈ 11 days).
_SEARCH_DAYS = 20


@dataclass
class PeriodPlan:
    scheme: str
    number: int
    start: date
    end: date
    marks_deadline: date | None = None

    @property
    def label(self) -> str:
        return str(StudyPeriod(scheme=self.scheme, number=self.number))


@dataclass
class HolidaysPlan:
    name: str
    start: date
    end: date
    grades: str = ""


@dataclass
class CalendarPlan:
    name: str
    start: date
    end: date
    exam_marks_deadline: date | None
    periods: list[PeriodPlan] = field(default_factory=list)
    holidays: list[HolidaysPlan] = field(default_factory=list)


def next_year_day(day: date) -> date:
    """The same calendar day a year later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def next_name(name: str, start: date, end: date) -> str:
    """«2026/2027» → «2027/2028»; a name of another shape gives the new dates' years."""
    parts = name.split("/")
    if len(parts) == 2 and all(p.strip().isascii() and p.strip().isdigit() for p in parts):
        return f"{int(parts[0]) + 1}/{int(parts[1]) + 1}"
    return f"{start.year}/{end.year}"


def week_shift(old_start: date, new_start: date) -> timedelta:
    """The whole number of weeks nearest to the shift between the two first days."""
    weeks = round((new_start - old_start).days / 7)
    return timedelta(weeks=weeks)


def working_on_or_after(day: date, limit: date) -> date:
    for _ in range(_SEARCH_DAYS):
        if day >= limit or cal.is_working_day(day):
            return min(day, limit)
        day += timedelta(days=1)
    return day


def working_on_or_before(day: date, limit: date) -> date:
    for _ in range(_SEARCH_DAYS):
        if day <= limit or cal.is_working_day(day):
            return max(day, limit)
        day -= timedelta(days=1)
    return day


def proposed_dates(old_year) -> tuple[date, date]:
    """The next year's first and last day: the same calendar days, the first a working day."""
    start = next_year_day(old_year.start)
    start = working_on_or_after(start, start + timedelta(days=_SEARCH_DAYS))
    return start, next_year_day(old_year.end)


def plan_calendar(old_year, *, start: date, end: date, name: str | None = None) -> CalendarPlan:
    """The new year [start, end] with the old year's periods and holidays moved into it."""
    shift = week_shift(old_year.start, start)
    exam = old_year.exam_marks_deadline
    plan = CalendarPlan(
        name=name or next_name(old_year.name, start, end),
        start=start,
        end=end,
        exam_marks_deadline=next_year_day(exam) if exam else None,
    )
    if plan.exam_marks_deadline is not None and plan.exam_marks_deadline < end:
        plan.exam_marks_deadline = None
    for p in old_year.periods.order_by("scheme", "number"):
        first = start if p.start == old_year.start else max(start, p.start + shift)
        last = end if p.end == old_year.end else min(end, p.end + shift)
        if p.start != old_year.start:
            first = working_on_or_after(first, last)
        if p.end != old_year.end:
            last = working_on_or_before(last, first)
        if last < first:
            continue
        deadline = None
        if p.marks_deadline is not None:
            deadline = min(max(p.marks_deadline + shift, first), last + timedelta(days=31))
        plan.periods.append(PeriodPlan(p.scheme, p.number, first, last, deadline))
    for h in old_year.holidays.order_by("start"):
        first, last = max(start, h.start + shift), min(end, h.end + shift)
        if last >= first:
            plan.holidays.append(HolidaysPlan(h.name, first, last, h.grades))
    return plan
