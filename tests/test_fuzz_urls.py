"""Hostile input on every URL (issue 18, point 5): no server error, ever.

Every URL pattern of the URLconf is requested as every persona of tests/world.py (and
as an anonymous visitor where it is open to one: the login form, the unsubscribe link),
with odd values in the query string, in the path and in the forms it takes: superscript and full-width digits, NUL, huge and negative numbers,
years 1 and 9999, 300-character strings (docs/DESIGN.md §3.24). The answer may be a
message, a 400, 403, 404, 405 or a redirect — never a 500.

`URLS` (tests/fuzz_table.py) lists every URL name with what it reads; `test_every_url_is_fuzzed` fails for a
URL that is not in it (and for a name that no longer exists), as the access matrix
does. The objects a URL is requested with are those of its first access-matrix row
(tests/access_matrix/), its valid form values those of its first POST row; the values
are then replaced by odd ones, drawn by hypothesis with a fixed seed and a few
examples per URL (`EXAMPLES`), so the walk costs the same on every run.

One world is built per module, inside a transaction rolled back at the end; each
test (one URL) runs in a savepoint of it, so what one URL's POSTs change is undone.
"""

import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .conftest import module_transaction, quiet_request_logs, signed_in_clients
from .fuzz_table import ODD, ODD_IDS, ODD_SEGMENTS, QUERY, URLS, _odd_file
from .test_access_matrix import PERSONAS, ROWS, _url_names

# The admin site has its own matrix (tests/test_admin.py) and Django's own input
# handling; tests/test_hostile_input.py sends it the odd values of its changelists.
NOT_FUZZED_PREFIXES = ("admin:",)


def test_every_url_is_fuzzed():
    names = {n for n in _url_names() if not n.startswith(NOT_FUZZED_PREFIXES)}
    assert sorted(names - set(URLS)) == []
    assert sorted(set(URLS) - names) == []


# --- the world, the clients ------------------------------------------------------------------------


@dataclass
class FuzzWorld:
    world: object
    clients: dict = field(default_factory=dict)  # persona (or "anonymous") → logged-in Client
    cookies: dict = field(default_factory=dict)  # persona → its session cookie, restored before each test


@pytest.fixture(scope="module")
def fuzz(django_db_setup, django_db_blocker):
    from journal import services

    from . import factories as F
    from .world import build_world

    with (
        time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True),
        module_transaction(django_db_blocker),
    ):
        with django_db_blocker.unblock():
            w = build_world()
            # Today's lesson, open to its teacher: the forms reach the rules behind the lock.
            w.open_lesson = F.LessonFactory(
                assignment=w.assignment, date=date(2026, 11, 20), bell=F.BellFactory(school=w.school, number=3)
            )
            w.open_work = F.AssessmentFactory(lesson=w.open_lesson, work_type=w.work_type)
            w.open_absence = services.set_attendance(
                w.teacher,
                lesson_id=w.open_lesson.pk,
                pupil_id=w.pupil.pk,
                code="н",
                now=datetime.combine(date(2026, 11, 20), time(10), tzinfo=ZoneInfo("Europe/Moscow")),
            )
            fw = FuzzWorld(world=w)
            fw.clients, fw.cookies = signed_in_clients(w, PERSONAS, raise_request_exception=False)
            fw.clients["anonymous"] = Client(raise_request_exception=False)
        with quiet_request_logs():  # 403s and 404s by the hundred; a 500 fails the test
            yield fw


def _first_row(name, method):
    return next((r for r in ROWS if r.name == name and r.method == method), None)


def _insiders(row):
    """Personas that get past the access check of the row: the odd values reach their view."""
    return [p for p in PERSONAS if row is not None and row.status_for(p) < 400] or ["deputy"]


def _path_variants(name, kwargs):
    """The URL with each path value replaced by odd ones its converter still lets through."""
    for key, value in kwargs.items():
        odd = ODD_IDS if isinstance(value, int) else ODD_SEGMENTS
        for v in odd:
            try:
                yield reverse(name, kwargs={**kwargs, key: v})
            except Exception:  # noqa: BLE001 — the converter refuses it: the resolver answers 404
                continue


odd_text = st.sampled_from(ODD)


