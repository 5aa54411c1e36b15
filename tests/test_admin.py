"""The Django admin's access matrix (test_access_matrix leaves `admin:` URLs to this file).

Generated from `admin.site._registry`: every registered model must be listed below,
either as school-scoped (with an object of the admin's school and one of another
school) or as the operator's alone. A model registered without an entry fails
`test_every_registered_model_is_covered`.
"""

from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts import services
from accounts.admin import SCHOOL_PATHS, school_admin_permissions
from accounts.models import AuditEvent, Guardianship, RoleAssignment, School, User
from journal.models import (
    AcademicYear,
    Bell,
    CurriculumLine,
    Enrollment,
    Group,
    GroupMembership,
    Holidays,
    Room,
    SchoolClass,
    StudyPeriod,
    Subject,
    TeachingAssignment,
    TimetableEntry,
    WorkType,
)

from . import factories as F


def _holidays(year):
    return Holidays.objects.create(year=year, name="Осенние каникулы", start=date(2026, 10, 26), end=date(2026, 11, 3))


# model -> (object of the admin's school, object of another school), built from the World.
SCOPED = {
    School: (lambda w: w.school, lambda w: w.foreign_school),
    User: (lambda w: w.pupil, lambda w: w.foreign_pupil),
    RoleAssignment: (
        lambda w: RoleAssignment.objects.get(user=w.deputy),
        lambda w: RoleAssignment.objects.get(user=w.outsider),
    ),
    Guardianship: (
        lambda w: Guardianship.objects.get(parent=w.parent),
        lambda w: F.GuardianshipFactory(parent=F.UserFactory(school=w.foreign_school), child=w.foreign_pupil),
    ),
    AcademicYear: (lambda w: w.year, lambda w: w.foreign_class.year),
    StudyPeriod: (
        lambda w: StudyPeriod.objects.filter(year=w.year).first(),
        lambda w: StudyPeriod.objects.filter(year=w.foreign_class.year).first(),
    ),
    Holidays: (lambda w: _holidays(w.year), lambda w: _holidays(w.foreign_class.year)),
    Room: (lambda w: F.RoomFactory(school=w.school), lambda w: F.RoomFactory(school=w.foreign_school)),
    Bell: (lambda w: F.BellFactory(school=w.school), lambda w: F.BellFactory(school=w.foreign_school)),
    Subject: (lambda w: w.subject, lambda w: w.foreign_assignment.subject),
    WorkType: (lambda w: w.work_type, lambda w: F.WorkTypeFactory(school=w.foreign_school)),
    SchoolClass: (lambda w: w.klass, lambda w: w.foreign_class),
    Group: (
        lambda w: F.GroupFactory(school_class=w.klass),
        lambda w: F.GroupFactory(school_class=w.foreign_class),
    ),
    CurriculumLine: (
        lambda w: F.CurriculumFactory(school_class=w.klass, subject=w.subject),
        lambda w: F.CurriculumFactory(school_class=w.foreign_class, subject=w.foreign_assignment.subject),
    ),
    TeachingAssignment: (lambda w: w.assignment, lambda w: w.foreign_assignment),
    TimetableEntry: (
        lambda w: F.TimetableFactory(assignment=w.assignment),
        lambda w: F.TimetableFactory(assignment=w.foreign_assignment),
    ),
    Enrollment: (
        lambda w: Enrollment.objects.get(pupil=w.pupil),
        lambda w: Enrollment.objects.get(pupil=w.foreign_pupil),
    ),
}
# Registered by Django and the security packages; no school owns these rows, so only
# the operator (superuser) may open them.
OPERATOR_ONLY = {"auth.group", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "otp_totp.totpdevice"}
NON_STAFF = ("teacher", "class_teacher", "parent", "pupil", "deputy", "director", "outsider")

REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label_lower)
SCOPED_REGISTERED = [m for m in REGISTERED if m in SCOPED]
OPERATOR_REGISTERED = [m for m in REGISTERED if m._meta.label_lower in OPERATOR_ONLY]


