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
    # psycopg prepares a statement it has run this often on a connection. Django's own
    # cursors bind on the client and are never prepared; the queries of every page
    # (ejournal/prepared.py) bind on the server and are planned once per connection.
    runtime.setdefault("OPTIONS", {})["prepare_threshold"] = 5
    # No JIT: the control page's one query over every journal of a school is estimated
    # costly enough to be compiled, which took 1.17 s of its 1.39 s; these are short queries
    # that JIT never pays back (PostgreSQL's own advice for OLTP).
    # Generic plans for the prepared statements (only ejournal/prepared.py's queries are):
    # by default PostgreSQL plans a prepared statement afresh for each run while it judges a
    # custom plan cheaper, and the family home's query of five subqueries took 54 ms to plan
    # and 2 ms to run, every time. They look rows up by ids and dates, where one plan serves all.
    runtime["OPTIONS"]["options"] = (
        runtime["OPTIONS"].get("options", "") + " -c jit=off -c plan_cache_mode=force_generic_plan"
    ).strip()
    runtime["ATOMIC_REQUESTS"] = False
    runtime["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # With the pool this is its checkout check (one empty round trip): a connection broken
    # by a PostgreSQL restart is replaced instead of failing the request.
    runtime["CONN_HEALTH_CHECKS"] = True
    pool = env.int("DB_POOL", default=0)
    if pool:
        runtime["CONN_MAX_AGE"] = 0  # the pool owns the connections' lifetime
        runtime["OPTIONS"]["pool"] = pool_options(pool)
    owner["CONN_MAX_AGE"] = 0
    # The same database as `default`: under the test runner it follows the test database.
    owner["TEST"] = {"MIRROR": "default"}
    databases = {"default": runtime, "owner": owner}
    replica = _replica(env, socket_dir, runtime)
    if replica:
        databases["replica"] = replica
    return databases


def _replica(env, socket_dir, runtime) -> dict | None:
    """A streaming replica for reads that may lag (ejournal/routers.py, docs/DEPLOY.md
    "A read replica"): DATABASE_REPLICA_URL, or DB_REPLICA=1 for the checkout's own
    (`make run-replica`: its socket directory is the primary's with `-replica`)."""
    if env("DATABASE_REPLICA_URL", default=""):
        replica = env.db("DATABASE_REPLICA_URL")
    elif env.bool("DB_REPLICA", default=False):
        replica = {**runtime, "HOST": f"{socket_dir}-replica"}
        replica.pop("TEST", None)
    else:
        return None
    for key in ("ATOMIC_REQUESTS", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        replica[key] = runtime[key]
    # Its own pool (the pool is keyed by alias), the same size as the primary's.
    replica["OPTIONS"] = {**replica.get("OPTIONS", {}), **runtime.get("OPTIONS", {})}
    # Under the test runner the replica alias reads the test database itself, unless a
    # test points it at a running replica (tests/test_replica.py).
    replica["TEST"] = {"MIRROR": "default"}
    return replica


def pool_options(size: int) -> dict:
    """Django's psycopg pool for a multi-threaded web process (gunicorn.conf.py sets DB_POOL).

    A connection outlives the thread or request that used it, so no request pays for a
    new backend (connecting plus loading the catalogue: about 20 ms of a 45 ms lesson page,
    docs/DEPLOY.md "Connection pool"). Only the web turns it on: a pool's background
    threads do not survive the fork of Celery's prefork workers, which keep CONN_MAX_AGE.
    """
    return {
        "min_size": 1,
        "max_size": size,
        # max_size is the worker's thread count and a thread holds one connection at a time,
        # so a request waits here only while PostgreSQL refuses new connections (a restart):
        # it then gets the error page after a few seconds instead of hanging.
        "timeout": 3,
        # The pool retries a refused connection with a doubling delay (1, 2, 4 … s) for this
        # long, then gives up and the next request tries at once: a restart of a few seconds
        # leaves the pages down about that long, not for the last, longest delay.
        "reconnect_timeout": 2,
    }
