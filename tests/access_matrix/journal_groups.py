"""Access rows for a class's «Подгруппы» (issue 15, point 4). 5А is split for English
(tests/world.py `add_groups`); Соколов (`teacher`) keeps group 1's journal. The page is
read by the class teacher, the group's teacher, the administrator, the deputy and the
director (the secretary, no persona here: tests/test_groups.py); a new split is the class
teacher's and the administrator's, a group's members also its teacher's; the deputy and
the director read only (403 on the forms); anyone else 404."""

from .. import world as W
from . import Row

READERS = {"class_teacher": 200, "teacher": 200, "admin": 200, "deputy": 200, "director": 200}
SCHOOL_READERS = {"admin": 200, "deputy": 200, "director": 200}
READ_ONLY = {"deputy": 403, "director": 403}


def _group(w):
    return {"pk": W.add_groups(w).first.pk}


def _foreign_group(w):
    from ..factories import GroupFactory

    return {"pk": GroupFactory(school_class=w.foreign_class).pk}


def _add_nobody(w):
    return {f"add-g{W.add_groups(w).first.pk}-start": "2026-11-20"}


def _move_nobody(w):
    return {f"move-g{W.add_groups(w).first.pk}-day": "2026-11-20"}


ROWS = [
    Row("journal:class_groups", kwargs=lambda w: {"pk": (W.add_groups(w), w.klass.pk)[1]}, expect=READERS),
    Row("journal:class_groups", kwargs=lambda w: {"pk": w.other_class.pk}, expect=SCHOOL_READERS, note="not own"),
    Row("journal:class_groups", kwargs=lambda w: {"pk": w.foreign_class.pk}, expect={"outsider": 200}),
    Row(
        "journal:group_split_new",
        method="POST",
        kwargs=lambda w: {"pk": (W.add_groups(w), w.klass.pk)[1]},
        data=lambda w: {"split-name": "", "split-groups": "2"},
        expect={"class_teacher": 422, "admin": 422, "teacher": 403, **READ_ONLY},
        note="no name: the page again with the message; a group's teacher does not split the class",
    ),
    Row(
        "journal:group_split_new",
        method="POST",
        kwargs=lambda w: {"pk": w.foreign_class.pk},
        data=lambda w: {"split-name": "труд", "split-groups": "2"},
        expect={"outsider": 403},
        note="another school: its deputy reads only",
    ),
    Row(
        "journal:group_add",
        method="POST",
        kwargs=_group,
        data=_add_nobody,
        expect={"class_teacher": 422, "teacher": 422, "admin": 422, **READ_ONLY},
        note="nobody ticked: the page again with the message",
    ),
    Row("journal:group_add", method="POST", kwargs=_foreign_group, data=lambda w: {}, expect={"outsider": 403}),
    Row(
        "journal:group_move",
        method="POST",
        kwargs=_group,
        data=_move_nobody,
        expect={"class_teacher": 422, "teacher": 422, "admin": 422, **READ_ONLY},
        note="no pupil chosen: the page again with the message",
    ),
    Row("journal:group_move", method="POST", kwargs=_foreign_group, data=lambda w: {}, expect={"outsider": 403}),
]
