"""The monthly activity report: built by the beat task on the 1st for the past month,
once, with what each role did; the deputy and the director are e-mailed."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.core import mail

from accounts.models import DailyActivity, LoginEvent
from reports.models import MonthlyActivity
from reports.tasks import monthly_activity

MSK = ZoneInfo("Europe/Moscow")
BEAT_MOMENT = datetime(2026, 12, 1, 6, 0, tzinfo=MSK)  # crontab(minute=0, hour=6, day_of_month=1)


def _visit(user, day, diary_views=0):
    moment = datetime.combine(day, time(19, 0), tzinfo=MSK)
    DailyActivity.objects.create(
        user=user, school=user.school, day=day, requests=5, diary_views=diary_views, first_seen=moment, last_seen=moment
    )


def test_beat_entry_is_the_first_of_the_month_at_six():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-monthly-activity"]
    assert entry["task"] == monthly_activity.name
    assert entry["schedule"].is_due(datetime(2026, 11, 1, 6, 0, tzinfo=MSK)) is not None
    assert entry["schedule"].hour == {6} and entry["schedule"].day_of_month == {1}


def test_monthly_activity_for_november_built_once(world, django_capture_on_commit_callbacks):
    world.deputy.email = "zavuch@school1.example"
    world.deputy.save(update_fields=["email"])
    # November: the mother opened the diary on two days, the pupil logged in but never
    # opened it, the other mother did nothing; one login from October does not count.
    LoginEvent.objects.create(user=world.parent, school=world.school, kind=LoginEvent.Kind.LOGIN)
    LoginEvent.objects.filter(user=world.parent).update(at=datetime(2026, 11, 3, 19, 0, tzinfo=MSK))
    LoginEvent.objects.create(user=world.pupil, school=world.school, kind=LoginEvent.Kind.LOGIN)
    LoginEvent.objects.filter(user=world.pupil).update(at=datetime(2026, 11, 4, 8, 0, tzinfo=MSK))
    old = LoginEvent.objects.create(user=world.other_parent, school=world.school, kind=LoginEvent.Kind.LOGIN)
    LoginEvent.objects.filter(pk=old.pk).update(at=datetime(2026, 10, 30, 8, 0, tzinfo=MSK))
    _visit(world.parent, date(2026, 11, 3), diary_views=3)
    _visit(world.parent, date(2026, 11, 10), diary_views=1)
    _visit(world.pupil, date(2026, 11, 4))
    # the teacher filled a lesson of November with its topic, on time
    lesson = world.lessons[0]
    lesson.topic = "Натуральные числа"
    lesson.save(update_fields=["topic"])

    with time_machine.travel(BEAT_MOMENT, tick=False), django_capture_on_commit_callbacks(execute=True):
        monthly_activity.apply()  # what the worker runs when beat sends the entry
        monthly_activity.apply()  # a second run (retry, or beat restarted) builds nothing new

    report = MonthlyActivity.objects.get(school=world.school)
    assert MonthlyActivity.objects.filter(school=world.foreign_school).count() == 1
    assert MonthlyActivity.objects.count() == 2
    assert report.month == date(2026, 11, 1)
    data = report.data
    roles = {r["role"]: r for r in data["roles"]}
    assert roles["parent"] == {
        "role": "parent",
        "label": "Родители",
        "accounts": 2,
        "active": 1,
        "logins": 1,
        "active_days": 2,
    }
    assert roles["student"]["accounts"] == 2 and roles["student"]["active"] == 1 and roles["student"]["logins"] == 1
    assert data["diary"]["parent"] == {"total": 2, "opened": 1, "percent": "50.0"}
    assert data["diary"]["student"] == {"total": 2, "opened": 0, "percent": "0.0"}
    sokolov = next(t for t in data["teachers"] if t["id"] == world.teacher.pk)
    assert (sokolov["lessons"], sokolov["filled_on_time"], sokolov["not_filled"]) == (3, 1, 2)

    letters = [m for m in mail.outbox if "zavuch@school1.example" in m.to]
    assert len(letters) == 1 and "11.2026" in letters[0].subject
