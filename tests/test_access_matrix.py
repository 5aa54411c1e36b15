"""The role × URL matrix: every URL name has rows, and every row holds for every persona.

Rows live in tests/access_matrix/<area>.py (format in its __init__). A URL added without
a row fails `test_every_url_has_a_row`.
"""

import copy
import importlib
import pkgutil

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlencode

from . import access_matrix
from .conftest import quiet_request_logs, signed_in_clients

PERSONAS = ["teacher", "class_teacher", "parent", "other_parent", "pupil", "deputy", "director", "admin", "outsider"]
# Django's own machinery: the admin has its own login and permission checks, so its
# matrix is tests/test_admin.py (every registered model × persona × own/foreign school);
# login/logout and the language switch.
NOT_IN_MATRIX_PREFIXES = ("admin:",)
NOT_IN_MATRIX = {"login", "logout", "set_language"}


def _rows():
    rows = []
    for mod in pkgutil.iter_modules(access_matrix.__path__):
        rows += importlib.import_module(f"{access_matrix.__name__}.{mod.name}").ROWS
    return rows


ROWS = _rows()


def _url_names(patterns=None, ns=""):
    names = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            names |= _url_names(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            names.add(ns + p.name)
    return names


def test_every_url_has_a_row():
    covered = {r.name for r in ROWS}
    names = {n for n in _url_names() if n not in NOT_IN_MATRIX and not n.startswith(NOT_IN_MATRIX_PREFIXES)}
    assert sorted(names - covered) == []
    assert sorted(covered - names) == []  # no row for a URL that no longer exists


@pytest.fixture(scope="module")
def signed_in(shared_world, django_db_blocker):
    """A client per persona, signed in once for the module (in its transaction): a test
    restores the persona's session cookie instead of logging in and out nine times (two
    thirds of the matrix's queries were logins and logouts). What a row's request does to
    a session (a logout, a new key) is rolled back with the test."""
    with django_db_blocker.unblock():
        clients, cookies = signed_in_clients(shared_world, PERSONAS)
    with quiet_request_logs():
        yield clients, cookies


@pytest.mark.parametrize("i", range(len(ROWS)), ids=lambda i: f"{ROWS[i].name}:{ROWS[i].method}:{i}")
def test_row(i, db, shared_world, signed_in, settings, tmp_path):
    world = shared_world
    clients, cookies = signed_in
    settings.MEDIA_ROOT = str(tmp_path)
    row = ROWS[i]
    url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
    if row.query:
        url += "?" + urlencode(row.query(world))
    data = row.data(world) if row.data else None

    def request(client):
        if row.method == "POST":
            return client.post(url, data, headers=row.headers)
        return client.get(url, headers=row.headers)

    got = {}
    for persona in PERSONAS:
        client = clients[persona]
        client.cookies = copy.deepcopy(cookies[persona])
        got[persona] = request(client).status_code
    expected = {p: row.status_for(p) for p in PERSONAS}
    diff = {p: (expected[p], got[p]) for p in PERSONAS if expected[p] != got[p]}
    assert not diff, f"{row.name} [{row.note}] {url}: expected→got {diff}"
    resp = request(Client())
    if row.public:
        assert resp.status_code == row.status_for("anonymous"), (url, resp.status_code)
    else:
        assert resp.status_code == 302 and "/login/" in resp["Location"], (url, resp.status_code)
