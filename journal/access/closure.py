"""Closing the school year (docs/DESIGN.md §3.25): who checks, who closes and reopens,
and whether a year's records may still be written."""

from django.utils import timezone

from accounts.predicates import predicate
from ejournal import params

from .. import roles as R
from .core import current_year, has_role, reads_whole_school
from .years import get_year_for_user

__all__ = ["can_check_year_end", "can_close_year", "chosen_year", "year_open"]


def year_open(year) -> bool:
    """Are the year's records writable? A closed year is read-only (PostgreSQL refuses too)."""
    return year is not None and not year.is_closed


@predicate("check_year_end")
def can_check_year_end(user) -> bool:
    """«Закрытие учебного года», the year-end check: the deputy and the director."""
    return user.is_authenticated and reads_whole_school(user)


@predicate("close_year")
def can_close_year(user) -> bool:
    """Closing and reopening the year: the director alone (by the director's order: docs/DESIGN.md §3.25)."""
    return user.is_authenticated and has_role(user, R.DIRECTOR)


def chosen_year(request):
    """The year of `?year=<pk>`, else the current one. An id that is malformed or of another
    school's year answers 404, as any address out of scope (docs/DESIGN.md §1.3, §3.24)."""
    user = request.user
    raw = request.GET.get("year")
    if raw:
        return get_year_for_user(user, params.parse_id(raw))
    return current_year(user.school, timezone.localdate())
