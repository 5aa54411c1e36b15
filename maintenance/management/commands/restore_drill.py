from django.core.management.base import BaseCommand, CommandError

from maintenance.restore import restore_drill


class Command(BaseCommand):
    help = (
        "Restore the newest backup (or the given one) into a scratch database, compare row counts with the "
        "manifest, verify the audit chain, record the result and drop the scratch database."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", nargs="?", help="a backup directory (default: the newest in BACKUP_DIRS)")

    def handle(self, *args, backup=None, **options):
        drill = restore_drill(backup)
        if drill.status != drill.Status.OK:
            raise CommandError(f"restore drill of {drill.backup_name or '?'} failed: {drill.error}")
        self.stdout.write(
            f"restore drill of {drill.backup_name}: {drill.tables} tables, {drill.rows} rows, "
            f"{drill.audit_events} audit events verified"
        )
