"""The activity trail: logins, failed logins and logouts as events, one activity row per
user per day however many requests, and who opened a pupil's personal card."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import CardView, DailyActivity, LoginEvent

from .factories import PASSWORD

MSK = ZoneInfo("Europe/Moscow")
SCHOOL_NAT = "203.0.113.7"
HOME = reverse("home")


def _login(client, username, password, ip=SCHOOL_NAT):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


# --- login events ----------------------------------------------------------------------


def test_a_login_and_a_logout_are_recorded_with_the_address(world, client):
    assert _login(client, world.parent.username, PASSWORD).status_code == 302
    assert client.post(reverse("logout"), REMOTE_ADDR=SCHOOL_NAT).status_code == 302

    events = list(LoginEvent.objects.order_by("pk").values_list("kind", "user", "school", "username", "ip"))
    assert events == [
        (LoginEvent.Kind.LOGIN, world.parent.pk, world.school.pk, world.parent.username, SCHOOL_NAT),
        (LoginEvent.Kind.LOGOUT, world.parent.pk, world.school.pk, world.parent.username, SCHOOL_NAT),
    ]


def test_a_wrong_password_is_recorded_as_a_failed_login_of_that_account(world, client):
    assert _login(client, world.teacher.username, "not-the-password").status_code == 200

    ev = LoginEvent.objects.get()
    assert (ev.kind, ev.user, ev.school_id, ev.ip) == (
        LoginEvent.Kind.FAILED,
        world.teacher,
        world.school.pk,
        SCHOOL_NAT,
    )
    assert "_auth_user_id" not in client.session


def test_a_failed_login_with_an_unknown_name_keeps_the_name_tried(world, client):
    assert _login(client, "no.such.user", "whatever").status_code == 200
    ev = LoginEvent.objects.get()
    assert (ev.kind, ev.user, ev.school, ev.username) == (LoginEvent.Kind.FAILED, None, None, "no.such.user")


def test_an_idle_session_ended_by_the_timeout_is_recorded_as_a_logout(world, client):
    with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=MSK), tick=False) as clock:
        _login(client, world.teacher.username, PASSWORD)
        clock.shift(timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 60))
        client.get(HOME)
    kinds = list(LoginEvent.objects.filter(user=world.teacher).order_by("pk").values_list("kind", flat=True))
    assert kinds == [LoginEvent.Kind.LOGIN, LoginEvent.Kind.LOGOUT]


# --- daily activity --------------------------------------------------------------------


def test_several_requests_of_a_day_are_one_row_with_their_count(world, client):
    with time_machine.travel(datetime(2026, 11, 20, 8, 0, tzinfo=MSK), tick=False) as clock:
        client.force_login(world.teacher)
        for _ in range(3):
            assert client.get(HOME).status_code == 200
            clock.shift(timedelta(minutes=10))
        client.get(reverse("journal:pupil_card", args=[world.pupil.pk]))

    row = DailyActivity.objects.get()
    assert (row.user, row.school_id, row.day, row.requests) == (world.teacher, world.school.pk, date(2026, 11, 20), 4)
    assert row.first_seen == datetime(2026, 11, 20, 8, 0, tzinfo=MSK)
    assert row.last_seen == datetime(2026, 11, 20, 8, 30, tzinfo=MSK)


def test_each_user_and_each_day_has_its_own_row(world, client):
    parent = Client()
    with time_machine.travel(datetime(2026, 11, 20, 18, 0, tzinfo=MSK), tick=False) as clock:
        client.force_login(world.teacher)
        parent.force_login(world.parent)
        client.get(HOME)
        client.get(HOME)
        parent.get(HOME)
        # Past midnight in Moscow, still 20 November in UTC: the school's day counts.
        clock.move_to(datetime(2026, 11, 21, 0, 30, tzinfo=MSK))
        client.force_login(world.teacher)
        client.get(HOME)

    rows = set(DailyActivity.objects.values_list("user", "day", "requests"))
    assert rows == {
        (world.teacher.pk, date(2026, 11, 20), 2),
        (world.teacher.pk, date(2026, 11, 21), 1),
        (world.parent.pk, date(2026, 11, 20), 1),
    }


def test_anonymous_requests_count_for_nobody(world, client):
    client.get(reverse("login"))
    _login(client, world.teacher.username, "not-the-password")
    assert not DailyActivity.objects.exists()


def test_a_request_turned_away_for_idleness_is_not_activity(world, client):
    with time_machine.travel(datetime(2026, 11, 20, 17, 0, tzinfo=MSK), tick=False) as clock:
        client.force_login(world.teacher)
        client.get(HOME)
        # The tab was left open and reloads itself after the last lesson, past the timeout.
        clock.shift(timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 3600))
        assert client.get(HOME).status_code == 302
    row = DailyActivity.objects.get()
    assert (row.requests, row.last_seen) == (1, datetime(2026, 11, 20, 17, 0, tzinfo=MSK))


# --- who opened a pupil's card ---------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("class_teacher", "journal:pupil_card"),
        ("teacher", "journal:pupil_card"),
        ("parent", "journal:pupil_card"),
        ("deputy", "journal:pupil_card"),
        ("admin", "accounts:person"),
        ("director", "accounts:person"),
    ],
)
def test_opening_a_pupil_card_records_who_opened_it(world, client, persona, url_name):
    viewer = getattr(world, persona)
    client.force_login(viewer)
    with time_machine.travel(datetime(2026, 11, 20, 10, 15, tzinfo=MSK), tick=False):
        resp = client.get(reverse(url_name, args=[world.pupil.pk]), REMOTE_ADDR=SCHOOL_NAT)
    assert resp.status_code == 200

    view = CardView.objects.get()
    assert (view.viewer, view.subject, view.school_id, view.ip) == (viewer, world.pupil, world.school.pk, SCHOOL_NAT)
    assert view.at == datetime(2026, 11, 20, 10, 15, tzinfo=MSK)


def test_every_opening_is_recorded(world, client):
    client.force_login(world.class_teacher)
    url = reverse("journal:pupil_card", args=[world.pupil.pk])
    client.get(url)
    client.get(url)
    client.force_login(world.deputy)
    client.get(url)
    assert list(CardView.objects.order_by("pk").values_list("viewer", flat=True)) == [
        world.class_teacher.pk,
        world.class_teacher.pk,
        world.deputy.pk,
    ]


@pytest.mark.parametrize("persona", ["other_parent", "outsider"])
def test_a_card_refused_records_no_opening(world, client, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("journal:pupil_card", args=[world.pupil.pk])).status_code == 404
    assert client.get(reverse("accounts:person", args=[world.pupil.pk])).status_code == 404
    assert not CardView.objects.exists()
