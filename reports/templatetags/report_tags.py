from django import template

from ..format import fmt as _fmt

register = template.Library()


@register.filter
def fmt(value):
    return _fmt(value)


@register.filter
def col_class(column):
    return f"c-{column.width}" if column and column.width else ""


@register.filter
def css_string(value):
    """Text for a CSS string literal inside <style> (where HTML entities are not decoded)."""
    from django.utils.safestring import mark_safe

    text = str(value).replace("\\", "\\\\").replace('"', "\\22 ").replace("<", "\\3c ").replace("\n", " ")
    return mark_safe(text)
