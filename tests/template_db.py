"""One migrated template of the test database, cloned for every xdist worker.

Migrating an empty database takes 25–35 s on this 2-core machine; each worker used to do
it at its first database test, in parallel, on the same two cores. The template is
migrated once and each worker's database is a copy of it (`CREATE DATABASE … TEMPLATE`,
a second). The template's name carries a digest of every migration file and of
requirements.txt (the third-party apps' migrations come with their versions), so a
changed migration builds a new one and the stale ones are dropped. `make test` builds it
while scripts/checks.sh runs (`python -m tests.template_db`); otherwise the first worker
does, and the other waits for it.

The build and the clones hold one PostgreSQL advisory lock, so processes of any number of
checkouts on one server never build the same template twice or copy it half-built: a
template is built under another name and renamed when its migrations are through.
"""

import hashlib
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections

# pg_advisory_lock key: one builder or cloner of test templates at a time on the server.
LOCK = 7_204_611
# Templates are named by their migrations alone: checkouts at the same migrations share one.
PREFIX = "test_template_"


def digest() -> str:
    root = Path(settings.BASE_DIR)
    h = hashlib.sha256()
    for path in sorted(root.glob("*/migrations/*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    h.update((root / "requirements.txt").read_bytes())
    return h.hexdigest()[:16]


def template_name() -> str:
    return f"{PREFIX}{digest()}"


def _exists(cur, name) -> bool:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cur.fetchone() is not None


def _migrate_into(connection, name):
    """`migrate` into the database `name` on `connection`'s settings, as the test runner does."""
    saved = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = settings.DATABASES[connection.alias]["NAME"] = name
    try:
        call_command("migrate", verbosity=0, interactive=False, database=connection.alias, run_syncdb=True)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = settings.DATABASES[connection.alias]["NAME"] = saved


def _build(connection, cur, name):
    quote = connection.ops.quote_name
    building = f"{name}_build"
    cur.execute(f"DROP DATABASE IF EXISTS {quote(building)}")  # a build interrupted earlier
    cur.execute(f"CREATE DATABASE {quote(building)}")
    _migrate_into(connection, building)
    cur.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(name)}")
    # Templates of other migration states: dropped where no run is copying them now.
    cur.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s", [PREFIX, name])
    for (stale,) in cur.fetchall():
        cur.execute(f"DROP DATABASE IF EXISTS {quote(stale)}")


@contextmanager
def _locked(connection):
    """A cursor on the server's maintenance database holding the advisory lock."""
    with connection._nodb_cursor() as cur:
        cur.execute("SELECT pg_advisory_lock(%s)", [LOCK])
        try:
            yield cur
        finally:
            cur.execute("SELECT pg_advisory_unlock(%s)", [LOCK])


def _ensure(connection, cur) -> str:
    name = template_name()
    if not _exists(cur, name):
        _build(connection, cur, name)
    return name


def ensure(alias="default") -> str:
    """The template for the migrations of this checkout, built if missing."""
    connection = connections[alias]
    with _locked(connection) as cur:
        return _ensure(connection, cur)


def clone(alias="default") -> str:
    """The worker's test database (pytest-django's name for it) as a fresh copy of the
    template, built first if missing: one lock, one maintenance connection."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    test_name = connection.creation._get_test_db_name()
    with _locked(connection) as cur:
        template = _ensure(connection, cur)
        cur.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
        cur.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
    return test_name


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings.test")
    django.setup()
    print(f"== test database template {ensure()}")
