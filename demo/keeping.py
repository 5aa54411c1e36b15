"""What keeps a demo school alive after the day it was seeded (beat: `demo-keep-going`).

Lessons stay ahead of today by the journal's own nightly sync (`journal-sync-lessons`);
this adds what the demo's teachers would: the period marks of every period that has
ended since. Only schools the demo generator wrote are touched; each addition is audited.
"""

from datetime import date

from django.utils import timezone

from accounts import audit

from .period_marks import demo_school_ids, write_period_marks


def keep_going(today_iso=None) -> dict:
    today = date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    added = {}
    for school_id in demo_school_ids():
        with audit.chain(school_id):
            n = write_period_marks(school_id, today)
            if n:
                audit.record(
                    actor=None,
                    action="demo.period_marks",
                    object_type="accounts.school",
                    object_id=school_id,
                    school=school_id,
                    after={"today": today.isoformat(), "period_marks": n},
                    reason="Демонстрационные данные",
                )
        added[school_id] = n
    return added
