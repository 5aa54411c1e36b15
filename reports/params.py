"""Report parameters from the query string; bad input falls back to a default with a message.

Months and days are read by ejournal.params (ASCII digits, 1900–2100: docs/DESIGN.md §3.24)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ejournal.errors import ServiceError
from ejournal.params import parse_date, parse_month
from journal.models import StudyPeriod

from .registry import DAY, MONTH, PERIOD, UP_TO

# For this many days after a period or a month ends, its reports open on it rather than on
# the one just begun (docs/DESIGN.md §4.5): on 1 December the month report is November's.
RECENT_DAYS = 10


class ParamProblem(ServiceError):
    """A parameter the report could not use: shown to the user, the report falls back to a
    default (or, for `NO_PERIODS`, is not built). Views branch on `code`."""

    error_messages = {
        "bad_period": _("Такого учебного периода нет у этого класса; показан текущий период."),
        "no_periods": _("У класса нет учебных периодов."),
        "bad_up_to": _("Такого учебного периода нет у этого класса; показан весь год."),
        "bad_month": _("Месяц «%(raw)s» указан неверно: нужен вид ГГГГ-ММ. Показан текущий месяц."),
        "bad_date": _("Дата «%(raw)s» указана неверно. Показаны данные на сегодня."),
    }


NO_PERIODS = "no_periods"


def default_period(periods, today):
    """The period a report opens on: one that ended at most RECENT_DAYS ago (the latest
    such), else the one running today, else the last begun, else the first."""
    recent = [p for p in periods if p.end < today <= p.end + timedelta(days=RECENT_DAYS)]
    if recent:
        return max(recent, key=lambda p: (p.end, p.scheme != StudyPeriod.Scheme.YEAR))
    current = [p for p in periods if p.covers(today)]
    if current:
        return current[0]
    started = [p for p in periods if p.start <= today]
    return started[-1] if started else (periods[0] if periods else None)


def default_month(year, today):
    """The first day of the month a report opens on: the month before in its first
    RECENT_DAYS days, else this month; within the school year."""
    day = today - timedelta(days=RECENT_DAYS) if today.day <= RECENT_DAYS else today
    return min(max(day, year.start), year.end).replace(day=1)


def unfinished(params, today=None) -> bool:
    """Is the report over a period or month still running (its data preliminary)?"""
    today = today or timezone.localdate()
    period = params.get("period")
    if period is not None:
        return period.end >= today
    month = params.get("month")
    if month is not None:
        return (month.year, month.month) >= (today.year, today.month)
    return False


def class_periods(year, scheme):
    return sorted(
        (p for p in year.periods.all() if p.scheme in (scheme, StudyPeriod.Scheme.YEAR)),
        key=lambda p: (p.scheme == StudyPeriod.Scheme.YEAR, p.number),
    )


def parse(kind, query, *, year, scheme, today=None):
    """(params, choices, problems): params for the builder, choices for the form, ParamProblems."""
    today = today or timezone.localdate()
    params, choices, errors = {}, {}, []
    if kind.param == PERIOD:
        periods = class_periods(year, scheme)
        choices["periods"] = periods
        raw = query.get("period")
        chosen = None
        if raw:
            chosen = next((p for p in periods if str(p.pk) == raw), None)
            if chosen is None:
                errors.append(ParamProblem(code="bad_period"))
        params["period"] = chosen or default_period(periods, today)
        if params["period"] is None:
            errors.append(ParamProblem(code=NO_PERIODS))
    elif kind.param == UP_TO:
        # Optional: the sheet up to this period; none chosen, the whole year.
        periods = class_periods(year, scheme)
        choices["periods"] = periods
        choices["whole_year"] = True
        raw = query.get("period")
        chosen = next((p for p in periods if str(p.pk) == raw), None) if raw else None
        if raw and chosen is None:
            errors.append(ParamProblem(code="bad_up_to"))
        params["period"] = chosen
    elif kind.param == MONTH:
        raw = query.get("month", "")
        default = default_month(year, today)
        chosen = parse_month(raw, default) if raw else default
        if raw and parse_month(raw) is None:
            errors.append(ParamProblem(code="bad_month", raw=raw[:20]))
        params["month"] = chosen
        choices["month"] = f"{chosen:%Y-%m}"
    elif kind.param == DAY:
        raw = query.get("date", "")
        default = min(max(today, year.start), year.end)
        chosen = parse_date(raw, default) if raw else default
        if raw and parse_date(raw) is None:
            errors.append(ParamProblem(code="bad_date", raw=raw[:20]))
        params["day"] = chosen
        choices["date"] = chosen.isoformat()
    return params, choices, errors
