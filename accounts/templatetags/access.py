"""The named permission predicates (accounts/predicates.py) in templates and menus.

{% load access %}
{% if request.user|can:"read_reports" %}…{% endif %}
{% can "set_period_marks" request.user assignment as may_set %}
"""

from django import template

from .. import predicates

register = template.Library()


@register.filter
def can(user, name):
    """`user|can:"name"`: a predicate of the user alone."""
    return predicates.check(name, user)


@register.simple_tag(name="can")
def can_tag(name, user, *objects):
    """`{% can "name" user obj as ok %}`: a predicate of the user and an object."""
    return predicates.check(name, user, *objects)
