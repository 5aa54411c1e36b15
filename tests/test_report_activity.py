"""The monthly user-activity report, built by the Celery beat task on the 1st of the month.

The clock is frozen (time-machine) at 01.12.2026 06:00 Moscow time, when beat sends the
entry, and the task runs without arguments, exactly as beat sends it. Activity rows are stamped with explicit times (Europe/Moscow) around the month's edges.
"""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from accounts.activity import count_diary_view, count_request
from accounts.models import LoginEvent
from ejournal.celery import app
from journal.models import Homework, Lesson, Mark
from reports import tasks
from reports.models import MonthlyActivity

from . import factories as F

MSK = ZoneInfo("Europe/Moscow")
NOVEMBER = date(2026, 11, 1)
BEAT_RUN = datetime(2026, 12, 1, 6, 0, tzinfo=ZoneInfo("Europe/Moscow"))  # the 1st at 06:00


def msk(*args):
    return datetime(*args, tzinfo=MSK)


def login(user, at, kind=LoginEvent.Kind.LOGIN):
    event = LoginEvent.objects.create(user=user, school=user.school, username=user.username, kind=kind)
    LoginEvent.objects.filter(pk=event.pk).update(at=at)  # `at` is auto_now_add


@pytest.fixture(autouse=True)
def worker_tasks():
    """Register the autodiscovered tasks, as a worker does when it starts."""
    app.loader.import_default_modules()


def run_beat():
    """What beat sends on 01.12.2026: the task its schedule entry names, run in-process."""
    entry = settings.CELERY_BEAT_SCHEDULE["reports-monthly-activity"]
    with time_machine.travel(BEAT_RUN, tick=False):
        app.tasks[entry["task"]].apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {})).get()


@pytest.fixture
def november(world):
    """Activity of the world's school around November 2026 (counted ones commented)."""
    w = world
    # Logins: Соколов twice in November, at 00:30 on the 1st and at 23:30 on the 30th (Moscow time;
    # in UTC the first is still October); not counted: a failed login, one at 00:30 on 1 December
    # (30.11 21:30 UTC) and one on 31 October.
    login(w.teacher, msk(2026, 11, 1, 0, 30))
    login(w.teacher, msk(2026, 11, 30, 23, 30))
    login(w.teacher, msk(2026, 11, 12, 8, 0), kind=LoginEvent.Kind.FAILED)
    login(w.teacher, msk(2026, 12, 1, 0, 30))
    login(w.teacher, msk(2026, 10, 31, 23, 30))
    # Parents: Иванова logs in once and opens the diary twice on one day (one active day);
    # Сидорова works in the portal on one day without opening the diary.
    login(w.parent, msk(2026, 11, 10, 19, 0))
    count_diary_view(w.parent, now=msk(2026, 11, 10, 19, 1))
    count_diary_view(w.parent, now=msk(2026, 11, 10, 19, 5))
    count_request(w.other_parent, now=msk(2026, 11, 12, 20, 0))
    # The pupil opens her diary only on 1 December (00:30 Moscow = 30.11 21:30 UTC): not November.
    count_diary_view(w.pupil, now=msk(2026, 12, 1, 0, 30))
    # The deputy works on two days.
    count_request(w.deputy, now=msk(2026, 11, 2, 9, 0))
    count_request(w.deputy, now=msk(2026, 11, 3, 9, 0))
    # The other school's deputy logs in: counted in that school's report only.
    login(w.outsider, msk(2026, 11, 5, 9, 0))

    # Соколов's lessons 9, 10, 11.11: a topic on time, a topic late, no topic.
    l9, l10, _l11 = w.lessons
    Lesson.objects.filter(pk=l9.pk).update(topic="Обыкновенные дроби")
    Lesson.objects.filter(pk=l10.pk).update(topic="Сложение дробей", topic_late=True)
    # Marks by Соколов: two in November (one late), one in December (not counted).
    for lesson, late, at in (
        (l9, False, msk(2026, 11, 9, 9, 0)),
        (l10, True, msk(2026, 11, 20, 9, 0)),
        (_l11, False, msk(2026, 12, 2, 9, 0)),
    ):
        assessment = F.AssessmentFactory(lesson=lesson, work_type=w.work_type)
        mark = F.MarkFactory(assessment=assessment, pupil=w.pupil, value="5", is_late=late)
        Mark.objects.filter(pk=mark.pk).update(created_at=at)
    hw = F.HomeworkFactory(lesson=l9)
    Homework.objects.filter(pk=hw.pk).update(created_at=msk(2026, 11, 9, 10, 0))

    w.deputy.email = "zavuch@example.ru"
    w.deputy.save(update_fields=["email"])
    return w


