"""The two database roles (docs/DESIGN.md §5, docs/ARCHIVE.md "Database roles").

- `default`, the runtime role (DATABASE_URL): the web, the Celery worker and beat. It
  owns nothing and has only the DML it needs; on the audit table only SELECT and INSERT.
- `owner` (DATABASE_OWNER_URL): owns the schema; `manage.py migrate` (which defaults to
  this alias here), backups, restores and the restore drill connect as it.

Without either URL the checkout's own PostgreSQL (scripts/services.sh) is used, where
both roles exist: `ejournal` (owner) and `ejournal_app` (runtime). A deployment that
gives only DATABASE_URL runs with one role (no separation; `migrate` then grants nothing).
"""

LOCAL_OWNER = "ejournal"
LOCAL_RUNTIME = "ejournal_app"


def _local(env, socket_dir, user):
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": env("EJ_PG_DB", default="ejournal"),
        "USER": user,
        "PASSWORD": user,
        "HOST": socket_dir,
        "PORT": "",
    }


def database_settings(env, socket_dir) -> dict:
    """DATABASES with the runtime `default` and the maintenance `owner` alias."""
    if env("DATABASE_URL", default=""):
        runtime = env.db("DATABASE_URL")
        owner = env.db("DATABASE_OWNER_URL") if env("DATABASE_OWNER_URL", default="") else dict(runtime)
    else:
        runtime = _local(env, socket_dir, LOCAL_RUNTIME)
        owner = (
            env.db("DATABASE_OWNER_URL")
            if env("DATABASE_OWNER_URL", default="")
            else _local(env, socket_dir, LOCAL_OWNER)
        )
    runtime["ATOMIC_REQUESTS"] = False
    runtime["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    runtime["CONN_HEALTH_CHECKS"] = True
    pool = env.int("DB_POOL", default=0)
    if pool:
        # Django's psycopg pool (needs psycopg-pool): connections outlive the thread that
        # opened them, so a server that starts a thread per request meets a warm backend.
        runtime["CONN_MAX_AGE"] = 0
        runtime.setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": pool, "timeout": 10}
    owner["CONN_MAX_AGE"] = 0
    # The same database as `default`: under the test runner it follows the test database.
    owner["TEST"] = {"MIRROR": "default"}
    return {"default": runtime, "owner": owner}
