from django.core.management.base import BaseCommand, CommandError

from maintenance.pg import MaintenanceError
from maintenance.restore import restore


class Command(BaseCommand):
    help = (
        "Verify a backup directory against its manifest and restore it into an empty database "
        "(--into: a libpq DSN or postgres:// URL of a role that may create the tables, e.g. the owner)."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup directory (…/ejournal-YYYYMMDD-HHMMSS-kind)")
        parser.add_argument("--into", required=True, help="DSN of the empty target database")
        parser.add_argument("--media-into", help="unpack the archive files here (e.g. the new MEDIA_ROOT)")
        parser.add_argument("--no-grant", action="store_true", help="do not grant the runtime role its privileges")

    def handle(self, *args, backup, into, media_into=None, no_grant=False, **options):
        try:
            manifest = restore(backup, into, media_into=media_into, grant=not no_grant)
        except MaintenanceError as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"restored {manifest['name']}: {len(manifest['tables'])} tables, {rows} rows")
