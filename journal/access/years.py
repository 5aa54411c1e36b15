"""The school years a user may choose (issue 16, point 6: past years stay readable).

A page with a «Учебный год» selector (`?year=<pk>`) lists `years_of(user)` and resolves
the chosen one with `get_year_for_user`: a year of another school is "not found".
"""

from django.http import Http404

from ..models import AcademicYear

__all__ = ["get_year_for_user", "years_of"]


def years_of(user):
    """The academic years of the user's school, newest first."""
    if not user.is_authenticated or user.school_id is None:
        return AcademicYear.objects.none()
    return AcademicYear.objects.filter(school_id=user.school_id).order_by("-start")


def get_year_for_user(user, pk):
    """A year of the user's school; Http404 for any other (docs/DESIGN.md §1.3)."""
    year = years_of(user).filter(pk=pk).first() if pk is not None else None
    if year is None:
        raise Http404
    return year
