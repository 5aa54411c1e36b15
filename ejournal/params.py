"""Ids, numbers, dates and text from a request: the one place that reads them
(docs/DESIGN.md §3.24).

Python is generous where a database is not: "²".isdigit() is true (and int("²")
fails), int("３") and int("١٢") read full-width and Arabic-Indic digits, an int has
no upper bound while a bigint column has, date(9999, 12, 31) + one day overflows, a
year-1 moment in Moscow is stored by PostgreSQL as a date BC that no page can read
back, and PostgreSQL refuses NUL in text. So every view reads its ids, periods,
pages, dates and free text through this module:

- `parse_id`, `parse_ids`, `parse_int`: ASCII digits only, within the column's range;
- `parse_date`, `parse_month`: ISO dates of ASCII digits between 1900 and 2100;
- `parse_text`: no NUL, at most `max_length` characters;
- `id_or_404`, `date_or_404` for values in the path;
- form fields with the same rules (`IdField`, `DateField`, `DateTimeField`,
  `SplitDateTimeField`) and `text_limit`, the CHECK constraint of the models'
  free-text columns.

The functions return `default` (None) for a value they cannot use; a view then falls
back (the current period, today) or says so; `parse_text` raises `BadValue` with the
Russian message to show.
"""

import re
from datetime import UTC, date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CheckConstraint, Q
from django.db.models.functions import Length
from django.http import Http404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MIN_YEAR, MAX_YEAR = 1900, 2100
MIN_DATE, MAX_DATE = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)
MIN_MOMENT = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
END_MOMENT = datetime(MAX_YEAR + 1, 1, 1, tzinfo=UTC)
MAX_ID = 2**63 - 1  # bigint, the primary keys (DEFAULT_AUTO_FIELD)
MAX_INT = 2**31 - 1  # integer columns (versions, hours, numbers)
MAX_IDS = 1000  # ids in one request (a class list is a few dozen)

_DIGITS = re.compile(r"[0-9]{1,19}")
_SIGNED = re.compile(r"-?[0-9]{1,19}")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


DATE_RANGE_MESSAGE = _("Укажите дату между 1900 и 2100 годом.")


class BadValue(ValueError):
    """A value the app cannot take; `message` is the Russian text to show."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _text(raw) -> str:
    return raw.strip() if isinstance(raw, str) else ""


# --- numbers ---------------------------------------------------------------------------------


def parse_int(raw, *, min_value=-MAX_INT - 1, max_value=MAX_INT, default=None):
    """An integer written in ASCII digits (an optional minus) within the range, else `default`."""
    text = _text(raw)
    if not _SIGNED.fullmatch(text):
        return default
    value = int(text)
    return value if min_value <= value <= max_value else default


def parse_id(raw, default=None):
    """A primary key: a positive bigint in ASCII digits, else `default`."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 1 <= raw <= MAX_ID else default
    text = _text(raw)
    if not _DIGITS.fullmatch(text):
        return default
    value = int(text)
    return value if 1 <= value <= MAX_ID else default


def parse_ids(values, limit=MAX_IDS) -> list[int]:
    """The usable ids of a list (a form's checkboxes), in order, each once; at most `limit`."""
    out = []
    for raw in values:
        value = parse_id(raw)
        if value is not None and value not in out:
            out.append(value)
            if len(out) >= limit:
                break
    return out


def id_or_404(raw) -> int:
    value = parse_id(raw)
    if value is None:
        raise Http404
    return value


# --- dates -----------------------------------------------------------------------------------


def in_range(day) -> bool:
    """1900–2100: the calendar the school's records live in (docs/DESIGN.md §3.24)."""
    if isinstance(day, datetime):
        day = day.date()
    return MIN_DATE <= day <= MAX_DATE


