"""Django's `flush`, allowed past the audit table's TRUNCATE guard (migration 0007).

Wiping the whole database (test teardown, a demo reset) is the one deliberate
truncation of the trail; the flag is transaction-local, so nothing else inherits it.
"""

from django.core.management.commands import flush
from django.db import connections, transaction


class Command(flush.Command):
    def handle(self, **options):
        database = options["database"]
        with transaction.atomic(using=database):
            with connections[database].cursor() as cur:
                cur.execute("SET LOCAL ejournal.audit_truncate = 'allow'")
            return super().handle(**options)
