"""Who manages which people — the part of access control accounts can answer itself.

accounts knows assigned roles (RoleAssignment) but not classes: journal registers a
provider for "the pupils and parents of the classes a class teacher leads"
(journal/apps.py), keeping the dependency direction accounts ← journal.
"""

from collections.abc import Callable

from django.db.models import Q

from .models import RoleAssignment, User
from .roles import ADMIN

# Each provider: (actor) -> Q over User selecting the people the actor manages, or None.
_people_scopes: list[Callable] = []


def register_people_scope(fn: Callable) -> None:
    if fn not in _people_scopes:
        _people_scopes.append(fn)


def assigned_roles(user) -> frozenset[str]:
    """Assigned roles of `user` in their school, memoised on the user object for one request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_ej_assigned_roles", None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user=user, school_id=user.school_id).values_list("role", flat=True)
        )
        user._ej_assigned_roles = cached
    return cached


def is_school_admin(user) -> bool:
    return ADMIN in assigned_roles(user)


def managed_people(user):
    """People whose account, credentials and personal card `user` manages.

    The administrator: everyone of the school. Others: what the providers grant
    (a class teacher: pupils and parents of own class). Never across schools.
    """
    if not user.is_authenticated or user.school_id is None:
        return User.objects.none()
    qs = User.objects.filter(school_id=user.school_id)
    if is_school_admin(user):
        return qs
    cond = Q(pk__in=[])
    for provider in _people_scopes:
        q = provider(user)
        if q is not None:
            cond |= q
    return qs.filter(cond)


def can_manage(user, person) -> bool:
    return managed_people(user).filter(pk=getattr(person, "pk", person)).exists()


# The people list's filter by class (issue 15): classes are journal's, so journal
# registers (options(user) -> [(pk, label)], members_q(user, pk) -> Q | None).
_class_filter: list = []


def register_class_filter(options: Callable, members_q: Callable) -> None:
    _class_filter[:] = [(options, members_q)]


def class_filter_options(user) -> list:
    return _class_filter[0][0](user) if _class_filter else []


def class_members_q(user, pk):
    return _class_filter[0][1](user, pk) if _class_filter else None
