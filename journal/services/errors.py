"""The journal services' refusals: ejournal.errors.ServiceError with a code."""

from django.utils.translation import gettext_lazy as _

from ejournal.errors import ServiceError

__all__ = ["Conflict", "NotAllowed", "ServiceError", "YearClosed", "closed_year_error"]


class NotAllowed(ServiceError):
    """The actor has no right to this change (views answer 403 or hide the control)."""

    default_code = "forbidden"


class Conflict(ServiceError):
    """Someone else changed the record since the user loaded it; nothing was written."""

    default_code = "conflict"

    def __init__(self, message=None, *, current_value=None, current_version=0):
        super().__init__(message, code="conflict")
        self.current_value = current_value
        self.current_version = current_version


class YearClosed(ServiceError):
    """The record belongs to a closed academic year (docs/DESIGN.md §3.25): it is read-only
    until the director reopens the year. PostgreSQL refuses the write too (SQLSTATE EJ001,
    journal/migrations/0011_year_closure.py); this is the same refusal said before trying."""

    default_code = "year_closed"
    error_messages = {
        "year_closed": _(
            "Учебный год %(year)s закрыт: его записи только для просмотра. "
            "Исправить их можно после переоткрытия года директором."
        ),
    }


# The SQLSTATE of the closed-year triggers.
CLOSED_YEAR_SQLSTATE = "EJ001"


def closed_year_error(exc) -> YearClosed | None:
    """The YearClosed a database error stands for (a closed-year trigger refused the write), else None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if getattr(exc, "sqlstate", None) == CLOSED_YEAR_SQLSTATE:
            diag = getattr(exc, "diag", None)
            return YearClosed(year=getattr(diag, "message_detail", None) or "")
        exc = exc.__cause__ or exc.__context__
    return None
