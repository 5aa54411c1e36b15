"""The monthly activity report is not lost when beat missed the 1st: later runs make it up.

The clock is frozen at 02.01.2027 06:30 Moscow time, when beat's daily catch-up entry runs
the task (the runs of 1 December and 1 January were missed).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from ejournal.celery import app
from reports.models import MonthlyActivity

from . import factories as F

RUN = datetime(2027, 1, 2, 6, 30, tzinfo=ZoneInfo("Europe/Moscow"))
SEP, OCT, NOV, DEC = (date(2026, m, 1) for m in (9, 10, 11, 12))


@pytest.fixture(autouse=True)
def worker_tasks():
    app.loader.import_default_modules()


def run_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-monthly-activity-catch-up"]
    with time_machine.travel(RUN, tick=False):
        app.tasks[entry["task"]].apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {})).get()


def months(school):
    return sorted(MonthlyActivity.objects.filter(school=school).values_list("month", flat=True))


def test_missed_months_of_the_last_three_are_built_once(world, mailoutbox, django_capture_on_commit_callbacks):
    world.deputy.email = "zavuch@example.ru"
    world.deputy.save(update_fields=["email"])
    F.MonthlyActivityFactory(school=world.school, month=SEP)  # the last run that worked: 1 October
    F.MonthlyActivityFactory(school=world.foreign_school, month=date(2026, 6, 1))  # silent since July
    newcomer = F.SchoolFactory(name="МБОУ СОШ № 3")  # no report yet

    with django_capture_on_commit_callbacks(execute=True):
        run_beat()
    assert months(world.school) == [SEP, OCT, NOV, DEC]
    # Catching up goes back three months at most.
    assert months(world.foreign_school) == [date(2026, 6, 1), OCT, NOV, DEC]
    # A school new to the portal starts with the past month.
    assert months(newcomer) == [DEC]
    letters = [m for m in mailoutbox if m.to == ["zavuch@example.ru"]]
    assert sorted(m.subject for m in letters) == [
        "Отчёт об активности пользователей за 10.2026",
        "Отчёт об активности пользователей за 11.2026",
        "Отчёт об активности пользователей за 12.2026",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        run_beat()
    assert MonthlyActivity.objects.count() == 2 + 3 + 3 + 1
    assert len(mailoutbox) == 3  # nothing announced twice
