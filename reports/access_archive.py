"""Who reaches the year archive (docs/DESIGN.md §1, §3): the administrator builds it and
uploads the school's certificate; the director signs; administrator, director and deputy
read and verify. Another school's item is a 404; a wrong role is 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.predicates import predicate
from journal import roles as R

from .models_archive import ArchiveItem

READERS = frozenset({R.ADMIN, R.DIRECTOR, R.DEPUTY})
BUILDERS = frozenset({R.ADMIN})
SIGNERS = frozenset({R.DIRECTOR})


@predicate("read_archive")
def can_read_archive(user) -> bool:
    """The archive page is in the menu of the administrator, the director and the deputy."""
    return bool(R.user_roles(user) & READERS)


def check(user, roles=READERS):
    if not R.user_roles(user) & roles:
        raise PermissionDenied


def items_readable(user):
    check(user)
    return ArchiveItem.objects.filter(school_id=user.school_id)


def get_item_for_user(user, pk, roles=READERS) -> ArchiveItem:
    if not R.user_roles(user) & roles:
        raise Http404
    item = ArchiveItem.objects.filter(school_id=user.school_id, pk=pk).select_related("school", "signed_by").first()
    if item is None:
        raise Http404
    return item
