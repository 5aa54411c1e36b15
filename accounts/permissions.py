"""Object permissions owned by accounts, and the helper every app uses to keep
django-guardian rows equal to the domain links they are derived from.

accounts owns the permissions on people (`read_diary`: parent → child, from
Guardianship); journal owns those on journal objects (journal/permissions.py).
"""

from django.contrib.auth.models import Permission
from django.db import transaction

from .models import Guardianship, User, UserDiaryPermission

READ_DIARY = "read_diary"

_perm_ids: dict[tuple[str, str], int] = {}


def forget_permission_ids() -> None:
    _perm_ids.clear()


def permission_id(app_label: str, codename: str) -> int:
    key = (app_label, codename)
    if key not in _perm_ids:
        _perm_ids[key] = Permission.objects.get(content_type__app_label=app_label, codename=codename).pk
    return _perm_ids[key]


def sync_object(perm_model, perm_id: int, object_id, holders) -> None:
    """Make exactly `holders` (user ids) hold `perm_id` on object `object_id`."""
    holders = {h for h in holders if h is not None}
    current = perm_model.objects.filter(permission_id=perm_id, content_object_id=object_id)
    current.exclude(user_id__in=holders).delete()
    have = set(current.values_list("user_id", flat=True))
    perm_model.objects.bulk_create(
        [perm_model(user_id=u, permission_id=perm_id, content_object_id=object_id) for u in holders - have],
        ignore_conflicts=True,
    )


def rebuild_model(perm_model, perm_id: int, expected: set[tuple[int, int]]) -> tuple[int, int]:
    """Replace all rows of one permission by `expected` (user id, object id) pairs.
    Returns (removed, added)."""
    rows = perm_model.objects.filter(permission_id=perm_id)
    actual = set(rows.values_list("user_id", "content_object_id"))
    stale = actual - expected
    missing = expected - actual
    for user_id, obj_id in stale:
        rows.filter(user_id=user_id, content_object_id=obj_id).delete()
    perm_model.objects.bulk_create(
        [perm_model(user_id=u, permission_id=perm_id, content_object_id=o) for u, o in missing],
        ignore_conflicts=True,
        batch_size=2000,
    )
    return len(stale), len(missing)


def actual_pairs(perm_model, perm_id: int) -> set[tuple[int, int]]:
    return set(perm_model.objects.filter(permission_id=perm_id).values_list("user_id", "content_object_id"))


# --- read_diary: parent → child -------------------------------------------------------


def sync_diary(child_id) -> None:
    """The child's parents (and only they) read the child's diary."""
    parents = Guardianship.objects.filter(child_id=child_id).values_list("parent_id", flat=True)
    sync_object(UserDiaryPermission, permission_id("accounts", READ_DIARY), child_id, set(parents))


def expected_diary_pairs() -> set[tuple[int, int]]:
    return set(Guardianship.objects.values_list("parent_id", "child_id"))


def rebuild_diary() -> tuple[int, int]:
    with transaction.atomic():
        return rebuild_model(UserDiaryPermission, permission_id("accounts", READ_DIARY), expected_diary_pairs())


def diary_pairs() -> set[tuple[int, int]]:
    return actual_pairs(UserDiaryPermission, permission_id("accounts", READ_DIARY))


def readable_diaries(user):
    """Pupils whose diary `user` reads through `read_diary` (a database-filtered queryset)."""
    from guardian.shortcuts import get_objects_for_user

    return get_objects_for_user(
        user, f"accounts.{READ_DIARY}", klass=User, use_groups=False, with_superuser=False, accept_global_perms=False
    )
