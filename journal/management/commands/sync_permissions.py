from django.core.management.base import BaseCommand

from journal import permissions


class Command(BaseCommand):
    help = "Rebuild all django-guardian object permissions from the domain links (assignments, classes, substitutions, guardianship)."

    def handle(self, *args, **options):
        result = permissions.rebuild_all()
        for perm, (removed, added) in result.items():
            self.stdout.write(f"{perm}: removed {removed}, added {added}")
