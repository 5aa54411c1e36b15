"""PostgreSQL client programs and connections as the schema owner (docs/ARCHIVE.md)."""

import glob
import os
import shutil
import subprocess
from pathlib import Path

import psycopg
from django.conf import settings


class MaintenanceError(Exception):
    """A backup, restore or drill that cannot go on; the message is for people (Russian)."""


def program(name: str) -> str:
    """pg_dump / pg_restore of the newest installed PostgreSQL (or PG_BIN_DIR)."""
    if settings.PG_BIN_DIR:
        return str(Path(settings.PG_BIN_DIR) / name)
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else shutil.which(name) or name


def owner_settings() -> dict:
    dbs = settings.DATABASES
    return dbs.get("owner", dbs["default"])


def conninfo(db: dict | None = None, dbname: str | None = None) -> str:
    """A libpq connection string for the owner's settings (a socket directory works as host)."""
    db = db or owner_settings()
    parts = {
        "host": db.get("HOST") or "",
        "port": str(db.get("PORT") or ""),
        "user": db.get("USER") or "",
        "password": db.get("PASSWORD") or "",
        "dbname": dbname or db["NAME"],
    }
    return psycopg.conninfo.make_conninfo(**{k: v for k, v in parts.items() if v})


def connect(dsn: str, **kwargs) -> psycopg.Connection:
    return psycopg.connect(dsn, **kwargs)


def run(args: list[str], what: str, env=None) -> subprocess.CompletedProcess:
    """Run a client program; a failure raises MaintenanceError with its stderr."""
    try:
        proc = subprocess.run(args, capture_output=True, text=True, env=env or os.environ.copy(), check=False)
    except OSError as exc:
        raise MaintenanceError(f"{what}: {exc}") from exc
    if proc.returncode:
        raise MaintenanceError(f"{what}: {(proc.stderr or proc.stdout).strip()[-1500:]}")
    return proc


def public_tables(cur) -> list[str]:
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [r[0] for r in cur.fetchall()]


def row_counts(cur) -> dict[str, int]:
    counts = {}
    for table in public_tables(cur):
        cur.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cur.fetchone()[0]
    return counts


AUDIT_COLUMNS = (
    "id, school_id, actor_id, action, object_type, object_id, before, after, reason, host(ip) AS ip, "
    "created_at, prev_hash, hash, chain_version"
)


def audit_heads(cur) -> dict[str, dict]:
    """Chain heads like accounts.anchors.chain_heads, over a raw connection (JSON keys are strings)."""
    cur.execute(
        "SELECT e.school_id, e.id, e.hash, c.n FROM accounts_auditevent e JOIN ("
        " SELECT school_id, max(id) AS last_id, count(*) AS n FROM accounts_auditevent GROUP BY school_id"
        ") c ON c.last_id = e.id ORDER BY e.school_id NULLS LAST"
    )
    return {str(s): {"last_id": i, "head": h, "count": n} for s, i, h, n in cur.fetchall()}
