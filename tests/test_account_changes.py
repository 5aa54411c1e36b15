"""Account changes that must leave a trail or a working result: the admin role and the
Django admin, own password and second factor, and an audit table nobody can empty."""

import pytest
from django.db import transaction
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit, services
from accounts.admin import SCHOOL_ADMIN_GROUP
from accounts.models import AuditEvent, RoleAssignment

from . import factories as F

NEW_PASSWORD = "Zx9-qwe-Lp2r"


def _in_admin_group(user):
    return user.groups.filter(name=SCHOOL_ADMIN_GROUP).exists()


def test_a_new_administrator_opens_the_django_admin_until_the_role_is_taken_away(world, client):
    person = services.create_staff(
        world.admin, roles=[RoleAssignment.Role.ADMIN], last_name="Новикова", first_name="Дарья"
    )
    person.refresh_from_db()
    assert person.is_staff and _in_admin_group(person)

    client.force_login(person)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:journal_subject_changelist")).status_code == 200

    services.set_roles(world.admin, person, [RoleAssignment.Role.DEPUTY])
    person.refresh_from_db()
    assert not person.is_staff and not _in_admin_group(person)
    resp = client.get(reverse("admin:journal_subject_changelist"))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("admin:login"))
    ev = AuditEvent.objects.filter(action="account.roles", object_id=str(person.pk)).get()
    assert ev.before == {"roles": ["admin"], "is_staff": True}
    assert ev.after == {"roles": ["deputy"], "is_staff": False}


def test_granting_the_admin_role_later_gives_the_admin_too(world):
    person = services.create_staff(world.admin, last_name="Новикова", first_name="Дарья")
    assert not person.is_staff
    services.set_roles(world.admin, person, [RoleAssignment.Role.ADMIN])
    person.refresh_from_db()
    assert person.is_staff and _in_admin_group(person)


def test_own_password_change_is_audited_and_keeps_this_session(world, client):
    pupil = world.pupil
    pupil.must_change_password = True
    pupil.save(update_fields=["must_change_password"])
    client.force_login(pupil)

    resp = client.post(
        reverse("accounts:password_change"),
        {"old_password": F.PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert resp.status_code == 302
    pupil.refresh_from_db()
    assert pupil.check_password(NEW_PASSWORD) and not pupil.must_change_password
    assert AuditEvent.objects.filter(action="account.password_change", actor=pupil, object_id=str(pupil.pk)).exists()
    # Still logged in: the password page answers instead of sending to the login.
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_a_rejected_password_change_leaves_no_trail(world, client):
    client.force_login(world.pupil)
    resp = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert resp.status_code == 200
    assert not AuditEvent.objects.filter(action="account.password_change").exists()


def _code(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_second_factor_enable_and_disable_are_audited(world, client):
    user = world.deputy
    client.force_login(user)
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=user)

    resp = client.post(reverse("accounts:otp_setup"), {"token": _code(device)})
    assert resp.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="account.2fa_enable", actor=user).count() == 1

    assert client.post(reverse("accounts:otp_disable")).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="account.2fa_disable", actor=user).count() == 1


def test_a_wrong_code_enables_nothing(world, client):
    client.force_login(world.deputy)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=world.deputy)
    wrong = f"{(int(_code(device)) + 500_000) % 10**6:06d}"
    assert client.post(reverse("accounts:otp_setup"), {"token": wrong}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert not AuditEvent.objects.filter(action="account.2fa_enable").exists()


def test_second_factor_cannot_be_dropped_where_the_school_requires_it(world, client):
    world.school.require_staff_2fa = True
    world.school.save(update_fields=["require_staff_2fa"])
    TOTPDevice.objects.create(user=world.deputy, name="phone", confirmed=True)
    with pytest.raises(services.NotAllowed):
        services.disable_second_factor(world.deputy)
    assert TOTPDevice.objects.filter(user=world.deputy).exists()
    assert not AuditEvent.objects.filter(action="account.2fa_disable").exists()


# --- the audit table cannot be emptied ---------------------------------------------------
# As the runtime role: tests/test_db_roles.py (TRUNCATE refused, flush as the owner works).


def test_truncate_needs_the_owner_even_with_the_old_escape(world):
    """The GUC escape of migration 0007 is gone: setting it gives the runtime role nothing."""
    import psycopg

    from .test_db_roles import runtime_connect

    with transaction.atomic():
        audit.record(actor=world.teacher, action="mark.create", obj=world.lessons[0])
    with runtime_connect() as rt:
        rt.execute("SET ejournal.audit_truncate = 'allow'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            rt.execute("TRUNCATE accounts_auditevent CASCADE")
    assert AuditEvent.objects.count() == 1
