"""Navigation helpers of deadline control: the unread counter and the class teacher's classes."""

from django import template

from .. import access
from .. import roles as R
from ..models import SchoolClass

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context):
    """Unread notifications of the current user (one COUNT query, memoised per request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_ej_unread"):
        request._ej_unread = access.notifications_of(user).filter(read_at__isnull=True).count()
    return request._ej_unread


@register.simple_tag(takes_context=True)
def led_classes(context):
    """The open year's classes the current user leads as class teacher (for the nav link)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or R.CLASS_TEACHER not in R.user_roles(user):
        return []
    return list(SchoolClass.objects.filter(class_teacher=user, year__is_closed=False).order_by("grade", "letter"))
