"""Access decisions of accounts: which people cards a user may open or edit."""

from django.http import Http404

from .models import Compromise, RoleAssignment, User
from .scopes import assigned_roles, is_school_admin, managed_people

PEOPLE_READERS = frozenset({RoleAssignment.Role.DIRECTOR.value, RoleAssignment.Role.DEPUTY.value})


def people_readable(user):
    """Cards `user` may open: the people they manage; the whole school for director and deputy."""
    if not user.is_authenticated or user.school_id is None:
        return User.objects.none()
    if assigned_roles(user) & PEOPLE_READERS:
        return User.objects.filter(school_id=user.school_id)
    return managed_people(user)


def get_person_for_user(user, pk):
    """(person, can_write); can_write: edit the card, issue credentials, record consent."""
    person = people_readable(user).select_related("school").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person, managed_people(user).filter(pk=person.pk).exists()


def get_compromise_for_user(user, pk):
    if not is_school_admin(user):
        raise Http404
    comp = (
        Compromise.objects.select_related("user", "recorded_by", "school")
        .filter(pk=pk, school_id=user.school_id)
        .first()
    )
    if comp is None:
        raise Http404
    return comp, True
