"""Sessions end when they should (idle timeout, "log out everywhere", re-issued
credentials) and staff pass the TOTP second factor when they have one or must have one."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import AuditEvent

from .factories import PASSWORD

MSK = ZoneInfo("Europe/Moscow")
MORNING = datetime(2026, 11, 20, 9, 0, tzinfo=MSK)
HOME = reverse("home")
LOGIN = reverse("login")


def _logged_in_as(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


def _sent_to_login(resp):
    return resp.status_code == 302 and resp["Location"].startswith(LOGIN)


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


# --- idle timeout ----------------------------------------------------------------------


def test_a_session_idle_longer_than_the_timeout_is_logged_out_on_the_next_request(world, client, clock):
    client.force_login(world.teacher)
    assert client.get(HOME).status_code == 200

    clock.shift(timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 60))
    resp = client.get(HOME)

    assert _sent_to_login(resp)
    assert "next=/" in resp["Location"]
    assert not _logged_in_as(client, world.teacher)
    # Coming back does not revive the session.
    assert _sent_to_login(client.get(HOME))


def test_a_session_in_use_outlives_the_idle_timeout(world, client, clock):
    client.force_login(world.teacher)
    step = timedelta(seconds=settings.SESSION_IDLE_TIMEOUT * 2 // 3)
    for _ in range(6):  # four idle timeouts in all, never one of them idle
        assert client.get(HOME).status_code == 200
        clock.shift(step)
    assert client.get(HOME).status_code == 200
    assert _logged_in_as(client, world.teacher)


def test_the_idle_clock_starts_at_the_login_itself(world, client, clock):
    resp = client.post(LOGIN, {"username": world.teacher.username, "password": PASSWORD})
    assert resp.status_code == 302 and _logged_in_as(client, world.teacher)

    # Logged in, then the computer was left alone without opening a single page.
    clock.shift(timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 60))

    assert _sent_to_login(client.get(HOME))
    assert not _logged_in_as(client, world.teacher)


# --- log out everywhere ----------------------------------------------------------------


def test_log_out_everywhere_ends_every_session_of_the_user_and_only_theirs(world, client):
    laptop, phone, colleague = client, Client(), Client()
    laptop.force_login(world.teacher)
    phone.force_login(world.teacher)
    colleague.force_login(world.class_teacher)

    resp = laptop.post(reverse("accounts:logout_everywhere"))

    assert resp.status_code == 302 and resp["Location"] == LOGIN
    assert not _logged_in_as(laptop, world.teacher)
    assert _sent_to_login(phone.get(HOME))
    assert _sent_to_login(laptop.get(HOME))
    assert colleague.get(HOME).status_code == 200
    assert AuditEvent.objects.filter(action="account.logout_everywhere", actor=world.teacher).count() == 1
    # The password still works: a fresh login is a fresh session.
    assert phone.post(LOGIN, {"username": world.teacher.username, "password": PASSWORD}).status_code == 302
    assert phone.get(HOME).status_code == 200


def test_log_out_everywhere_is_a_post(world, client):
    client.force_login(world.teacher)
    assert client.get(reverse("accounts:logout_everywhere")).status_code == 405
    assert client.get(HOME).status_code == 200


# --- re-issued credentials -------------------------------------------------------------


@pytest.mark.parametrize("issuer", ["admin", "class_teacher"])
def test_reissuing_credentials_ends_the_sessions_of_that_person(world, client, issuer):
    pupil_client, parent_client = client, Client()
    pupil_client.force_login(world.pupil)
    parent_client.force_login(world.parent)

    [issued] = services.issue_credentials(getattr(world, issuer), [world.pupil])

    assert _sent_to_login(pupil_client.get(HOME))
    assert parent_client.get(HOME).status_code == 200
    # The new slip works, and its password is only for the first login.
    resp = pupil_client.post(LOGIN, {"username": issued.username, "password": issued.password})
    assert resp.status_code == 302
    resp = pupil_client.get(HOME)
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:password_change")


def test_the_slip_view_ends_the_sessions_of_the_people_it_issues_to(world, client):
    pupil_client = Client()
    pupil_client.force_login(world.pupil)
    client.force_login(world.class_teacher)

    resp = client.post(reverse("accounts:issue_slips"), {"ids": [world.pupil.pk]})

    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert _sent_to_login(pupil_client.get(HOME))
    assert client.get(HOME).status_code == 200


# --- TOTP second factor ----------------------------------------------------------------


def _device(user):
    return TOTPDevice.objects.create(user=user, name="телефон", confirmed=True)


def _code(device):
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _wrong(code):
    return f"{(int(code) + 500_000) % 10**6:06d}"


def test_staff_with_an_authenticator_pass_the_code_step_before_any_page(world, client, clock):
    device = _device(world.deputy)
    client.force_login(world.deputy)
    verify = reverse("accounts:otp_verify")

    for url in (HOME, reverse("journal:pupil_card", args=[world.pupil.pk]), reverse("accounts:people")):
        resp = client.get(url)
        assert resp.status_code == 302 and resp["Location"] == f"{verify}?next={url}"

    resp = client.post(f"{verify}?next={HOME}", {"token": _wrong(_code(device)), "next": HOME})
    assert resp.status_code == 200
    assert "Неверный код." in resp.content.decode()
    assert client.get(HOME)["Location"].startswith(verify)

    clock.shift(timedelta(seconds=30))  # past the throttle delay after a failure and into a new time step
    resp = client.post(verify, {"token": _code(device), "next": HOME})
    assert resp.status_code == 302 and resp["Location"] == HOME
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("accounts:people")).status_code == 200


def test_a_code_that_is_not_six_digits_is_refused_in_russian(world, client):
    _device(world.director)
    client.force_login(world.director)
    resp = client.post(reverse("accounts:otp_verify"), {"token": "12ab"})
    assert resp.status_code == 200
    assert "Введите шесть цифр из приложения-аутентификатора." in resp.content.decode()
    assert client.get(HOME)["Location"].startswith(reverse("accounts:otp_verify"))


def test_a_code_is_asked_again_after_a_new_login(world, client):
    device = _device(world.teacher)
    client.force_login(world.teacher)
    assert client.post(reverse("accounts:otp_verify"), {"token": _code(device)}).status_code == 302
    assert client.get(HOME).status_code == 200

    client.post(reverse("logout"))
    client.post(LOGIN, {"username": world.teacher.username, "password": PASSWORD})
    assert client.get(HOME)["Location"].startswith(reverse("accounts:otp_verify"))


@pytest.mark.parametrize("persona", ["admin", "director", "deputy"])
def test_where_the_school_requires_it_leaders_without_an_authenticator_must_set_one_up(world, client, persona):
    world.school.require_staff_2fa = True
    world.school.save(update_fields=["require_staff_2fa"])
    user = getattr(world, persona)
    client.force_login(user)

    resp = client.get(HOME)
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:otp_setup")
    assert client.get(reverse("accounts:people"))["Location"] == reverse("accounts:otp_setup")
    # The set-up page itself is open, and it connects an authenticator there and then.
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse("accounts:otp_setup"), {"token": _code(device)}).status_code == 302
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("persona", ["teacher", "class_teacher", "parent", "pupil"])
def test_the_school_requirement_does_not_force_others(world, client, persona):
    world.school.require_staff_2fa = True
    world.school.save(update_fields=["require_staff_2fa"])
    client.force_login(getattr(world, persona))
    assert client.get(HOME).status_code == 200


def test_without_the_school_requirement_a_director_is_not_forced(world, client):
    client.force_login(world.director)
    assert client.get(HOME).status_code == 200
    assert not TOTPDevice.objects.filter(user=world.director).exists()


def test_the_school_requirement_reaches_sessions_already_open(world, client):
    client.force_login(world.director)
    assert client.get(HOME).status_code == 200

    world.school.require_staff_2fa = True
    world.school.save(update_fields=["require_staff_2fa"])

    assert client.get(HOME)["Location"] == reverse("accounts:otp_setup")


def test_the_requirement_in_another_school_does_not_reach_this_one(world, client):
    world.foreign_school.require_staff_2fa = True
    world.foreign_school.save(update_fields=["require_staff_2fa"])
    client.force_login(world.director)
    assert client.get(HOME).status_code == 200
    other = Client()
    other.force_login(world.outsider)
    assert other.get(HOME)["Location"] == reverse("accounts:otp_setup")
