"""A page's own requests (htmx, fetch) of an ended session get 401, never the login page:
the grid keeps what was typed and asks to sign in again. An open journal page keeps its
session alive with a ping while the teacher works."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from journal.models import Attendance

MSK = ZoneInfo("Europe/Moscow")
MORNING = datetime(2026, 11, 9, 10, 0, tzinfo=MSK)  # the world's first lesson was at 08:00
HX = {"HX-Request": "true"}


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


def _cell_post(client, world, **headers):
    lesson = world.lessons[0]
    assert lesson.date == date(2026, 11, 9)
    url = reverse("journal:cell", kwargs={"pk": lesson.pk})
    return client.post(url, {"k": "a", "p": world.pupil.pk, "v": 0, "value": "н"}, headers=headers)


def test_an_idle_session_answers_a_cell_save_with_401_and_writes_nothing(world, client, clock):
    client.force_login(world.teacher)
    assert client.get(reverse("home")).status_code == 200
    clock.shift(timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 60))

    resp = _cell_post(client, world, **HX)

    assert resp.status_code == 401
    assert resp["X-Login-Url"] == reverse("login")
    assert "войдите снова" in resp.content.decode()
    assert not Attendance.objects.exists()
    # the session is over: the next background request is refused the same way
    assert _cell_post(client, world, **HX).status_code == 401


def test_an_anonymous_background_request_gets_401_and_a_page_the_login_redirect(world, client, clock):
    assert _cell_post(client, world, **HX).status_code == 401
    assert client.post(reverse("accounts:session_ping"), headers={"X-Requested-With": "fetch"}).status_code == 401
    page = client.get(reverse("journal:grid", kwargs={"pk": world.assignment.pk}))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    assert not Attendance.objects.exists()


def test_the_ping_of_an_open_journal_page_keeps_the_session(world, client, clock):
    client.force_login(world.teacher)
    assert client.get(reverse("home")).status_code == 200
    step = timedelta(seconds=settings.SESSION_IDLE_TIMEOUT * 2 // 3)
    for _ in range(4):  # longer than a lesson without one page load, only pings
        clock.shift(step)
        assert client.post(reverse("accounts:session_ping"), headers={"X-Requested-With": "fetch"}).status_code == 204
    resp = _cell_post(client, world, **HX)
    assert resp.status_code == 200
    assert Attendance.objects.get().code == "н"


def test_the_re_login_page_is_shown_after_signing_in_again(world, client, clock):
    client.force_login(world.teacher)
    html = client.get(reverse("accounts:session_resumed")).content.decode()
    assert "Вы снова вошли" in html and "session.js" in html
