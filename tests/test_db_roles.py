"""The runtime role (what the web, the worker and beat connect as) cannot rewrite the
audit trail: no ALTER TABLE / DISABLE TRIGGER, no TRUNCATE, no UPDATE or DELETE, no
unkeyed rows (docs/ARCHIVE.md "Database roles"). The suite itself runs as the owner."""

import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from accounts import audit
from accounts.models import AuditEvent
from maintenance import roles

from . import factories as F
from .child_env import child_env


def runtime_connect():
    rt = settings.DATABASE_RUNTIME
    conn = psycopg.connect(
        host=rt["HOST"],
        port=rt["PORT"] or None,
        user=rt["USER"],
        password=rt["PASSWORD"],
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    )
    conn.execute("SET lock_timeout = '10s'")
    return conn


@pytest.fixture
def runtime(db):
    with runtime_connect() as conn:
        yield conn


def test_the_runtime_role_is_another_role_that_owns_nothing(runtime):
    assert roles.runtime_role() == settings.DATABASE_RUNTIME["USER"] != connection.settings_dict["USER"]
    owned = runtime.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user"
    ).fetchone()[0]
    assert owned == 0
    assert runtime.execute(
        "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
    ).fetchone() == (False,)


@pytest.mark.parametrize(
    "sql, error",
    [
        ("ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_append_only", "must be owner"),
        ("ALTER TABLE accounts_auditevent DISABLE TRIGGER ALL", "must be owner"),
        ("DROP TRIGGER accounts_auditevent_append_only ON accounts_auditevent", "must be owner"),
        ("TRUNCATE accounts_auditevent", "permission denied"),
        ("TRUNCATE accounts_auditevent CASCADE", "permission denied"),
        ("UPDATE accounts_auditevent SET reason = 'x'", "permission denied"),
        ("DELETE FROM accounts_auditevent", "permission denied"),
        ("SET ejournal.audit_truncate = 'allow'; TRUNCATE accounts_auditevent", "permission denied"),
        ("CREATE TABLE evil (id int)", "permission denied"),
        ("DELETE FROM reports_archiveitem", "permission denied"),
    ],
)
def test_the_runtime_role_cannot_rewrite_the_audit_trail(runtime, sql, error):
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match=error):
        runtime.execute(sql)


def test_the_runtime_role_cannot_append_unkeyed_events(runtime):
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="must be keyed"):
        runtime.execute(
            "INSERT INTO accounts_auditevent (action, object_type, object_id, reason, created_at, prev_hash, hash,"
            " chain_version) VALUES ('x', 'y', '1', '', now(), %s, %s, 1)",
            [audit.GENESIS, "f" * 64],
        )


@pytest.mark.django_db(transaction=True)
def test_the_application_works_as_the_runtime_role_and_flush_as_the_owner():
    """A child process with production settings (the runtime role, as `make run`) records
    audit events; the test runner's flush (TRUNCATE, as the owner) still empties the trail."""
    user = F.UserFactory()
    code = (
        "import django; django.setup();"
        "from django.db import connection; from accounts import audit;"
        "from accounts.models import User;"
        f"u = User.objects.get(pk={user.pk});"
        f"assert connection.cursor().connection.info.user == {roles.runtime_role()!r};"
        "[audit.record(actor=u, action='account.test', obj=u) for _ in range(2)]"
    )
    subprocess.run([sys.executable, "-c", code], env=child_env(), check=True, cwd=settings.BASE_DIR, timeout=120)
    assert AuditEvent.objects.filter(action="account.test").count() == 2
    assert audit.verify_chain(user.school_id) == []

    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    with runtime_connect() as rt, pytest.raises(psycopg.errors.InsufficientPrivilege):
        rt.execute("TRUNCATE accounts_auditevent")


def test_the_owner_is_still_refused_row_updates_by_the_trigger(world):
    with transaction.atomic():
        audit.record(actor=world.teacher, action="mark.create", obj=world.lessons[0])
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE accounts_auditevent SET reason = 'x'")
