"""Links to the history pages (journal/views/history.py), for the deputy and the director."""

from django import template

from .. import roles as R

register = template.Library()


@register.simple_tag(takes_context=True)
def can_read_history(context):
    request = context.get("request")
    return bool(request and R.user_roles(request.user) & R.SCHOOL_WIDE_READERS)
