"""Issue 18, "Accounts": the holes the security test found in the account procedures.

- F3: the second factor protects the password too: whoever has an authenticator passes
  the code step before the password page opens.
- F16: wrong current passwords on the change form count towards the lockout.
- F4: the forced change after one-time credentials takes neither the slip's password
  nor one the validators refuse.
- F18: the lockout keys on login + the client's own address (a trusted proxy's header
  where configured), a login guessed from many addresses is slowed, never locked, and
  the audit trail records the client's address.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.lockout import login_wait_seconds
from accounts.models import AuditEvent

from .factories import PASSWORD

LOGIN = reverse("login")
HOME = reverse("home")
PASSWORD_PAGE = reverse("accounts:password_change")
VERIFY = reverse("accounts:otp_verify")
NEW_PASSWORD = "Lq4-tram-Wx9"
MORNING = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))
PROXY = "10.0.0.1"  # the reverse proxy every request comes through
PUPIL_HOME = "198.51.100.7"
TEACHER_HOME = "203.0.113.50"


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


def _logged_in_as(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


def _change(client, old, new, **extra):
    return client.post(PASSWORD_PAGE, {"old_password": old, "new_password1": new, "new_password2": new}, **extra)


def _code(device):
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


# --- F3: the code before the password ------------------------------------------------


def test_with_an_authenticator_the_password_page_waits_for_the_code(world, client, clock):
    teacher = world.teacher
    device = TOTPDevice.objects.create(user=teacher, name="телефон", confirmed=True)
    # Someone who knows only the password logs in ...
    assert client.post(LOGIN, {"username": teacher.username, "password": PASSWORD}).status_code == 302

    # ... and finds the password page closed behind the code step,
    resp = client.get(PASSWORD_PAGE)
    assert resp.status_code == 302 and resp["Location"] == f"{VERIFY}?next={PASSWORD_PAGE}"
    # and a change posted straight to it does not happen.
    resp = _change(client, PASSWORD, NEW_PASSWORD)
    assert resp.status_code == 302 and resp["Location"].startswith(VERIFY)
    teacher.refresh_from_db()
    assert teacher.check_password(PASSWORD) and not teacher.check_password(NEW_PASSWORD)
    assert not AuditEvent.objects.filter(action="account.password_change").exists()
    # The set-up page cannot remove or replace the authenticator meanwhile either.
    assert client.get(reverse("accounts:otp_setup"))["Location"].startswith(VERIFY)
    assert client.post(reverse("accounts:otp_disable"))["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=teacher, confirmed=True).count() == 1

    # The owner, with the code, changes it.
    resp = client.post(f"{VERIFY}?next={PASSWORD_PAGE}", {"token": _code(device), "next": PASSWORD_PAGE})
    assert resp.status_code == 302 and resp["Location"] == PASSWORD_PAGE
    assert _change(client, PASSWORD, NEW_PASSWORD).status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password(NEW_PASSWORD)


def test_one_time_credentials_of_a_user_with_an_authenticator_ask_the_code_first(world, client, clock):
    deputy = world.deputy
    device = TOTPDevice.objects.create(user=deputy, name="телефон", confirmed=True)
    [issued] = services.issue_credentials(world.admin, [deputy])
    client.post(LOGIN, {"username": issued.username, "password": issued.password})

    assert client.get(HOME)["Location"] == f"{VERIFY}?next={HOME}"
    assert client.get(PASSWORD_PAGE)["Location"].startswith(VERIFY)

    client.post(VERIFY, {"token": _code(device), "next": HOME})
    # Past the code, the forced change holds every page.
    assert client.get(HOME)["Location"] == PASSWORD_PAGE
    assert client.get(PASSWORD_PAGE).status_code == 200


# --- F16: wrong current passwords count towards the lockout -------------------------


def test_guessing_the_current_password_on_the_change_form_locks_like_the_login(world, client):
    teacher = world.teacher
    client.force_login(teacher)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        resp = _change(client, "a-wrong-guess", NEW_PASSWORD, REMOTE_ADDR=PUPIL_HOME)
        assert resp.status_code == 200
        assert "Ваш старый пароль введен неправильно" in resp.content.decode()
    assert AccessAttempt.objects.get(username=teacher.username).failures_since_start == 4

    resp = _change(client, "a-wrong-guess", NEW_PASSWORD, REMOTE_ADDR=PUPIL_HOME)
    assert resp.status_code == 429
    # The guesser's session is over, and the right password no longer helps from there ...
    assert not _logged_in_as(client, teacher)
    resp = client.post(LOGIN, {"username": teacher.username, "password": PASSWORD}, REMOTE_ADDR=PUPIL_HOME)
    assert resp.status_code == 429
    teacher.refresh_from_db()
    assert teacher.check_password(PASSWORD)
    # ... while the owner at home logs in as usual.
    owner = Client()
    resp = owner.post(LOGIN, {"username": teacher.username, "password": PASSWORD}, REMOTE_ADDR=TEACHER_HOME)
    assert resp.status_code == 302 and _logged_in_as(owner, teacher)


# --- F4: the forced change -----------------------------------------------------------


def test_the_forced_change_refuses_the_slip_password_as_the_new_one(world, client):
    [issued] = services.issue_credentials(world.class_teacher, [world.pupil])
    client.post(LOGIN, {"username": issued.username, "password": issued.password})
    assert client.get(HOME)["Location"] == PASSWORD_PAGE

    resp = _change(client, issued.password, issued.password)

    assert resp.status_code == 200
    assert "Новый пароль должен отличаться от текущего" in resp.content.decode()
    pupil = world.pupil
    pupil.refresh_from_db()
    assert pupil.must_change_password and pupil.check_password(issued.password)
    assert client.get(HOME)["Location"] == PASSWORD_PAGE
    assert not AuditEvent.objects.filter(action="account.password_change").exists()


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("12345678", "Введённый пароль состоит только из цифр."),
        ("qwerty12", "Введённый пароль слишком широко распространён."),
        ("Ab3-x", "Введённый пароль слишком короткий."),
        ("ivanova.m1", "Введённый пароль слишком похож на"),
    ],
)
def test_the_forced_change_takes_only_a_password_the_validators_pass(world, client, new, message):
    [issued] = services.issue_credentials(world.class_teacher, [world.pupil])
    client.post(LOGIN, {"username": issued.username, "password": issued.password})

    resp = _change(client, issued.password, new)

    assert resp.status_code == 200 and message in resp.content.decode()
    world.pupil.refresh_from_db()
    assert world.pupil.must_change_password and world.pupil.check_password(issued.password)


def test_the_password_service_itself_refuses_the_current_password_and_weak_ones(world):
    with pytest.raises(services.AccountError) as exc:
        services.change_password(world.pupil, PASSWORD)
    assert exc.value.code == "unchanged"
    with pytest.raises(services.AccountError) as exc:
        services.change_password(world.pupil, "11111111")
    assert exc.value.code == "weak_password"
    world.pupil.refresh_from_db()
    assert world.pupil.check_password(PASSWORD)


# --- F18: whose address, and how hard a login may be tried ---------------------------


def _via_proxy(client, username, password, client_addr, forwarded=None):
    """A login through the reverse proxy, which appends the address it saw."""
    chain = f"{forwarded}, {client_addr}" if forwarded else client_addr
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain
    )


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_a_pupil_cannot_lock_the_teacher_out(world, client):
    login = world.teacher.username
    # The pupil knows the login (class lists show it) and makes up the header's left part.
    for n in range(settings.AXES_FAILURE_LIMIT):
        resp = _via_proxy(client, login, "guess", PUPIL_HOME, forwarded=f"192.0.2.{n}")
    assert resp.status_code == 429
    assert _via_proxy(client, login, PASSWORD, PUPIL_HOME).status_code == 429  # locked: that login from there
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PUPIL_HOME}

    teacher = Client()
    resp = _via_proxy(teacher, login, PASSWORD, TEACHER_HOME)
    assert resp.status_code == 302 and _logged_in_as(teacher, world.teacher)


def test_without_a_configured_proxy_the_header_is_not_believed(world, client):
    assert settings.TRUSTED_PROXY_COUNT == 0  # off by default
    for n in range(settings.AXES_FAILURE_LIMIT):
        resp = _via_proxy(client, world.teacher.username, "guess", f"198.51.100.{n + 1}")
    # Every try came from the proxy's address, whatever the header said.
    assert resp.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_audit_trail_records_the_clients_address(world, client):
    client.force_login(world.teacher)
    client.post(
        reverse("accounts:logout_everywhere"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.9, " + PUPIL_HOME
    )
    assert AuditEvent.objects.get(action="account.logout_everywhere").ip == PUPIL_HOME


def test_a_login_guessed_from_many_addresses_is_slowed_not_locked(world, client, clock):
    login = world.teacher.username
    limit = settings.LOGIN_SOFT_LIMIT
    for n in range(limit):  # one try from each of many addresses: none of them is locked
        resp = client.post(LOGIN, {"username": login, "password": "guess"}, REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert resp.status_code == 200
    assert login_wait_seconds(login) == 1

    # Inside the delay even the right password waits, and the refusal counts as no failure.
    owner = Client()
    resp = owner.post(LOGIN, {"username": login, "password": PASSWORD}, REMOTE_ADDR=TEACHER_HOME)
    assert resp.status_code == 200 and "Повторите через 1 с." in resp.content.decode()
    assert not _logged_in_as(owner, world.teacher)
    assert not AccessAttempt.objects.filter(ip_address=TEACHER_HOME).exists()

    # The delay grows with every further failure but stays short: a wait, never a lock.
    for n in range(limit):
        clock.shift(timedelta(seconds=settings.LOGIN_SOFT_DELAY_MAX))
        client.post(LOGIN, {"username": login, "password": "guess"}, REMOTE_ADDR=f"192.0.2.{n + 1}")
    assert login_wait_seconds(login) == settings.LOGIN_SOFT_DELAY_MAX

    clock.shift(timedelta(seconds=settings.LOGIN_SOFT_DELAY_MAX))
    resp = owner.post(LOGIN, {"username": login, "password": PASSWORD}, REMOTE_ADDR=TEACHER_HOME)
    assert resp.status_code == 302 and _logged_in_as(owner, world.teacher)
    # Other logins were never slowed.
    other = Client()
    resp = other.post(LOGIN, {"username": world.class_teacher.username, "password": PASSWORD})
    assert resp.status_code == 302
