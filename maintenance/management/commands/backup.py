from django.core.management.base import BaseCommand, CommandError

from maintenance.backup import make_backup
from maintenance.models import BackupRun
from maintenance.pg import MaintenanceError


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format, as the owner role) and the archive files, with a "
        "manifest of SHA-256 sums, to every directory of BACKUP_DIRS (or --dest, given twice or more)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dest", action="append", help="a destination directory (repeat for each medium)")
        parser.add_argument("--kind", choices=BackupRun.Kind.values, default=BackupRun.Kind.MANUAL)

    def handle(self, *args, dest=None, kind=None, **options):
        try:
            run = make_backup(kind, dirs=dest)
        except MaintenanceError as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        self.stdout.write(f"backup {run.name}: {run.size} bytes, written to " + ", ".join(run.destinations))
