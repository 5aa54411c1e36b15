"""`manage.py migrate` connects as the schema owner (alias `owner`) unless told otherwise.

The web, the worker and beat connect as the runtime role, which may not create or alter
tables (docs/ARCHIVE.md "Database roles"); after the migrations the runtime role gets its
privileges (maintenance.roles).
"""

from django.conf import settings
from django.core.management.commands import migrate


class Command(migrate.Command):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        if "owner" in settings.DATABASES:
            parser.set_defaults(database="owner")
