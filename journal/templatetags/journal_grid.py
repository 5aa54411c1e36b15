"""The rules the journal grid's script needs, passed once as JSON (docs/DESIGN.md §3).

    {% load journal_grid %}{% grid_config %}

renders `<script id="grid-config" type="application/json">…</script>`; static/js/grid.js
(the lesson page's marks) and static/js/register.js (the grid page) read the attendance
codes and the keyboard aliases from it instead of their own copy.
"""

from django import template
from django.utils.html import json_script

from .. import rules

register = template.Library()


@register.simple_tag
def grid_config():
    return json_script(rules.grid_config(), "grid-config")
