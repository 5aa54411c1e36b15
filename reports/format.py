"""One formatter for every number a report shows on screen and on paper."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

DASH = "—"


def fmt(value) -> str:
    """None → «—», Decimal → «66,7» (Russian decimal comma), dates → «09.11.2026»."""
    if value is None or value == "":
        return DASH if value is None else ""
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def cell_value(value):
    """What an XLSX cell holds: numbers as numbers, None as an empty cell."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value
