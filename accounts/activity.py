"""Per-user daily activity counters (DailyActivity), one upsert per event.

A single INSERT … ON CONFLICT keeps the counter right under concurrent requests
and costs one query, so diary pages stay within their query budget.
"""

from django.db import connection
from django.utils import timezone

from .models import DailyActivity


def count_diary_view(user, now=None) -> None:
    """+1 diary view for `user` today (activity and control reports)."""
    if not getattr(user, "is_authenticated", False):
        return
    now = now or timezone.now()
    table = DailyActivity._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO {table} (user_id, school_id, day, requests, diary_views, first_seen, last_seen)
            VALUES (%s, %s, %s, 0, 1, %s, %s)
            ON CONFLICT (user_id, day) DO UPDATE
               SET diary_views = {table}.diary_views + 1,
                   last_seen = GREATEST({table}.last_seen, EXCLUDED.last_seen)
            """,
            [user.pk, user.school_id, timezone.localdate(now), now, now],
        )
