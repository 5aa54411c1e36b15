"""Reads that may lag go to the streaming replica; a user's own writes are read back from
the primary (docs/DEPLOY.md "A read replica").

Which reads may lag: the pages families and deputies read (the diary, the reports and the
control pages), asked with GET. Everything else, every write, and the session, login and
lockout tables are the primary's.

Read-your-writes within a session: after a request that may have written (any other
method than GET/HEAD/OPTIONS), the primary's WAL position is kept in the session. A later
lag-tolerant read goes to the replica only once the replica has replayed past it, which
one cheap query on the replica tells; until then it reads the primary. Without a
`replica` alias (the default) none of this runs.
"""

from contextvars import ContextVar

from django.db import connections

REPLICA = "replica"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# URL namespaces and names whose GET pages may show data a few seconds old.
LAG_TOLERANT_NAMESPACES = ("diary", "reports", "archive")
LAG_TOLERANT_NAMES = ("journal:control", "journal:class_control")
# Read on the primary whatever the page: who is signed in, and who is locked out.
PRIMARY_ONLY_APPS = ("sessions", "axes", "otp_totp", "otp_static", "contenttypes", "auth")
WAL_KEY = "_replica_wal"

_reads_on_replica: ContextVar[bool] = ContextVar("reads_on_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _reads_on_replica.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            # Inside a transaction of the primary (a service's write, select_for_update) the
            # reads are part of it.
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        # An object read on the replica is saved on the primary; anything else where it
        # came from (Django's default: the owner alias's objects stay the owner's).
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPLICA:
            return "default"
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The same data on both: an object read on the replica may be linked to one of the primary's.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None


def _wal_position(alias: str, sql: str) -> int:
    with connections[alias].cursor() as cur:
        cur.execute(sql)
        lsn = cur.fetchone()[0]
    if lsn is None:
        return -1
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def _lag_tolerant(request) -> bool:
    match = request.resolver_match
    if match is None or request.method not in SAFE_METHODS:
        return False
    return match.namespace in LAG_TOLERANT_NAMESPACES or match.view_name in LAG_TOLERANT_NAMES


def _caught_up(request) -> bool:
    """Has the replica replayed the user's last write? (no write kept: yes)"""
    wrote = request.session.get(WAL_KEY) if hasattr(request, "session") else None
    if wrote is None:
        return True
    if _wal_position(REPLICA, "SELECT pg_last_wal_replay_lsn()::text") >= wrote:
        del request.session[WAL_KEY]
        return True
    return False


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        request._replica_token = None
        try:
            response = self.get_response(request)
        finally:
            token = request._replica_token
            if token is not None:
                _reads_on_replica.reset(token)
        user = getattr(request, "user", None)
        if request.method not in SAFE_METHODS and user is not None and user.is_authenticated:
            request.session[WAL_KEY] = _wal_position("default", "SELECT pg_current_wal_lsn()::text")
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if replica_configured() and _lag_tolerant(request) and _caught_up(request):
            request._replica_token = _reads_on_replica.set(True)
        return None
