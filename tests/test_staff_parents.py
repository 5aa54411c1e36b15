"""Staff who are parents in a class: the class teacher manages the family side of her
class, not her colleagues' or superiors' accounts (their credentials are the
administrator's), while they keep reading their children's diaries."""

import re

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import CredentialIssue, Guardianship, RoleAssignment
from accounts.scopes import managed_people
from tests.world import add_teacher_parent

from . import factories as F


def _son(teacher_parent):
    return Guardianship.objects.get(parent=teacher_parent).child


def _parent_in_5a(world, parent):
    child = F.EnrollmentFactory(school_class=world.klass).pupil
    F.GuardianshipFactory(parent=parent, child=child)
    return parent


def _role_holder(role):
    return lambda w: _parent_in_5a(w, getattr(w, role))


def _flagged(**flags):
    return lambda w: _parent_in_5a(w, F.UserFactory(school=w.school, **flags))


def _leads(school_class):
    school_class.class_teacher = F.UserFactory(school=school_class.year.school)
    school_class.save(update_fields=["class_teacher"])
    return school_class.class_teacher


STAFF_PARENTS = {
    "director": _role_holder("director"),
    "deputy": _role_holder("deputy"),
    "admin": _role_holder("admin"),
    "secretary": lambda w: _parent_in_5a(w, F.RoleFactory(school=w.school, role=RoleAssignment.Role.SECRETARY).user),
    "teacher": add_teacher_parent,
    "class teacher of 5Б": lambda w: _parent_in_5a(w, _leads(w.other_class)),
    "is_staff": _flagged(is_staff=True),
    "superuser": _flagged(is_superuser=True),
}


@pytest.mark.parametrize("kind", STAFF_PARENTS)
def test_class_teacher_does_not_manage_staff_who_are_parents_in_her_class(world, kind):
    staff_parent = STAFF_PARENTS[kind](world)
    managed = managed_people(world.class_teacher)
    assert not managed.filter(pk=staff_parent.pk).exists()
    # ... while the family side of her class stays hers.
    child = Guardianship.objects.filter(parent=staff_parent).latest("pk").child
    assert set(managed.filter(pk__in=[child.pk, world.parent.pk]).values_list("pk", flat=True)) == {
        child.pk,
        world.parent.pk,
    }
    with pytest.raises(services.NotAllowed):
        services.issue_credentials(world.class_teacher, [staff_parent])
    with pytest.raises(services.NotAllowed):
        services.update_card(world.class_teacher, staff_parent, phone="+7 900 000-00-00")


def test_class_teacher_cannot_reissue_a_colleagues_credentials_or_open_her_card(world, client):
    teacher_parent = add_teacher_parent(world)
    password = teacher_parent.password
    client.force_login(world.class_teacher)

    assert client.get(reverse("accounts:person", args=[teacher_parent.pk])).status_code == 404
    assert client.post(reverse("accounts:issue_slips"), {"ids": [teacher_parent.pk]}).status_code == 404
    # Smuggled in with her own pupils, the whole request is refused.
    resp = client.post(reverse("accounts:issue_slips"), {"ids": [world.pupil.pk, teacher_parent.pk]})
    assert resp.status_code == 404
    teacher_parent.refresh_from_db()
    assert teacher_parent.password == password and not teacher_parent.must_change_password
    assert not CredentialIssue.objects.filter(user=teacher_parent).exists()

    # The son is an ordinary pupil of her class.
    resp = client.post(reverse("accounts:issue_slips"), {"ids": [_son(teacher_parent).pk]})
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"


def test_the_administrator_issues_the_colleagues_credentials(world, client):
    teacher_parent = add_teacher_parent(world)
    client.force_login(world.admin)
    resp = client.post(reverse("accounts:issue_slips"), {"ids": [teacher_parent.pk]})
    assert resp.status_code == 200
    assert CredentialIssue.objects.get(user=teacher_parent).issued_by == world.admin


def test_the_teacher_parent_still_reads_her_sons_diary(world, client):
    teacher_parent = add_teacher_parent(world)
    client.force_login(teacher_parent)
    assert client.get(reverse("diary:week", kwargs={"pupil_id": _son(teacher_parent).pk})).status_code == 200
    assert client.get(reverse("diary:week", kwargs={"pupil_id": world.pupil.pk})).status_code == 404


def test_the_class_list_offers_slips_only_for_people_the_class_teacher_manages(world, client):
    teacher_parent = add_teacher_parent(world)
    client.force_login(world.class_teacher)
    html = client.get(reverse("journal:class_people", args=[world.klass.pk])).content.decode()
    son = teacher_parent.children_links.get().child
    assert f'name="ids" value="{son.pk}"' in html
    assert f'name="ids" value="{world.parent.pk}"' in html
    assert f'name="ids" value="{teacher_parent.pk}"' not in html
    assert reverse("accounts:person", args=[teacher_parent.pk]) not in html
    assert teacher_parent.full_name in html  # still listed as the boy's mother
    # "select all" then print: every ticked person is hers, so the slips are issued
    ids = re.findall(r'name="ids" value="(\d+)"', html)
    slips = client.post(reverse("accounts:issue_slips"), {"ids": ids})
    assert slips.status_code == 200 and slips["Content-Type"] == "application/pdf"