def test_beat_entry_runs_the_monthly_activity_task():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-monthly-activity"]
    assert entry["task"] == "reports.monthly_activity"
    assert entry["schedule"].day_of_month == {1} and entry["schedule"].hour == {6}
    assert app.tasks["reports.monthly_activity"].run is tasks.monthly_activity.run


def test_monthly_report_counts_each_role(november, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_beat()
    report = MonthlyActivity.objects.get(school=november.school)
    assert report.month == NOVEMBER
    roles = {r["role"]: (r["accounts"], r["active"], r["logins"], r["active_days"]) for r in report.data["roles"]}
    assert roles == {
        # role:          accounts, worked in the month, logins, active days
        "director": (1, 0, 0, 0),
        "deputy": (1, 1, 0, 2),  # two days of requests, no login event
        "admin": (1, 0, 0, 0),
        "teacher": (2, 1, 2, 0),  # Соколов and Волкова; Соколов's 2 November logins
        "class_teacher": (1, 0, 0, 0),  # Орлова
        "student": (2, 0, 0, 0),  # Иванова, Сидоров; her diary visit fell on 1 December
        "parent": (2, 2, 1, 2),  # both parents worked, one day each; one login
    }
    # Parents' diary share: Иванова opened it, Сидорова did not → 1 of 2 = 50,0 %; pupils 0 of 2.
    assert report.data["diary"]["parent"] == {"total": 2, "opened": 1, "percent": "50.0"}
    assert report.data["diary"]["student"] == {"total": 2, "opened": 0, "percent": "0.0"}
    teachers = {t["name"]: t for t in report.data["teachers"]}
    assert list(teachers) == ["Волкова И. П.", "Соколов А. В."]
    sokolov = teachers["Соколов А. В."]
    # Lessons 9, 10, 11.11: on time 1, late 1, empty 1; marks: 2 in November, 1 of them late; homework 1.
    assert (sokolov["lessons"], sokolov["filled_on_time"], sokolov["filled_late"], sokolov["not_filled"]) == (
        3,
        1,
        1,
        1,
    )
    assert (sokolov["marks"], sokolov["marks_late"], sokolov["homework"], sokolov["homework_late"]) == (2, 1, 1, 0)
    # The other school's report counts its own deputy and nobody of ours.
    foreign = MonthlyActivity.objects.get(school=november.foreign_school, month=NOVEMBER)
    foreign_roles = {r["role"]: (r["accounts"], r["active"], r["logins"]) for r in foreign.data["roles"]}
    assert foreign_roles["deputy"] == (1, 1, 1)
    assert foreign_roles["parent"] == (0, 0, 0)


def test_monthly_report_document_shows_the_same_figures(november, client_for):
    run_beat()
    report = MonthlyActivity.objects.get(school=november.school, month=NOVEMBER)
    url = reverse("reports:activity_detail_file", kwargs={"pk": report.pk, "fmt": "xlsx"})
    resp = client_for(november.deputy).get(url)
    assert resp.status_code == 200
    (ws,) = load_workbook(io.BytesIO(resp.content)).worksheets
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0] is not None}
    assert "Месяц: ноябрь 2026" in rows
    assert rows["Родители"][:5] == ("Родители", 2, 2, 1, 2)
    assert rows["Заместитель директора"][:5] == ("Заместитель директора", 1, 1, 0, 2)
    assert rows["Родители, открывавшие дневник"][1] == "1 из 2"
    assert rows["Доля родителей, %"][1] == 50
    assert rows["Доля учащихся, %"][1] == 0


def test_running_the_beat_task_twice_builds_the_report_once(november, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_beat()
    first = MonthlyActivity.objects.get(school=november.school, month=NOVEMBER)
    # More November activity after the report was built does not rebuild it.
    login(november.other_parent, msk(2026, 11, 25, 18, 0))
    with django_capture_on_commit_callbacks(execute=True):
        run_beat()
    # One report per school for November: ours and the other school's.
    assert MonthlyActivity.objects.filter(month=NOVEMBER).count() == 2
    assert MonthlyActivity.objects.filter(school=november.school).count() == 1
    again = MonthlyActivity.objects.get(school=november.school, month=NOVEMBER)
    assert (again.pk, again.created_at, again.data) == (first.pk, first.created_at, first.data)
    # Announced once, to the deputy (the director and the other school have no e-mail).
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["zavuch@example.ru"]
    assert "11.2026" in mailoutbox[0].subject
    assert f"/reports/activity/{first.pk}/" in mailoutbox[0].body