def _label(model):
    return model._meta.label_lower


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def school_admin(world):
    """The school's administrator as the accounts service leaves them: staff, in «Администраторы ЭЖ»."""
    services.set_roles(world.admin, world.admin, [RoleAssignment.Role.ADMIN])
    return world.admin


def test_every_registered_model_is_covered():
    labels = {_label(m) for m in REGISTERED}
    assert sorted(labels - {_label(m) for m in SCOPED} - OPERATOR_ONLY) == []
    assert sorted({_label(m) for m in SCOPED} - labels) == []
    assert sorted(OPERATOR_ONLY - labels) == []


def test_every_scoped_model_has_a_school_path():
    # Without one, SchoolScopedMixin would leave the model unfiltered: every school's rows.
    assert sorted(_label(m) for m in SCOPED if m not in SCHOOL_PATHS) == []


@pytest.mark.parametrize("model", SCOPED_REGISTERED, ids=_label)
def test_school_admin_sees_own_school_only(model, world, school_admin, client):
    own_of, foreign_of = SCOPED[model]
    own, foreign = own_of(world), foreign_of(world)
    client.force_login(school_admin)

    resp = client.get(_url(model, "changelist"))
    assert resp.status_code == 200
    listed = set(resp.context["cl"].queryset.values_list("pk", flat=True))
    assert own.pk in listed
    assert foreign.pk not in listed

    assert client.get(_url(model, "change", own.pk)).status_code == 200
    resp = client.get(_url(model, "change", foreign.pk))
    # The admin answers a missing object by redirecting to its index with a message.
    assert resp.status_code == 302 and resp["Location"] == reverse("admin:index")


@pytest.mark.parametrize("model", OPERATOR_REGISTERED, ids=_label)
def test_school_admin_cannot_open_operator_models(model, school_admin, client):
    client.force_login(school_admin)
    assert client.get(_url(model, "changelist")).status_code == 403


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_everyone_else_is_sent_to_the_admin_login(model, world, client):
    url = _url(model, "changelist")
    for persona in NON_STAFF:
        client.force_login(world.personas[persona])
        resp = client.get(url)
        assert resp.status_code == 302, persona
        assert resp["Location"].startswith(reverse("admin:login")), persona
        client.logout()


def test_admin_group_covers_every_school_model(db):
    codenames = set(school_admin_permissions().values_list("codename", flat=True))
    for model in SCOPED:
        assert f"view_{model._meta.model_name}" in codenames, model
    assert "delete_user" not in codenames and "add_school" not in codenames


@pytest.mark.parametrize(
    "role, writes, reads, closed",
    [
        (RoleAssignment.Role.SECRETARY, [Enrollment], [SchoolClass, User], [TimetableEntry, Bell]),
        (
            RoleAssignment.Role.SCHEDULER,
            [TimetableEntry, Bell, Room],
            [TeachingAssignment],
            [Enrollment, CurriculumLine],
        ),
    ],
)
def test_secretary_and_scheduler_work_on_their_models_of_their_school(world, client, role, writes, reads, closed):
    person = services.create_staff(
        world.admin, roles=[role], last_name="Белова", first_name="Ольга", patronymic="Ивановна"
    )
    assert person.is_staff
    client.force_login(person)
    for model in writes:
        assert client.get(_url(model, "add")).status_code == 200, model
    for model in reads + writes:
        own, foreign = (make(world) for make in SCOPED[model])
        assert client.get(_url(model, "change", own.pk)).status_code == 200, model
        assert client.get(_url(model, "change", foreign.pk)).status_code in (302, 404), model
    for model in reads:
        assert client.get(_url(model, "add")).status_code == 403, model
    for model in closed:
        assert client.get(_url(model, "changelist")).status_code == 403, model
    # the role taken away takes the admin site with it
    services.set_roles(world.admin, person, [])
    person.refresh_from_db()
    assert not person.is_staff and not person.groups.exists()


# --- the audit trail of admin changes --------------------------------------------------


