import time
from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import School
from demo import seeding as demo


class Command(BaseCommand):
    help = "Заполняет базу демонстрационной школой (детерминированно для --seed и --today)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(demo.SIZES), default="school")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD; по умолчанию сегодня")
        parser.add_argument("--if-empty", action="store_true", help="ничего не делать, если школа уже есть")

    def handle(self, *args, size, seed: int, today, if_empty, verbosity, **options):
        if School.objects.exists():
            if if_empty:
                if verbosity >= 2:
                    self.stdout.write("Школа уже есть — демонстрационные данные не загружаются.")
                return
            names = list(School.objects.order_by("id").values_list("name", flat=True)[:3])
            raise CommandError(f"В базе уже есть школы ({', '.join(names)}…). Демо-данные загружаются в пустую базу.")
        started = time.monotonic()
        log = self.stdout.write if verbosity >= 1 else None
        if verbosity >= 1:
            self.stdout.write(f"Загрузка демонстрационных данных ({size}, seed {seed})…")
        # All or nothing: an interrupted first `make run` must not leave schools without
        # the permissions after_seed derives, or the next --if-empty would keep them so.
        with transaction.atomic():
            schools = demo.seed(size=size, seed=seed, today=today, log=log)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Готово: школ {len(schools)} за {time.monotonic() - started:.1f} с."))
        if verbosity >= 1 and not if_empty:  # `make run` (--if-empty) prints them after the URL
            self.stdout.write("Демо-входы (роль, логин, пароль):")
            call_command("demo_logins", stdout=self.stdout)
