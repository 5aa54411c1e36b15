"""The web's PostgreSQL connection pool (ejournal/settings/databases.py, docs/DEPLOY.md).

Gunicorn's threads, and any server that starts a thread per request, share a few pooled
connections: a request never pays for a new backend, and a connection that PostgreSQL
dropped (a restart) is replaced on checkout instead of failing the teacher's request.
"""

import threading

import environ
import pytest
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper

from ejournal.settings.databases import database_settings, pool_options

pytestmark = pytest.mark.django_db

# The pool is keyed by alias; the test connection of "default" has no pool options, so a
# second wrapper of the same alias with them gets a pool of its own without touching it
# (contrib.postgres looks the alias up in `connections`, so it must be a real one).
ALIAS = "default"


@pytest.fixture
def pooled():
    settings_dict = {**connection.settings_dict, "CONN_MAX_AGE": 0, "OPTIONS": {"pool": pool_options(2)}}
    wrappers = []

    def wrapper():
        w = DatabaseWrapper(settings_dict, alias=ALIAS)
        wrappers.append(w)
        return w

    yield wrapper
    wrappers[0].close_pool()


def backend_pid(make_wrapper):
    """What one request does: check a connection out, query, hand it back (close)."""
    w = make_wrapper()
    try:
        with w.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            return cur.fetchone()[0]
    finally:
        w.close()


def test_the_web_process_turns_the_pool_on_and_persistent_connections_off(monkeypatch):
    monkeypatch.setenv("DB_POOL", "8")
    runtime = database_settings(environ.Env(), "/nonexistent")["default"]
    assert runtime["OPTIONS"]["pool"]["max_size"] == 8
    assert runtime["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
    monkeypatch.setenv("DB_POOL", "0")
    assert "pool" not in database_settings(environ.Env(), "/nonexistent")["default"].get("OPTIONS", {})


def test_a_thread_per_request_reuses_the_pooled_backends(pooled):
    pids = []
    for _ in range(3):  # three rounds of four concurrent requests, each on a thread of its own
        threads = [threading.Thread(target=lambda: pids.append(backend_pid(pooled))) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(pids) == 12
    assert len(set(pids)) <= 2  # never more backends than the pool's size


def test_a_connection_dropped_by_postgresql_is_replaced_not_failed(pooled):
    first = backend_pid(pooled)
    with connection.cursor() as cur:  # what a PostgreSQL restart does to the pooled backend
        cur.execute("SELECT pg_terminate_backend(%s)", [first])
        assert cur.fetchone()[0] is True
    # The next request checks the pooled connection, finds it dead and gets a fresh one.
    second = backend_pid(pooled)
    assert second != first


def test_queries_are_never_jit_compiled():
    """The control page's query over every journal of a school spent 1.17 s of 1.39 s in
    JIT compilation; the app's connections turn JIT off."""
    with connection.cursor() as cur:
        cur.execute("SHOW jit")
        assert cur.fetchone()[0] == "off"
