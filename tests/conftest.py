import asyncio
import copy
import logging
import os
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from . import flush
from .world import build_world

# Playwright's sync API runs an event loop in the test thread; live_server tests need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Hypothesis times its own input generation and each example. On a loaded 2-core machine
# (the suite's two workers, a browser, PostgreSQL) that measures the machine, not the
# code, and fails at random: tests assert behaviour, never wall-clock time.
hypothesis_settings.register_profile("ejournal", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("ejournal")


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """Bootstrap compiles the translations; a bare pytest run on a fresh or stale
    checkout must not test against missing ones (English, Russian plurals)."""
    from django.conf import settings
    from django.core.management import call_command

    for po in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            call_command("compilemessages", ignore_patterns=[".venv", "node_modules", "var"], verbosity=0)
            # Catalogues are cached per process; a settings change signal is Django's way to drop them.
            from django.test import override_settings

            with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
                pass
            break


def pytest_xdist_make_scheduler(config, log):
    """Modules that build their data once run whole on one worker (tests/scheduling.py)."""
    if config.getoption("dist") != "loadscope":
        return None
    from .scheduling import SharedDataScheduling

    return SharedDataScheduling(config, log)


def pytest_configure(config):
    flush.install()


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's test database setup, on a copy of the migrated template
    (tests/template_db.py) instead of migrating an empty database on every worker: the
    runner then finds the migrations applied (keepdb) and only sends post_migrate."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from . import template_db

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        template_db.clone()
        db_cfg = setup_databases(
            verbosity=verbosity,
            interactive=False,
            keepdb=True,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
        )
    yield
    with django_db_blocker.unblock():
        teardown_databases(db_cfg, verbosity=verbosity)


@contextmanager
def records_in(base):
    """The anchor file, backup and archive media of the settings under `base`.

    Set on the settings themselves, not through an override (which would hide
    settings.SETTINGS_MODULE from tests/test_settings.py), with Django's change signal so
    the file storage follows MEDIA_ROOT."""
    from django.conf import settings
    from django.test.signals import setting_changed

    values = {
        "MEDIA_ROOT": str(base / "media"),
        "AUDIT_ANCHOR_FILE": str(base / "anchors" / "audit-anchors.jsonl"),
        "BACKUP_DIRS": [str(base / "backup-a"), str(base / "backup-b")],
        "ARCHIVE_DIRS": [str(base / "media" / "archive"), str(base / "archive-b")],
        "SIGNING_DIR": str(base / "signing"),
    }
    for d in (*values["BACKUP_DIRS"], *values["ARCHIVE_DIRS"]):
        Path(d).mkdir(parents=True, exist_ok=True)
    old = {k: getattr(settings, k) for k in values}
    for k, v in values.items():
        setattr(settings, k, v)
        setting_changed.send(sender=type(settings), setting=k, value=v, enter=True)
    try:
        yield base
    finally:
        for k, v in old.items():
            setattr(settings, k, v)
            setting_changed.send(sender=type(settings), setting=k, value=v, enter=False)


@pytest.fixture(autouse=True)
def no_browser_loop_outside_browser_tests(request):
    """From a worker's first browser test on, Playwright's sync API keeps its event loop
    running in the worker's thread (the session's one Chromium). Code that runs a loop of
    its own refuses a running one (pyHanko's sync signing and validation call
    asyncio.run), as it never meets one in the web or Celery processes: outside browser
    tests the idle loop is hidden."""
    loop = asyncio._get_running_loop()
    if loop is None or request.node.get_closest_marker("browser"):
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language. A request through the test client runs in
    the test's own thread, and LocaleMiddleware leaves the language it activated (English,
    for a test of the English interface) to whichever test runs next on that worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def records_outside_the_database(tmp_path_factory):
    """Each test its own anchor file, backup and archive media (docs/ARCHIVE.md): what one
    test anchored or archived must not be checked against another test's database."""
    with records_in(tmp_path_factory.mktemp("records")) as base:
        yield base


