"""Access predicates of journal/access.py for templates: `{% load access %}`, then
`{% if user|can_see_personal_data:pupil %}`."""

from django import template

from .. import access

register = template.Library()


@register.filter
def can_see_personal_data(user, person) -> bool:
    return access.can_see_personal_data(user, person)


@register.filter
def can_see_class_personal_data(user, klass) -> bool:
    return access.can_see_class_personal_data(user, klass)
