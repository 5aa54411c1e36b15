"""Celery tasks of maintenance: thin wrappers; each is safe to run twice (docs/DESIGN.md §5)."""

import contextlib

from celery import shared_task

from . import backup, integrity, restore
from .pg import MaintenanceError

# Under the broker's visibility_timeout (2 h, settings), or a long run would be delivered twice.
LONG = {"soft_time_limit": 5400, "time_limit": 5700}


@shared_task(name="maintenance.anchor_audit")
def anchor_audit():
    integrity.anchor_audit()


@shared_task(name="maintenance.verify_audit", soft_time_limit=1800, time_limit=1900)
def verify_audit():
    integrity.verify_audit()


@shared_task(name="maintenance.backup", **LONG)
def run_backup(kind="weekly"):
    with contextlib.suppress(MaintenanceError):  # recorded and announced by make_backup
        backup.make_backup(kind)


@shared_task(name="maintenance.check_backups")
def check_backups():
    backup.check_recent()


@shared_task(name="maintenance.restore_drill", **LONG)
def restore_drill():
    restore.restore_drill()
