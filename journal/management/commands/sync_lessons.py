from datetime import date

from django.core.management.base import BaseCommand, CommandError

from accounts.models import School
from journal.services import lesson_sync


class Command(BaseCommand):
    help = (
        "Bring lessons in line with the timetable (journal/services/lesson_sync.py): "
        "by default every school, to the end of the current study period (at least 14 days ahead)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", type=int, default=None, help="school id; every school by default")
        parser.add_argument("--until", type=date.fromisoformat, default=None, help="YYYY-MM-DD, the last day")
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD, for a test clock")

    def handle(self, *args, school, until, today, **options):
        if school is not None and not School.objects.filter(pk=school).exists():
            raise CommandError(f"No school with id {school}.")
        ids = [school] if school is not None else lesson_sync.school_ids()
        for pk in ids:
            r = lesson_sync.sync_school(pk, today=today, until=until)
            self.stdout.write(
                f"school {pk}: {r.start}–{r.until}: created {r.created}, moved {r.moved}, removed {r.removed}, "
                f"for the deputy {r.flagged}, closed {r.closed}"
            )