def parse_date(raw, default=None):
    """YYYY-MM-DD in ASCII digits, a real day between 1900 and 2100, else `default`."""
    match = _ISO_DATE.fullmatch(_text(raw))
    if not match:
        return default
    try:
        day = date(*(int(g) for g in match.groups()))
    except ValueError:
        return default
    return day if in_range(day) else default


def parse_month(raw, default=None):
    """YYYY-MM → the month's first day (1900–2100), else `default`."""
    match = _ISO_MONTH.fullmatch(_text(raw))
    if not match:
        return default
    year, month = (int(g) for g in match.groups())
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return default
    return date(year, month, 1)


def date_or_404(raw) -> date:
    day = parse_date(raw)
    if day is None:
        raise Http404
    return day


# --- text ------------------------------------------------------------------------------------


def parse_text(raw, *, max_length, field=None) -> str:
    """Free text from a request, stripped; NUL and more than `max_length` characters are
    refused with a Russian message (BadValue)."""
    text = _text(raw)
    name = field or gettext("Текст")
    if "\x00" in text:
        raise BadValue(gettext("В поле «%(field)s» недопустимый символ (NUL).") % {"field": name})
    if len(text) > max_length:
        raise BadValue(
            gettext("Поле «%(field)s» длиннее %(max)s символов (сейчас %(length)s).")
            % {"field": name, "max": max_length, "length": len(text)}
        )
    return text


def search_text(raw, *, max_length=100):
    """A search box's text: (text, problem). A NUL or an overlong query searches for
    nothing and says why, rather than failing."""
    try:
        return parse_text(raw, max_length=max_length, field=gettext("Поиск")), None
    except BadValue as exc:
        return "", exc.message


# `text__length__lte` in the constraints below: LENGTH() of the column, in characters.
models.TextField.register_lookup(Length)


def text_limit(field: str, max_length: int, name: str) -> CheckConstraint:
    """A CHECK constraint that keeps a TextField within `max_length` characters, with the
    Russian message the admin's forms show (docs/DESIGN.md §3.24). The field itself
    carries the same `max_length`, so its form field refuses longer text first."""
    return CheckConstraint(
        condition=Q(**{f"{field}__length__lte": max_length}),
        name=name,
        violation_error_message=format_lazy(_("Текст длиннее {max} символов."), max=max_length),
    )


def moment_range(field: str, name: str, *, nullable=False) -> CheckConstraint:
    """A CHECK constraint that keeps a moment within 1900–2100 (docs/DESIGN.md §3.24):
    no date BC, which the database stores but no page can read back (issue 18, F8)."""
    within = Q(**{f"{field}__gte": MIN_MOMENT, f"{field}__lt": END_MOMENT})
    return CheckConstraint(
        condition=within | Q(**{f"{field}__isnull": True}) if nullable else within,
        name=name,
        violation_error_message=DATE_RANGE_MESSAGE,
    )


# --- form fields -----------------------------------------------------------------------------


def _check_range(value):
    if value is not None and not in_range(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


class DateField(forms.DateField):
    """A date of the school's calendar (1900–2100): year 1 and 9999 are typing errors."""

    default_validators = [_check_range]


class DateTimeField(forms.DateTimeField):
    """A moment of the school's calendar (1900–2100), checked before the time zone is
    applied: year 1 in Moscow would become a date BC in PostgreSQL (issue 18, F8)."""

    def to_python(self, value):
        result = super().to_python(value)
        _check_range(result)
        return result

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value) and not in_range(value):
            return value.replace(tzinfo=None)
        return super().prepare_value(value)


class SplitDateTimeField(forms.SplitDateTimeField):
    """The admin site's date-and-time pair, within 1900–2100."""

    def compress(self, data_list):
        if data_list and data_list[0] is not None:
            _check_range(data_list[0])
        return super().compress(data_list)


class IdField(forms.IntegerField):
    """A hidden id: ASCII digits, a positive bigint."""

    default_error_messages = {"invalid": _("Неверный идентификатор: обновите страницу.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        parsed = parse_id(value)
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed
