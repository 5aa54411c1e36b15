"""Control of the journal: the deadline checks (docs/DESIGN.md §3.22), plain functions over
one school and a moment, and the control report's figures (journal.control.report).

    from journal.control import run_school_checks
    report = run_school_checks(school, now)            # every check, then notices
    lessons.lesson_unfilled(school, now)               # one check, no notices

Every check is idempotent and set-based (one SQL statement upserts its
violations, see base.sync). Celery beat runs them through journal.tasks with the
groups below; `now` is always passed in, the checks read no clock.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import School

from . import absences, lessons, notify, outages, periods, plans
from .base import Outcome

CHECKS = {
    "lesson_unfilled": lessons.lesson_unfilled,
    "homework_missing": lessons.homework_missing,
    "lesson_locked": lessons.lesson_locked,
    "test_marks": lessons.test_marks,
    "period_marks_due": periods.period_marks_due,
    "period_marks_overdue": periods.period_marks_overdue,
    "few_marks": periods.few_marks,
    "absence_reason": absences.absence_reason,
    "plan_hours": plans.plan_hours,
    "temp_journal": outages.temp_journal,
}

# Checks whose deadlines fall during the school day (cut-off, homework after the
# last lesson, test marks at the next day's cut-off): run every half hour.
DAYTIME_CHECKS = ("lesson_unfilled", "homework_missing", "test_marks")
# Checks whose deadlines are whole days (locks, period marks, absence reasons, the
# plan's hours from 1 September, the temporary journal's transfer): once in the morning.
MORNING_CHECKS = tuple(name for name in CHECKS if name not in DAYTIME_CHECKS)
GROUPS = {"daytime": DAYTIME_CHECKS, "morning": MORNING_CHECKS, "all": tuple(CHECKS)}

_LOCK_NAMESPACE = 7307  # pg_advisory_xact_lock(namespace, school_id): one run per school at a time


@dataclass
class RunReport:
    school_id: int
    outcomes: list[Outcome] = field(default_factory=list)
    notifications: int = 0
    emails: int = 0


def run_school_checks(school, now, checks=None, *, notify_people=True) -> RunReport:
    """Run `checks` (names; all by default) for one school, then tell people about what is new.

    One transaction, serialised per school, so two overlapping runs (beat and a
    retry) never announce the same violation twice. E-mails go out after commit.
    """
    names = list(checks or CHECKS)
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise ValueError(f"unknown checks: {', '.join(unknown)}")
    report = RunReport(school_id=school.pk)
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, school.pk])
        report.outcomes = [CHECKS[name](school, now) for name in names]
        if notify_people:
            report.notifications = len(notify.collect(school, now))
    if notify_people:
        report.emails = notify.send_emails(school, now)
    return report


def queue_schools(task, group: str, now=None) -> int:
    """Beat's fan-out: one task per school, all checking the same moment."""
    if group not in GROUPS:
        raise ValueError(f"unknown check group: {group}")
    now = now or timezone.now()
    ids = list(School.objects.order_by("pk").values_list("pk", flat=True))
    for school_id in ids:
        task.apply_async(args=[school_id, group, now.isoformat()])
    return len(ids)


def run_group(school_id: int, group: str, now_iso: str) -> dict:
    """One school's checks of `group` at `now_iso`; a summary for the task result."""
    school = School.objects.get(pk=school_id)
    report = run_school_checks(school, datetime.fromisoformat(now_iso), GROUPS[group])
    return {
        "school": school_id,
        "opened": sum(o.opened for o in report.outcomes),
        "resolved": sum(o.resolved for o in report.outcomes),
        "notifications": report.notifications,
        "emails": report.emails,
    }


__all__ = [
    "CHECKS",
    "DAYTIME_CHECKS",
    "GROUPS",
    "MORNING_CHECKS",
    "RunReport",
    "queue_schools",
    "run_group",
    "run_school_checks",
]
