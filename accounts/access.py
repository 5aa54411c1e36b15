"""Access decisions of accounts: which people cards a user may open or edit."""

from django.http import Http404

from .models import Compromise, CredentialIssue, User
from .predicates import predicate
from .roles import WHOLE_SCHOOL_READERS
from .scopes import assigned_roles, is_school_admin, managed_people


@predicate("manage_school")
def manages_school(user) -> bool:
    """The school's administrator (администратор ЭЖ): school setup, accounts, credentials."""
    return is_school_admin(user)


def people_readable(user):
    """Cards `user` may open: the people they manage; the whole school for director and deputy."""
    if not user.is_authenticated or user.school_id is None:
        return User.objects.none()
    if assigned_roles(user) & WHOLE_SCHOOL_READERS:
        return User.objects.filter(school_id=user.school_id)
    return managed_people(user)


def get_person_for_user(user, pk):
    """(person, can_write); can_write: edit the card, issue credentials, record consent."""
    person = people_readable(user).select_related("school").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person, managed_people(user).filter(pk=person.pk).exists()


def get_managed_people_for_user(user, ids):
    """The people `ids` name, all of whom `user` manages (issues credentials to), by name;
    404 if the list is empty or anyone in it is out of scope."""
    ids = set(ids)
    people = list(managed_people(user).filter(pk__in=ids).order_by("last_name", "first_name"))
    if not ids or len(people) != len(ids):
        raise Http404
    return people


def get_credential_issue_for_user(user, pk):
    """(issue, can_write) for a credential receipt of someone `user` manages."""
    issue = CredentialIssue.objects.select_related("user").filter(pk=pk, user__in=managed_people(user)).first()
    if issue is None:
        raise Http404
    return issue, True


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
