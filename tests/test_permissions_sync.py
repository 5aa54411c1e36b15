"""Object permissions always equal what the domain links imply.

Links are created, changed and deleted through the services and through plain model
saves (the Django admin's save path), then the stored permissions are compared with
a fresh rebuild from the domain data (`manage.py sync_permissions`).
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from accounts import services as acc
from accounts.models import Guardianship, UserDiaryPermission
from journal import access, permissions
from journal.models import AssignmentPermission, SchoolClass, TeachingAssignment
from journal.services import links
from journal.services.errors import NotAllowed

from . import factories as F


def assert_in_sync():
    assert permissions.actual_state() == permissions.expected_state()


def test_world_links_grant_their_permissions(world):
    assert_in_sync()
    assert world.teacher.has_perm("journal.fill_journal", world.assignment)
    assert not world.teacher.has_perm("journal.fill_journal", world.other_assignment)
    assert world.class_teacher.has_perm("journal.lead_class", world.klass)
    assert world.parent.has_perm("accounts.read_diary", world.pupil)
    assert not world.parent.has_perm("accounts.read_diary", world.other_pupil)
    assert list(get_objects_for_user(world.teacher, "journal.fill_journal", TeachingAssignment, use_groups=False)) == [
        world.assignment
    ]


def test_services_move_permissions_and_stay_in_sync(world):
    new_teacher = F.UserFactory(school=world.school)
    links.assign_teacher(world.admin, world.assignment, new_teacher)
    assert_in_sync()
    assert not AssignmentPermission.objects.filter(user=world.teacher).exists()
    with pytest.raises(Http404):
        access.get_assignment_for_user(world.teacher, world.assignment.pk)
    assert access.get_assignment_for_user(new_teacher, world.assignment.pk)[1] is True

    links.change_class_teacher(world.admin, world.other_class, world.class_teacher)
    links.change_class_teacher(world.admin, world.klass, None)
    assert_in_sync()
    assert set(access.led_classes(world.class_teacher)) == {world.other_class}

    links.set_assignment_active(world.admin, world.assignment, False)
    assert_in_sync()
    assert not access.own_assignments(new_teacher).exists()

    g = acc.add_guardianship(world.admin, parent=world.parent, child=world.other_pupil, relation="mother")
    assert_in_sync()
    assert set(access.children_of(world.parent)) == {world.pupil, world.other_pupil}
    acc.remove_guardianship(world.admin, g)
    assert_in_sync()
    assert list(access.children_of(world.parent)) == [world.pupil]


def test_admin_save_paths_keep_permissions_in_sync(world):
    """What the Django admin does: ModelAdmin.save_model → obj.save(), delete_model → obj.delete()."""
    a = TeachingAssignment.objects.get(pk=world.assignment.pk)
    a.teacher = world.class_teacher
    a.save()
    c = SchoolClass.objects.get(pk=world.other_class.pk)
    c.class_teacher = world.teacher
    c.save()
    g = Guardianship.objects.get(parent=world.parent, child=world.pupil)
    g.child = world.other_pupil
    g.save()
    assert_in_sync()
    assert not world.parent.has_perm("accounts.read_diary", world.pupil)
    Guardianship.objects.get(pk=g.pk).delete()
    extra = F.AssignmentFactory(school_class=world.klass, teacher=world.teacher)
    assert_in_sync()
    extra.delete()
    assert_in_sync()
    assert not UserDiaryPermission.objects.filter(user=world.parent).exists()


def test_only_the_administrator_changes_links(world):
    for actor in (world.teacher, world.class_teacher, world.deputy, world.director, world.outsider):
        with pytest.raises(NotAllowed):
            links.assign_teacher(actor, world.assignment, world.class_teacher)
    foreign_teacher = F.UserFactory(school=world.foreign_school)
    with pytest.raises(Exception, match="школе"):
        links.assign_teacher(world.admin, world.assignment, foreign_teacher)
    assert_in_sync()


def test_sync_permissions_command_repairs_drift(world):
    # Bulk writes skip signals: the rebuild is what repairs them.
    TeachingAssignment.objects.filter(pk=world.assignment.pk).update(teacher=world.class_teacher)
    AssignmentPermission.objects.filter(user=world.class_teacher).delete()
    UserDiaryPermission.objects.all().delete()
    assert permissions.actual_state() != permissions.expected_state()
    out = StringIO()
    call_command("sync_permissions", stdout=out)
    assert "fill_journal: removed 1, added 1" in out.getvalue()
    assert "read_diary: removed 0, added 2" in out.getvalue()
    assert_in_sync()
    call_command("sync_permissions", stdout=StringIO())
    assert_in_sync()


def test_substitution_grants_the_lesson_until_revoked_or_ended(world):
    from datetime import timedelta

    from django.utils import timezone

    lesson = world.other_assignment.lessons.first()
    assert not access.lesson_write_allowed(world.teacher, lesson)
    sub = F.SubstitutionFactory(lesson=lesson, substitute=world.teacher, assigned_by=world.deputy)
    assert access.lesson_write_allowed(world.teacher, lesson)
    assert access.get_lesson_for_user(world.teacher, lesson.pk)[1] is True
    assert_in_sync()
    # Only that lesson, not the whole journal.
    with pytest.raises(Http404):
        access.get_assignment_for_user(world.teacher, world.other_assignment.pk)
    # Revoking is a save: the permission goes with it.
    sub.revoked_at, sub.revoked_by = timezone.now(), world.deputy
    sub.save()
    assert not access.lesson_write_allowed(world.teacher, lesson)
    with pytest.raises(Http404):
        access.get_lesson_for_user(world.teacher, lesson.pk)
    assert_in_sync()
    # An ended substitution gives nothing even before the nightly rebuild drops the row.
    F.SubstitutionFactory(
        lesson=lesson, substitute=world.teacher, assigned_by=world.deputy, ends_at=timezone.now() + timedelta(hours=1)
    )
    assert access.lesson_write_allowed(world.teacher, lesson)
    lesson.substitutions.filter(revoked_at__isnull=True).update(ends_at=timezone.now() - timedelta(minutes=1))
    assert not access.lesson_write_allowed(world.teacher, lesson)
    permissions.rebuild_all()
    assert_in_sync()


def test_access_queries_are_filtered_in_the_database(world, django_assert_max_num_queries):
    for _ in range(20):
        F.AssignmentFactory(school_class=world.other_class, teacher=world.teacher)
    with django_assert_max_num_queries(3):
        ids = list(access.assignments_readable(world.teacher).values_list("pk", flat=True))
    assert len(ids) == 21
    with django_assert_max_num_queries(3):
        assert len(list(access.lessons_readable(world.teacher))) == 3


def test_revoking_a_link_takes_effect_on_the_next_request(world, client):
    from django.urls import reverse

    teacher_client, parent_client = client, type(client)()
    teacher_client.force_login(world.teacher)
    parent_client.force_login(world.parent)
    grid = reverse("journal:grid", args=[world.assignment.pk])
    week = reverse("diary:week", args=[world.pupil.pk])
    assert teacher_client.get(grid, follow=True).status_code == 200
    assert parent_client.get(week).status_code == 200

    links.assign_teacher(world.admin, world.assignment, world.class_teacher)
    acc.remove_guardianship(world.admin, Guardianship.objects.get(parent=world.parent, child=world.pupil))

    # same sessions, no new login: the very next request is refused
    assert teacher_client.get(grid).status_code == 404
    assert parent_client.get(week).status_code == 404