def _odd_values(data, valid: dict, files=()):
    """Each field: an odd value or its valid one (lists stay lists). The first example is
    odd in every field; the next ones mix."""
    out = {}
    for key, value in valid.items():
        if not data.draw(st.booleans(), label=f"valid {key}"):
            if isinstance(value, list):
                out[key] = data.draw(st.lists(odd_text, min_size=1, max_size=3), label=key)
            else:
                out[key] = data.draw(odd_text, label=key)
        else:
            out[key] = value
    for key in files:
        text = data.draw(odd_text, label=f"{key} text")
        out[key] = data.draw(st.sampled_from(_odd_file(text)), label=key)
    return out


def _check(resp, persona, method, url, sent):
    assert resp.status_code != 500, f"500 for {persona}: {method} {url!r} {sent!r}\n" + (
        repr(resp.exc_info[1]) if getattr(resp, "exc_info", None) else resp.content[:2000].decode(errors="replace")
    )


@pytest.mark.parametrize("name", sorted(URLS))
def test_no_server_error(name, fuzz, db, settings_media):
    spec = URLS[name]
    w = fuzz.world
    for persona, cookies in fuzz.cookies.items():
        fuzz.clients[persona].cookies = copy.deepcopy(cookies)  # a POST to logout must not end the walk
    get_row, post_row = _first_row(name, "GET"), _first_row(name, "POST")
    row = get_row or post_row
    kwargs = (spec.kwargs or (row.kwargs if row and row.kwargs else (lambda _w: {})))(w)
    choices = spec.choices(w) if spec.choices else [kwargs]
    kwargs = choices[0]
    url = reverse(name, kwargs=kwargs or None)
    base_query = row.query(w) if row and row.query else {}
    valid_post = None
    if spec.post is not None or post_row is not None:
        valid_post = {**(post_row.data(w) if post_row and post_row.data else {}), **(spec.post(w) if spec.post else {})}
    insiders = list(spec.insiders or _insiders(row))
    # The anonymous visitor where a page is open to one (the access matrix sends it to the
    # login page everywhere else, before any value is read).
    anonymous = ["anonymous"] if row is None or row.public or "anonymous" in insiders else []
    everyone = [p for p in (*PERSONAS, *anonymous) if spec.personas is None or p in spec.personas]

    # 1. Every persona, once: one odd value in every query and form field, a different one
    # for each of them (and for each URL): its page, or its form for a URL that only
    # takes POST (the form of a page with one is hypothesis's, below).
    offset = sorted(URLS).index(name) * 7
    for i, persona in enumerate(everyone):
        value = ODD[(offset + i) % len(ODD)]
        client = fuzz.clients[persona]
        if spec.get:
            query = {**base_query, **dict.fromkeys(QUERY, value)}
            _check(client.get(url, query), persona, "GET", url, query)
        if valid_post is not None and not spec.get:
            sent = {k: [value] if isinstance(v, list) else value for k, v in valid_post.items()}
            sent.update({k: _odd_file(value)[i % 3] for k in spec.files})
            _check(client.post(url, sent), persona, "POST", url, sent)

    # The other path values (report kinds), once each with odd values.
    for i, other in enumerate(choices[1:], 1):
        other_url, value = reverse(name, kwargs=other), ODD[(offset + i) % len(ODD)]
        query = {**base_query, **dict.fromkeys(QUERY, value)}
        _check(fuzz.clients[insiders[0]].get(other_url, query), insiders[0], "GET", other_url, query)

    # 2. The personas the access check lets through: hypothesis mixes valid and odd values
    # in the query parameters the view reads and in its form.
    if spec.query or valid_post is not None:

        @settings(
            max_examples=spec.examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def walk(data):
            persona = data.draw(st.sampled_from(insiders), label="persona")
            client = fuzz.clients[persona]
            if spec.query:
                where = reverse(name, kwargs=data.draw(st.sampled_from(choices), label="path") or None)
                query = {**base_query, **{k: data.draw(odd_text, label=k) for k in spec.query}}
                _check(client.get(where, query), persona, "GET", where, query)
            if valid_post is not None:
                sent = _odd_values(data, valid_post, spec.files)
                _check(client.post(url, sent), persona, "POST", url, sent)

        walk()

    # 3. Odd path values, as the first persona that may use the URL.
    client = fuzz.clients[insiders[0]]
    for odd_url in _path_variants(name, kwargs):
        resp = client.get(odd_url) if spec.get else client.post(odd_url, valid_post or {})
        _check(resp, insiders[0], "GET" if spec.get else "POST", odd_url, {})


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
