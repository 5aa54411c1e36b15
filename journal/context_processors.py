from django.utils.functional import SimpleLazyObject, cached_property

from . import access
from .roles import user_roles


class NavItems:
    """Which of the journal's menu items a user sees, each from its named predicate
    (journal/access.py); computed only when the menu asks, at most once per request."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def my_journals(self):
        return access.can_open_my_journals(self.user)

    @cached_property
    def school_journals(self):
        return access.can_read_school_journals(self.user)

    @cached_property
    def corrections(self):
        return access.can_read_corrections(self.user)

    @cached_property
    def new_corrections(self):
        """The deputy's count of requests waiting for a decision (one query, only for her)."""
        if not access.can_decide_corrections(self.user):
            return 0
        return access.pending_corrections(self.user).count()

    @cached_property
    def substitutions(self):
        return access.can_read_school_substitutions(self.user)

    @cached_property
    def outages(self):
        return access.can_manage_outages(self.user)


def nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": frozenset()}
    return {"roles": user_roles(user), "nav_journal": SimpleLazyObject(lambda: NavItems(user))}