def _form_data(resp):
    """The POST body the admin page would send back unchanged (main form and inlines)."""
    forms = [resp.context["adminform"].form]
    for inline in resp.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)
    return data


def test_a_change_through_the_admin_is_audited(world, school_admin, client):
    client.force_login(school_admin)
    url = _url(Subject, "change", world.subject.pk)
    data = _form_data(client.get(url))
    data["name"] = "Алгебра"
    resp = client.post(url, data)
    assert resp.status_code == 302, resp.context and resp.context["adminform"].form.errors

    world.subject.refresh_from_db()
    assert world.subject.name == "Алгебра"
    ev = AuditEvent.objects.get(action="admin.change", object_type="journal.subject")
    assert ev.object_id == str(world.subject.pk)
    assert ev.actor_id == school_admin.pk and ev.school_id == world.school.pk
    assert ev.before == {"name": "Математика"} and ev.after == {"name": "Алгебра"}


def test_inline_rows_and_deletes_through_the_admin_are_audited(world, school_admin, client):
    client.force_login(school_admin)
    group = F.GroupFactory(school_class=world.klass)
    url = _url(Group, "change", group.pk)
    page = client.get(url)
    data = _form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-TOTAL_FORMS"] = "1"
    data[f"{prefix}-0-pupil"] = str(world.pupil.pk)
    data[f"{prefix}-0-start"] = "01.09.2026"
    assert client.post(url, data).status_code == 302

    membership = GroupMembership.objects.get(group=group)
    assert membership.start == date(2026, 9, 1) and membership.end is None
    ev = AuditEvent.objects.get(action="admin.add", object_type="journal.groupmembership")
    assert ev.object_id == str(membership.pk)
    assert ev.after["pupil"] == world.pupil.pk and ev.after["group"] == group.pk
    assert ev.after["start"] == "2026-09-01" and ev.after["end"] is None
    assert ev.school_id == world.school.pk

    room = F.RoomFactory(school=world.school, number="305")
    assert client.post(_url(Room, "delete", room.pk), {"post": "yes"}).status_code == 302
    assert not Room.objects.filter(pk=room.pk).exists()
    ev = AuditEvent.objects.get(action="admin.delete", object_type="journal.room")
    assert ev.object_id == str(room.pk) and ev.before["number"] == "305"


def test_a_failed_admin_save_leaves_no_audit_row(world, school_admin, client):
    client.force_login(school_admin)
    url = _url(Subject, "change", world.subject.pk)
    data = _form_data(client.get(url))
    data["name"] = ""
    assert client.post(url, data).status_code == 200  # the form with its error
    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()


def test_a_password_set_through_the_admin_is_audited(world, school_admin, client):
    client.force_login(school_admin)
    url = reverse("admin:auth_user_password_change", args=[world.teacher.pk])
    new = "Qw7-rty-Ui9o"
    resp = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert resp.status_code == 302
    world.teacher.refresh_from_db()
    assert world.teacher.check_password(new)
    ev = AuditEvent.objects.get(action="admin.password")
    assert ev.object_id == str(world.teacher.pk) and ev.actor_id == school_admin.pk
    assert ev.after == {"usable_password": True}
    assert new not in str(ev.before) + str(ev.after)


def test_a_user_added_through_the_admin_is_audited_without_the_password(world, school_admin, client):
    client.force_login(school_admin)
    new = "Qw7-rty-Ui9o"
    url = reverse("admin:accounts_user_add")
    data = _form_data(client.get(url))
    data.update(
        school=world.school.pk,
        last_name="Новикова",
        first_name="Дарья",
        username="novikova.d",
        password1=new,
        password2=new,
        usable_password="true",
    )
    resp = client.post(url, data)
    assert resp.status_code == 302, resp.context and resp.context["errors"]
    person = User.objects.get(username="novikova.d")
    ev = AuditEvent.objects.get(action="admin.add", object_type="accounts.user")
    assert ev.object_id == str(person.pk) and ev.school_id == world.school.pk
    assert ev.after["last_name"] == "Новикова" and "password" not in ev.after
