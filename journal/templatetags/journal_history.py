"""Links to the history pages (journal/views/history.py), for the deputy and the director."""

from django import template

from .. import access

register = template.Library()


@register.simple_tag(takes_context=True)
def can_read_history(context):
    request = context.get("request")
    # The history of records is for those who control the journal (docs/DESIGN.md §1.3).
    return bool(request and access.reads_whole_school(request.user))
