"""Access decisions of the journal app: the one place views ask.

Helpers return querysets filtered in the database, or (object, can_write) pairs,
and raise Http404 for anything outside the user's scope — never 403, so nobody
learns that an object exists.

Per-object rights come from django-guardian object permissions (journal/permissions.py
keeps them equal to the links): `fill_journal` on a teaching assignment (its teacher),
`lead_class` on a class (class teacher), `substitute_lesson` on a lesson (substitute),
`accounts.read_diary` on a pupil (parent). School-wide reading comes from the assigned
roles director and deputy. Every query is also confined to the user's school.

The rules views, menus and templates share are named predicates (`can_write_lesson`,
`can_set_period_marks`, `reads_whole_school`, …), registered in accounts.predicates so
a template asks the same function: `{% if request.user|can:"control_journal" %}`.
Role sets come from the one vocabulary, accounts.roles (through `roles as R`).
"""

from .closure import *  # noqa: F403
from .core import *  # noqa: F403
from .groups import *  # noqa: F403
from .navigation import *  # noqa: F403
from .promotion import *  # noqa: F403
from .records import *  # noqa: F403
from .school_setup import *  # noqa: F403
from .setup import *  # noqa: F403
from .years import *  # noqa: F403
