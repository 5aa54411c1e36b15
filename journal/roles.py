"""Which roles a person holds, derived from assigned roles and domain links.

The role names and their named sets are accounts.roles (re-exported here, so
`from journal import roles as R` gives both the vocabulary and `user_roles()`).
"""

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Guardianship, RoleAssignment
from accounts.roles import (  # noqa: F401 — the vocabulary, re-exported
    ACCOUNT_MANAGERS,
    ADMIN,
    ANNOUNCERS,
    ASSIGNED,
    CLASS_LIST_READERS,
    CLASS_TEACHER,
    CORRECTION_DECIDERS,
    CORRECTION_READERS,
    DEPUTY,
    DIARY_OWNERS,
    DIRECTOR,
    JOURNAL_STAFF,
    LESSON_EDITORS,
    OUTAGE_MANAGERS,
    OUTAGE_READERS,
    PARENT,
    PERSONAL_DATA_READERS,
    PROMOTION_RECORDERS,
    PUPIL_MOVEMENT_EDITORS,
    REPORT_BUILDERS,
    SCHEDULER,
    SECRETARY,
    STRUCTURE_MANAGERS,
    STUDENT,
    SUBSTITUTION_ASSIGNERS,
    SUBSTITUTION_LOG_READERS,
    SUBSTITUTION_READERS,
    TEACHER,
    TEACHING_STAFF,
    TEMP_JOURNAL_TRANSFERRERS,
    TIMETABLE_EDITORS,
    TWO_FACTOR_ROLES,
    WHOLE_SCHOOL_READERS,
)
from ejournal import prepared

from .models import Enrollment, SchoolClass, TeachingAssignment


def has_any(user, roles) -> bool:
    return bool(user_roles(user) & frozenset(roles))


def _fact_expressions(school, now) -> dict:
    """The facts the roles derive from, as subqueries of a User row: its assigned roles in
    school `school`, and the domain links that make a teacher, class teacher, parent, pupil."""
    from .models import Substitution

    return {
        "assigned": ArraySubquery(RoleAssignment.objects.filter(user=OuterRef("pk"), school_id=school).values("role")),
        "teaches": Exists(TeachingAssignment.objects.filter(teacher=OuterRef("pk"), is_active=True)),
        "led": ArraySubquery(
            SchoolClass.objects.filter(class_teacher=OuterRef("pk"), year__is_closed=False)
            .order_by("grade", "letter")
            .values("pk")
        ),
        "guards": Exists(Guardianship.objects.filter(parent=OuterRef("pk"))),
        "enrolled": Exists(Enrollment.objects.filter(pupil=OuterRef("pk"))),
        # «Мои журналы» for the administration substituting a lesson now (access.can_open_my_journals;
        # the page lists the lessons through access.substituted_lessons)
        "substitutes": Exists(Substitution.objects.active(now).filter(substitute=OuterRef("pk"))),
    }


def _facts(user, school, now):
    """The facts of user `user` in school `school` at `now`: one row."""
    return get_user_model().objects.filter(pk=user).values(**_fact_expressions(school, now)).order_by()


_SESSION_FACT = "ej_fact_"


def session_user_facts(now) -> dict:
    """The same facts as annotations of the session's user (accounts.backends): the user and
    their roles in one query, which every signed-in page runs."""
    return {_SESSION_FACT + k: v for k, v in _fact_expressions(OuterRef("school_id"), now).items()}


_FACTS = ("assigned", "teaches", "led", "guards", "enrolled", "substitutes")


def _session_facts(user) -> dict | None:
    """The facts the session's user was loaded with, taken once (a later ask queries afresh).
    Through getattr: the request's user is a lazy proxy."""
    if not hasattr(user, _SESSION_FACT + _FACTS[0]):
        return None
    row = {k: getattr(user, _SESSION_FACT + k) for k in _FACTS}
    for k in _FACTS:
        delattr(user, _SESSION_FACT + k)
    return row


def user_roles(user) -> frozenset[str]:
    """All roles of `user` in their school, memoised on the user object for one request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_ej_roles", None)
    if cached is not None:
        return cached
    # One query for all the facts, usually the session user's own (session_user_facts): this
    # runs on every page (the nav), so it counts; compiled once per process (ejournal/prepared.py).
    row = _session_facts(user)
    row = (
        row
        or prepared.first_row("journal.roles", _facts, user=user.pk, school=user.school_id, now=timezone.now())
        or {
            "assigned": [],
            "teaches": False,
            "led": [],
            "guards": False,
            "enrolled": False,
            "substitutes": False,
        }
    )
    # Prime accounts.scopes.assigned_roles for the rest of the request.
    user._ej_assigned_roles = frozenset(row["assigned"])
    user._ej_led_class_ids = tuple(row["led"])
    user._ej_substitutes = row["substitutes"]
    roles = set(row["assigned"])
    for flag, role in (("teaches", TEACHER), ("led", CLASS_TEACHER), ("guards", PARENT), ("enrolled", STUDENT)):
        if row[flag]:
            roles.add(role)
    user._ej_roles = frozenset(roles)
    return user._ej_roles


def substitutes_now(user) -> bool:
    """Does `user` substitute a lesson now (an active substitution)? From the same one query."""
    if not user.is_authenticated:
        return False
    user_roles(user)
    return getattr(user, "_ej_substitutes", False)


def led_class_ids(user) -> tuple[int, ...]:
    """Classes of open years `user` leads as class teacher (ids), from the same one query."""
    if not user_roles(user):
        return ()
    return getattr(user, "_ej_led_class_ids", ())
