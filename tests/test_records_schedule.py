"""Beat's schedule of the records that survive 25 years (docs/ARCHIVE.md, issue 17): a
weekly backup and one on 30 June, the monthly restore drill, the nightly audit check and
daily anchor, the archive after each period, its nightly check and monthly sample; and
each entry's task does its job (run here the way the worker runs it)."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from accounts import anchors, audit
from maintenance import tasks as maintenance_tasks
from maintenance.models import BackupRun
from reports import archive


def _entry(task, args=()):
    found = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == task and list(e.get("args", [])) == list(args)
    ]
    assert len(found) == 1, f"one beat entry for {task}{list(args)}"
    return found[0]["schedule"]


def _due_days(schedule, start: date, days: int) -> set[date]:
    """The days of [start, start + days) on which the crontab fires (at least once)."""
    assert schedule.hour and schedule.minute
    return {
        day
        for day in (start + timedelta(days=n) for n in range(days))
        if day.day in schedule.day_of_month
        and day.month in schedule.month_of_year
        and day.isoweekday() % 7 in schedule.day_of_week
    }


def test_backups_weekly_and_on_30_june_the_drill_monthly():
    weekly = _due_days(_entry("maintenance.backup", ["weekly"]), date(2027, 6, 1), 30)
    assert weekly == {date(2027, 6, d) for d in (6, 13, 20, 27)}  # every Sunday
    year_end = _due_days(_entry("maintenance.backup", ["year_end"]), date(2027, 1, 1), 365)
    assert year_end == {date(2027, 6, 30)}
    drill = _due_days(_entry("maintenance.restore_drill"), date(2027, 1, 1), 365)
    assert len(drill) == 12 and all(d.day == 2 for d in drill)
    assert len(_due_days(_entry("maintenance.check_backups"), date(2027, 3, 1), 7)) == 7


def test_the_audit_check_and_the_anchor_nightly_the_archive_checks_nightly_and_monthly():
    week = date(2027, 3, 1)
    for task in ("maintenance.verify_audit", "maintenance.anchor_audit", "reports.archive_verify",
                 "reports.archive_ended_periods"):  # fmt: skip
        assert len(_due_days(_entry(task), week, 7)) == 7, task
    sample = _due_days(_entry("reports.archive_sample"), date(2027, 1, 1), 365)
    assert len(sample) == 12


@pytest.mark.django_db(transaction=True)
def test_the_beat_tasks_do_their_job(world):
    """The year-end entry's task writes a year-end backup on both media; the anchor task
    anchors every chain; the drill task records a passed drill."""
    maintenance_tasks.run_backup.apply(args=["year_end"]).get()
    run = BackupRun.objects.get()
    assert run.kind == BackupRun.Kind.YEAR_END and run.status == BackupRun.Status.OK
    assert [Path(d).name.endswith("-year_end") for d in run.destinations] == [True, True]
    with transaction.atomic():
        audit.record(actor=world.admin, action="account.test", obj=world.school)
    maintenance_tasks.anchor_audit.apply().get()
    assert world.school.pk in {e["school"] for e in anchors.read()[0]}
    maintenance_tasks.restore_drill.apply().get()
    from maintenance.models import RestoreDrill

    assert RestoreDrill.objects.get().status == RestoreDrill.Status.OK


def test_retention_terms_are_configurable(world, settings):
    period = world.year.periods.order_by("start").first()
    end = period.year.end
    assert archive.retain_until("class_journal", period) == end.replace(year=end.year + 5)
    assert archive.retain_until("summary_marks", period) == end.replace(year=end.year + 25)
    settings.ARCHIVE_RETENTION_YEARS = {"class_journal": 7, "summary_marks": 50}
    assert archive.retain_until("class_journal", period) == end.replace(year=end.year + 7)
    assert archive.retain_until("summary_marks", period) == end.replace(year=end.year + 50)
