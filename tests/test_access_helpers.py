import pytest
from django.http import Http404

from journal import access


def test_parent_reads_own_child_only(world):
    assert list(access.children_of(world.parent)) == [world.pupil]
    pupil, can_write = access.get_pupil_for_user(world.parent, world.pupil.pk)
    assert pupil == world.pupil and not can_write
    with pytest.raises(Http404):
        access.get_pupil_for_user(world.parent, world.other_pupil.pk)


def test_teacher_writes_own_journal_class_teacher_reads_it(world):
    _, can_write = access.get_assignment_for_user(world.teacher, world.assignment.pk)
    assert can_write
    _, can_write = access.get_assignment_for_user(world.class_teacher, world.assignment.pk)
    assert not can_write
    with pytest.raises(Http404):
        access.get_assignment_for_user(world.teacher, world.other_assignment.pk)


def test_nothing_crosses_schools(world):
    with pytest.raises(Http404):
        access.get_lesson_for_user(world.outsider, world.lessons[0].pk)
    with pytest.raises(Http404):
        access.get_lesson_for_user(world.deputy, world.foreign_lesson.pk)
    with pytest.raises(Http404):
        access.get_pupil_for_user(world.deputy, world.foreign_pupil.pk)
    assert not access.classes_readable(world.deputy).filter(pk=world.foreign_class.pk).exists()


def test_a_pupil_who_is_also_a_parent_reads_both_diaries_once(world):
    """An evening-school pupil with a child of her own: herself and the child, each once
    (children_of is a union of the two id sets)."""
    from . import factories as F

    F.GuardianshipFactory(parent=world.pupil, child=world.other_pupil)
    assert list(access.children_of(world.pupil).order_by("pk")) == sorted(
        [world.pupil, world.other_pupil], key=lambda u: u.pk
    )
    assert not access.children_of(world.teacher).exists()
