"""Privileges of the runtime role (docs/ARCHIVE.md "Database roles", docs/DESIGN.md §5).

`manage.py migrate` runs as the schema owner (alias `owner`); afterwards the runtime role
(alias `default`) gets exactly the DML the application needs, on the tables that exist
and, through default privileges, on tables later migrations create:

- SELECT, INSERT, UPDATE, DELETE on every table; never TRUNCATE, never ownership (so no
  ALTER TABLE, no DISABLE TRIGGER, no DROP);
- on the audit trail only SELECT and INSERT;
- on archive items SELECT, INSERT and UPDATE of the bookkeeping columns (no DELETE:
  items are removed after their term by maintenance, as the owner);
- USAGE and SELECT on the sequences.
"""

import logging

from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

APPEND_ONLY = ("accounts_auditevent",)
NO_DELETE = ("reports_archiveitem", "maintenance_backuprun", "maintenance_restoredrill")


def runtime_role() -> str | None:
    """The runtime role's name, or None when the deployment runs with one role."""
    dbs = settings.DATABASES
    runtime = getattr(settings, "DATABASE_RUNTIME", None) or dbs["default"]
    owner = dbs.get("owner", dbs["default"])
    user = runtime.get("USER")
    return user if user and user != owner.get("USER") else None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def grant_sql(role: str, existing: set[str]) -> list[str]:
    r = _q(role)
    sql = [
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"REVOKE CREATE ON SCHEMA public FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]
    for table in APPEND_ONLY:
        if table in existing:
            sql.append(f"REVOKE UPDATE, DELETE ON {_q(table)} FROM {r}")
    for table in NO_DELETE:
        if table in existing:
            sql.append(f"REVOKE DELETE ON {_q(table)} FROM {r}")
    return sql


def grant_runtime(cursor, role: str) -> bool:
    """Apply the grants through `cursor` (a connection as the owner). False if no such role."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone() is None:
        log.warning("runtime database role %s does not exist: no privileges granted", role)
        return False
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    existing = {row[0] for row in cursor.fetchall()}
    for statement in grant_sql(role, existing):
        cursor.execute(statement)
    return True


def grant_after_migrate(using="default", **kwargs):
    role = runtime_role()
    if role is None:
        return
    with connections[using].cursor() as cur:
        if cur.connection.info.user == role:
            return  # migrate run as the runtime role itself: it would fail earlier anyway
        grant_runtime(cur, role)
