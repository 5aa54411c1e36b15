from django.core.management.base import BaseCommand, CommandError

from accounts import anchors
from accounts.audit import verify_chain
from accounts.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Recompute the keyed hash chain of the audit trail (every school, or --school ID), check it "
        "against the signed anchors outside the database, and name the first broken link."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", type=int, help="check only this school's chain")

    def handle(self, *args, school=None, **options):
        if school is None:
            problems = verify_chain(all_schools=True)
            count = AuditEvent.objects.count()
        else:
            problems = verify_chain(school)
            count = AuditEvent.objects.filter(school_id=school).count()
        anchor_problems = [p for p in anchors.check() if school is None or p[0] in (school, None)]
        for school_id, event_id, why in problems:
            self.stderr.write(f"school {school_id}: chain broken at audit event #{event_id}: {why}")
        for school_id, event_id, why in anchor_problems:
            where = f" at audit event #{event_id}" if event_id else ""
            self.stderr.write(f"school {school_id}: anchor check failed{where}: {why}")
        if problems or anchor_problems:
            raise CommandError(
                f"audit trail damaged in {len(problems)} chain(s); {len(anchor_problems)} anchor problem(s)"
            )
        self.stdout.write(f"audit trail intact: {count} events verified")
