"""Deadline control end to end: the real beat entries on a real Celery worker over Redis;
and the journal without Redis (broker and cache down): marks are saved, diaries open."""

import json
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from ejournal.celery import app as celery_app
from journal.models import Mark, Notification, Violation

from . import factories as F
from .child_env import child_env

ROOT = Path(__file__).resolve().parent.parent
DEADLINE_ENTRIES = ("journal-deadlines-daytime", "journal-deadlines-morning")


def test_every_beat_entry_names_a_registered_task():
    celery_app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, name


@pytest.mark.celery_worker
def test_beat_entries_on_a_worker_open_a_violation_and_email_the_teacher(
    worker_thread, transactional_db, world, school_day
):
    """Beat stamps the run with the clock, so the clock is pinned (`school_day`: 20.11.2026
    12:00, ticking, seen by the worker thread too): the year is open and the lessons of
    9–11 November are past their cut-off and past the 7-day lock, whatever the real date."""
    world.teacher.email = "sokolov@school1.example"
    world.teacher.save(update_fields=["email"])
    # 9–11 November: topics and attendance never entered, the cut-off long past.
    with worker_thread():
        for name in DEADLINE_ENTRIES:
            entry = settings.CELERY_BEAT_SCHEDULE[name]
            # exactly what beat does when the entry is due: send the task by name
            celery_app.send_task(entry["task"], args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
            mail.outbox and Violation.objects.filter(kind=Violation.Kind.LESSON_LOCKED).exists()
        ):
            time.sleep(0.2)

    unfilled = Violation.objects.filter(lesson__in=world.lessons, kind=Violation.Kind.LESSON_UNFILLED)
    assert unfilled.count() == 3 and all(v.responsible == world.teacher for v in unfilled)
    assert Violation.objects.filter(lesson=world.lessons[0], kind=Violation.Kind.LESSON_LOCKED).exists()
    assert not Violation.objects.filter(school=world.foreign_school, responsible=world.teacher).exists()
    # one notice per run that found something new (daytime, morning), each e-mailed once
    notices = Notification.objects.filter(user=world.teacher)
    letters = [m for m in mail.outbox if m.to == [world.teacher.email]]
    assert sorted(m.subject for m in letters) == sorted(n.title for n in notices)
    assert notices.filter(emailed_at__isnull=True).count() == 0
    assert any("09.11.2026" in m.body and "5А" in m.body for m in letters)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WITHOUT_REDIS = """
import json, sys
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
from accounts.models import User
a = json.loads(sys.argv[1])
teacher, parent = Client(), Client()
teacher.force_login(User.objects.get(pk=a["teacher"]))
saved = teacher.post(
    f"/journal/lesson/{a['lesson']}/cell/",
    {"k": "m", "p": a["pupil"], "v": "0", "value": "5", "s": a["slot"]},
    headers={"HX-Request": "true"},
)
parent.force_login(User.objects.get(pk=a["parent"]))
diary = parent.get(f"/diary/pupil/{a['pupil']}/?date={a['day']}")
print(json.dumps({"cell": saved.status_code, "diary": diary.status_code, "page": diary.content.decode()}))
"""


def test_without_redis_a_teacher_saves_a_mark_and_a_parent_opens_the_diary(transactional_db, world):
    # Yesterday's lesson: the child runs on the real clock, and today's first lesson may not have begun.
    day = timezone.localdate() - timedelta(days=1)
    lesson = F.LessonFactory(assignment=world.assignment, date=day, bell=world.lessons[0].bell)
    slot = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    env = child_env(REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")  # nothing listens: Redis is down
    args = {
        "teacher": world.teacher.pk,
        "parent": world.parent.pk,
        "pupil": world.pupil.pk,
        "lesson": lesson.pk,
        "slot": slot.pk,
        "day": lesson.date.isoformat(),
    }
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_REDIS, json.dumps(args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["cell"] == 200
    assert Mark.objects.get(assessment=slot, pupil=world.pupil).value == "5"
    assert got["diary"] == 200
    assert "Математика" in got["page"] and ">5<" in got["page"].replace(" ", "")
