"""The demo is the same on every run: the same seed gives the same school, whatever
PYTHONHASHSEED; another seed gives another."""

import hashlib
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import Guardianship, School, User
from demo import seeding as demo
from journal.models import (
    Attendance,
    Enrollment,
    GroupMembership,
    Homework,
    Lesson,
    Mark,
    SchoolClass,
    TimetableEntry,
)

from .child_env import child_env

TODAY = date(2026, 11, 20)  # a Friday in the second quarter
ROOT = Path(__file__).resolve().parent.parent


def _rows(qs, *fields):
    return sorted(tuple("" if v is None else str(v) for v in row) for row in qs.values_list(*fields))


def fingerprint() -> str:
    """Everything a person sees of the demo, by natural keys (never database ids)."""
    lesson = ["school_class__grade", "school_class__letter", "group__name", "subject__name"]
    parts = [
        _rows(User.objects.all(), "username", "last_name", "first_name", "patronymic", "sex", "birth_date", "email",
              "phone", "is_staff"),
        _rows(SchoolClass.objects.all(), "grade", "letter", "class_teacher__username", "room__number"),
        _rows(Guardianship.objects.all(), "parent__username", "child__username", "relation"),
        _rows(Enrollment.objects.all(), "pupil__username", "school_class__grade", "school_class__letter", "start",
              "end", "start_reason", "start_order"),
        _rows(GroupMembership.objects.all(), "group__school_class__grade", "group__school_class__letter",
              "group__name", "pupil__username"),
        _rows(TimetableEntry.objects.all(), *[f"assignment__{f}" for f in lesson], "assignment__teacher__username",
              "weekday", "bell__number", "room__number"),
        _rows(Lesson.objects.all(), *[f"assignment__{f}" for f in lesson], "date", "bell__number", "topic",
              "topic_set_at"),
        _rows(Homework.objects.all(), *[f"lesson__assignment__{f}" for f in lesson], "lesson__date",
              "lesson__bell__number", "text", "created_at"),
        _rows(Mark.objects.all(), "pupil__username", "assessment__lesson__date", "assessment__lesson__bell__number",
              "assessment__lesson__assignment__subject__name", "assessment__work_type__code", "assessment__position",
              "value", "created_at"),
        _rows(Attendance.objects.all(), "pupil__username", "lesson__date", "lesson__bell__number",
              "lesson__assignment__subject__name", "code", "reason_document", "reason_set_at"),
    ]  # fmt: skip
    digest = hashlib.sha256()
    for part in parts:
        assert part, "every part of the demo has rows"
        digest.update(repr(part).encode())
    return digest.hexdigest()


def _seed_in_subprocess(hash_seed: str, seed: int = 5):
    env = child_env(PYTHONHASHSEED=hash_seed)
    args = ["manage.py", "seed_demo", "--size", "small", "--seed", str(seed), "--today", TODAY.isoformat()]
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300
    )
    return done.stdout


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_school_whatever_the_hash_seed_and_another_seed_another():
    out = _seed_in_subprocess("1")
    # it ends with one login per role: role, login, password
    logins = [line.split()[:3] for line in out.splitlines()[-7:]]
    assert [role for role, _, _ in logins] == [
        "admin", "director", "deputy", "class_teacher", "teacher", "parent", "student"
    ]  # fmt: skip
    for _, login, password in logins:
        assert User.objects.get(username=login).check_password(password)
    first = fingerprint()
    call_command("flush", interactive=False, verbosity=0)
    assert not School.objects.exists()
    _seed_in_subprocess("2")
    assert fingerprint() == first

    # Another seed, in this process (the seeding is the same code as the command's).
    call_command("flush", interactive=False, verbosity=0)
    with transaction.atomic():
        demo.seed("small", seed=6, today=TODAY)
    assert fingerprint() != first
