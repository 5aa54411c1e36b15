"""Per-user per-day activity: one row a day, bumped by a single upsert per request."""

from django.db import connection
from django.utils import timezone

from .models import DailyActivity

_TABLE = DailyActivity._meta.db_table

_UPSERT = f"""
INSERT INTO {_TABLE} (user_id, school_id, day, requests, diary_views, first_seen, last_seen)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (user_id, day) DO UPDATE SET
    requests = {_TABLE}.requests + EXCLUDED.requests,
    diary_views = {_TABLE}.diary_views + EXCLUDED.diary_views,
    last_seen = GREATEST({_TABLE}.last_seen, EXCLUDED.last_seen)
"""  # noqa: S608 — the table name is ours, values are parameters


# The counters are statistics, not records: their commit need not wait for the disk. Outside
# a transaction the two statements of one execute form one transaction, and SET LOCAL holds
# for it alone (a crash may lose the last moment's counts, never consistency; every other
# commit of the connection stays synchronous). One query, and the request no longer waits
# for a WAL flush. Inside a caller's transaction the plain upsert: its commit is the caller's.
_UPSERT_ASYNC = "SET LOCAL synchronous_commit TO OFF;" + _UPSERT


def _bump(user, *, requests=0, diary_views=0, now=None):
    now = now or timezone.now()
    day = timezone.localdate(now)
    with connection.cursor() as cur:
        cur.execute(
            _UPSERT if connection.in_atomic_block else _UPSERT_ASYNC,
            [user.pk, user.school_id, day, requests, diary_views, now, now],
        )


def count_request(user, now=None, *, diary_view=False) -> None:
    """One query: this request of `user` counted in today's row (and, with `diary_view`,
    the diary page it opened: the same upsert, not a second one)."""
    _bump(user, requests=1, diary_views=int(diary_view), now=now)


def note_diary_view(request) -> None:
    """A pupil or parent opened a diary page: counted by ActivityMiddleware with the request
    itself, so a diary page writes its activity row once."""
    request._ej_diary_view = True


def is_diary_view(request) -> bool:
    return getattr(request, "_ej_diary_view", False)


def count_diary_view(user, now=None) -> None:
    """A diary view counted on its own (for work outside a request)."""
    _bump(user, diary_views=1, now=now)
