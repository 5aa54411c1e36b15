"""The school years a user may read (docs/DESIGN.md §4.6): past years stay
readable, with the classes as they were then. One helper lists them, one resolves the
`?year=<pk>` of a page; a year of another school is "not found" (docs/DESIGN.md §1.3)."""

from django.http import Http404

from ..models import AcademicYear


def years_of(user):
    """The years `user` may read: the years of the user's own school, newest first."""
    if not user.is_authenticated or user.school_id is None:
        return AcademicYear.objects.none()
    return AcademicYear.objects.filter(school_id=user.school_id).select_related("school").order_by("-start")


def get_year_for_user(user, pk):
    """The year `pk` of the user's school; Http404 for anything else."""
    year = years_of(user).filter(pk=pk).first()
    if year is None:
        raise Http404
    return year


__all__ = ["get_year_for_user", "years_of"]
