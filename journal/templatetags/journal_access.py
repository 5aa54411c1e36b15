"""The journal's named `can_*` predicates (journal/access.py) for templates.

    {% load journal_access %}
    {% can "request_lesson_correction" request.user lesson as may_request %}

A template asks the same function as the view behind the link, never a role string.
An unknown name is an error, so a typo in a template fails its test.
"""

from django import template

from .. import access

register = template.Library()

PREDICATES = {
    "open_my_journals": access.can_open_my_journals,
    "read_school_journals": access.can_read_school_journals,
    "open_class_page": access.can_open_class_page,
    "read_journal": access.can_read_journal,
    "read_corrections": access.can_read_corrections,
    "decide_corrections": access.can_decide_corrections,
    "read_school_substitutions": access.can_read_school_substitutions,
    "manage_outages": access.can_manage_outages,
    "request_lesson_correction": access.can_request_lesson_correction,
    "request_period_correction": access.can_request_period_correction,
    "print_class_diary": access.can_print_class_diary,
    "see_absence_reasons": access.can_see_absence_reasons,
}


@register.simple_tag
def can(name, user, *objects):
    try:
        predicate = PREDICATES[name]
    except KeyError:
        raise template.TemplateSyntaxError(f"No journal predicate named {name!r}") from None
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(predicate(user, *objects))
