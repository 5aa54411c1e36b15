from django.core.management.base import BaseCommand, CommandError

from demo.logins import demo_accounts
from demo.seeding import DEMO_PASSWORD

LABELS = {
    "admin": "администратор ЭЖ",
    "director": "директор",
    "deputy": "заместитель директора",
    "class_teacher": "классный руководитель",
    "teacher": "учитель",
    "parent": "родитель",
    "student": "ученик",
}


class Command(BaseCommand):
    help = "Печатает по одному демо-входу на роль: роль, логин, пароль."

    def handle(self, *args, **options):
        accounts = demo_accounts()
        if not accounts:
            raise CommandError("Демонстрационных данных нет: выполните manage.py seed_demo.")
        width = max(len(u.username) for _, u in accounts)
        for role, user in accounts:
            self.stdout.write(
                f"{role:<14} {user.username:<{width}}  {DEMO_PASSWORD}   # {LABELS[role]}: {user.full_name}"
            )
