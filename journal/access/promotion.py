"""Access to the promotion by order (docs/DESIGN.md §3.26): the director records the order
and the decisions, or the administrator on the director's order (PROMOTION_RECORDERS).
A wrong role is 403 (the views' `staff_required`); a year, order or class of another
school is 404."""

from django.http import Http404

from accounts.predicates import predicate

from .. import roles as R
from ..models import AcademicYear, PromotionOrder, SchoolClass
from .core import has_role

__all__ = [
    "can_promote_pupils",
    "get_promotion_class",
    "get_promotion_order",
    "get_promotion_year",
    "promotion_years",
]


@predicate("promote_pupils")
def can_promote_pupils(user) -> bool:
    """Records the promotion order and the decision per pupil."""
    return user.is_authenticated and has_role(user, *R.PROMOTION_RECORDERS)


def promotion_years(user):
    if not can_promote_pupils(user):
        return AcademicYear.objects.none()
    return AcademicYear.objects.filter(school_id=user.school_id)


def get_promotion_year(user, pk) -> AcademicYear:
    year = promotion_years(user).filter(pk=pk).first()
    if year is None:
        raise Http404
    return year


def get_promotion_order(user, pk) -> PromotionOrder:
    order = (
        PromotionOrder.objects.filter(pk=pk, year__in=promotion_years(user))
        .select_related("year", "recorded_by")
        .first()
    )
    if order is None:
        raise Http404
    return order


def get_promotion_class(user, order: PromotionOrder, pk) -> SchoolClass:
    """A class of the order's year (the order is the user's already)."""
    klass = SchoolClass.objects.filter(pk=pk, year_id=order.year_id).select_related("year", "class_teacher").first()
    if klass is None:
        raise Http404
    return klass