SCHOOL_DAY = date(2026, 11, 20)  # a Friday of the factories' 2026/27 year, second quarter
SEED_MOMENT = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))  # noon of SCHOOL_DAY


@pytest.fixture
def school_day():
    """The clock at noon of SCHOOL_DAY, ticking: tests about "today's lesson" must not
    depend on the real date (holidays, summer, another school year)."""
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True):
        yield SCHOOL_DAY


@contextmanager
def module_transaction(django_db_blocker):
    """A transaction held open for a test module and rolled back after its last test.

    Data made in it once is shared by the module's tests; each test runs in a savepoint
    inside it (the `db` fixture), so what a test changes is undone and other modules
    never see the data. Only for modules without transactional tests.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        # A test's own transaction, as a test case's is: accounts.audit's lock-order check
        # speaks for real transactions, not for data a module shares (its rows give this
        # transaction an id before any test's service takes the chain lock).
        outer._from_testcase = True
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@contextmanager
def quiet_request_logs():
    """Django logs a warning with a traceback for every 403 and 404: tests that make them
    by the hundred (the access matrix, the fuzz walk) assert the status instead."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def signed_in_clients(world, personas, **client_options):
    """A client per persona, force-logged-in, and a copy of its session cookie: a test
    restores the cookie instead of logging in and out again (call it inside the module's
    transaction; what a test's request does to the session is rolled back with the test).

    Each session has passed the account gates once (one page): what the gate notes in
    the session (no second factor to ask for) is kept for the module, as it is for a
    session in use, instead of being looked up again at every request."""
    from django.test import Client

    clients, cookies = {}, {}
    for persona in personas:
        c = Client(**client_options)
        c.force_login(world.personas[persona])
        c.get("/")
        clients[persona], cookies[persona] = c, copy.deepcopy(c.cookies)
    return clients, cookies


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker):
    """The small demo school (seed 3, today SCHOOL_DAY), seeded once per test module
    (seeding takes seconds) in a `module_transaction`."""
    from demo import seeding

    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock(), time_machine.travel(SEED_MOMENT, tick=False):
            (school,) = seeding.seed("small", seed=3, today=SCHOOL_DAY)
        yield school


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """`build_world()` once per test module, in a `module_transaction`: for modules of
    many short tests over the same personas (the access matrix)."""
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            world = build_world()
        yield world


@pytest.fixture
def worker_thread():
    """worker_thread() -> a context manager running a real Celery worker thread (solo pool)
    on this xdist worker's Redis database.

    The queue is emptied when the test starts: tasks that earlier tests queued on commit,
    for rows flushed long ago, would otherwise run first and, on a loaded machine, outlast
    the test's wait. What the test itself queues before starting the worker stays."""
    from celery.contrib.testing.worker import start_worker

    from ejournal.celery import app

    app.control.purge()
    return lambda: start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30)


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def teacher(world):
    return world.teacher


@pytest.fixture
def class_teacher(world):
    return world.class_teacher


@pytest.fixture
def parent(world):
    return world.parent


@pytest.fixture
def other_parent(world):
    return world.other_parent


@pytest.fixture
def pupil(world):
    return world.pupil


@pytest.fixture
def deputy(world):
    return world.deputy


@pytest.fixture
def director(world):
    return world.director


@pytest.fixture
def admin_user(world):
    return world.admin


@pytest.fixture
def outsider(world):
    return world.outsider


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Real Chromium (Debian's /usr/bin/chromium) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=BROWSER_ARGS)
        yield b
        b.close()


@pytest.fixture
def login_page(browser, live_server):
    """login_page(user) -> a Playwright page in a fresh context, logged in through the login form."""
    from .factories import PASSWORD

    contexts = []

    def login(user, password=PASSWORD):
        ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="ru-RU")
        contexts.append(ctx)
        page = ctx.new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        # The home page's load, not "networkidle": that waits out half a second of quiet
        # after every login (a minute of the browser lane); what a test looks for next, it
        # waits for itself.
        with page.expect_navigation(url=lambda url: "/login/" not in url):
            page.click("button[type=submit]")
        return page

    yield login
    for ctx in contexts:
        ctx.close()
