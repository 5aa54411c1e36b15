from django.core.management.base import BaseCommand, CommandError

from accounts.audit import verify_chain
from accounts.models import AuditEvent


class Command(BaseCommand):
    help = "Recompute the hash chain of the audit trail (every school, or --school ID) and name the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("--school", type=int, help="check only this school's chain")

    def handle(self, *args, school=None, **options):
        if school is None:
            problems = verify_chain(all_schools=True)
            count = AuditEvent.objects.count()
        else:
            problems = verify_chain(school)
            count = AuditEvent.objects.filter(school_id=school).count()
        if problems:
            for school_id, event_id, why in problems:
                self.stderr.write(f"school {school_id}: chain broken at audit event #{event_id}: {why}")
            raise CommandError(f"audit trail damaged in {len(problems)} chain(s)")
        self.stdout.write(f"audit trail intact: {count} events verified")
