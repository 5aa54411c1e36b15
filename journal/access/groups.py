"""Access to a class's subgroups («Подгруппы», issue 15, point 4; docs/DESIGN.md §1.3, §3.16).

The class teacher forms the splits and their groups; she, the school's secretary and
administrator (journal.roles.PUPIL_MOVEMENT_EDITORS) change every group of the class;
the teacher of a group's journal changes the groups of that split (with the other
group's teacher she decides who is in which). The deputy and the director read the
page. A closed year's groups are read-only. Anyone else: 404.
"""

from django.http import Http404

from accounts.predicates import predicate

from .. import roles as R
from ..models import Group, SchoolClass, TeachingAssignment
from .core import has_role, reads_whole_school


def _group_journals(user, klass):
    """(group id, split id) of the user's active group journals in `klass` (one query)."""
    cached = getattr(user, "_ej_group_journals", None)
    if cached is not None and cached[0] == klass.pk:
        return cached[1]
    rows = set(
        TeachingAssignment.objects.filter(
            teacher_id=user.pk, school_class_id=klass.pk, is_active=True, group__isnull=False
        ).values_list("group_id", "group__split_id")
    )
    user._ej_group_journals = (klass.pk, rows)
    return rows


@predicate("manage_class_groups")
def can_manage_class_groups(user, klass) -> bool:
    """Form a new split of the class and change all of its groups: the class teacher, the
    secretary and the administrator of the school, while the year is open."""
    if not user.is_authenticated or klass.year.school_id != user.school_id or klass.year.is_closed:
        return False
    return klass.class_teacher_id == user.pk or has_role(user, *R.PUPIL_MOVEMENT_EDITORS)


@predicate("manage_group")
def can_manage_group(user, group, klass=None) -> bool:
    """Add pupils to `group` and move them out of it: a class-level manager, or the teacher
    of a journal of this group or of another group of its split."""
    klass = klass or group.school_class
    if can_manage_class_groups(user, klass):
        return True
    if not user.is_authenticated or klass.year.school_id != user.school_id or klass.year.is_closed:
        return False
    mine = _group_journals(user, klass)
    return any(gid == group.pk or (split and split == group.split_id) for gid, split in mine)


@predicate("read_class_groups")
def can_read_class_groups(user, klass) -> bool:
    """The class's «Подгруппы» page: its managers, the teachers of its groups' journals,
    the deputy and the director."""
    if not user.is_authenticated or klass.year.school_id != user.school_id:
        return False
    if klass.class_teacher_id == user.pk or has_role(user, *R.PUPIL_MOVEMENT_EDITORS) or reads_whole_school(user):
        return True
    return bool(_group_journals(user, klass))


def get_groups_class_for_user(user, pk):
    """(class, may form splits) for the «Подгруппы» page; 404 for anyone who may not read it."""
    if not user.is_authenticated:
        raise Http404
    klass = (
        SchoolClass.objects.filter(year__school_id=user.school_id, pk=pk)
        .select_related("year__school", "class_teacher")
        .first()
    )
    if klass is None or not can_read_class_groups(user, klass):
        raise Http404
    return klass, can_manage_class_groups(user, klass)


def get_group_for_user(user, pk):
    """(group, may change its members); 404 outside the groups the user may read."""
    if not user.is_authenticated:
        raise Http404
    group = (
        Group.objects.filter(school_class__year__school_id=user.school_id, pk=pk)
        .select_related("school_class__year__school", "school_class__class_teacher", "split")
        .first()
    )
    if group is None or not can_read_class_groups(user, group.school_class):
        raise Http404
    return group, can_manage_group(user, group)
