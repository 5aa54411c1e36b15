"""Navigation helper of deadline control: the class teacher's classes."""

from django import template

from .. import roles as R

register = template.Library()


@register.simple_tag(takes_context=True)
def led_classes(context):
    """Ids of the open year's classes the current user leads (no query of its own)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ()
    return R.led_class_ids(user)
