"""One teacher types fast: 30 saves of one lesson in flight at once, through the cell view.

A lesson with no graded work yet, so the first marks create its default work while
attendance is saved beside them (new cells and changed ones) and a mark of a pupil is
corrected. Real concurrent transactions: 30 threads, each with its own database
connection and the teacher's session, released together by a barrier. Repeated for
several lessons, as a teacher fills one lesson after another. Every save must land
(200 and a cell), be audited once, and the school's chain must verify in order.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent
from journal.models import Assessment, Attendance, Lesson, Mark

from . import factories as F

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.django_db(transaction=True)]

ROUNDS = 5
PUPILS = 30


@pytest.fixture
def crowd(world):
    """5А with 30 pupils (the world's Иванова and 29 more)."""
    pupils = [world.pupil] + [F.EnrollmentFactory(school_class=world.klass).pupil for _ in range(PUPILS - 1)]
    return pupils


def fire(session_cookie, posts):
    """POST every (url, data) at once from its own thread; returns [(status, body)]."""
    barrier = threading.Barrier(len(posts))
    results = [None] * len(posts)

    def worker(i, url, data):
        client = Client()
        client.cookies["sessionid"] = session_cookie
        try:
            barrier.wait(timeout=20)
            resp = client.post(url, data)
            results[i] = (resp.status_code, resp.content.decode())
        except Exception as e:  # noqa: BLE001 — reported by the assertion below
            results[i] = ("exception", repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, u, d)) for i, (u, d) in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_thirty_saves_of_one_lesson_at_once_all_land(world, crowd, client):
    client.force_login(world.teacher)
    client.get(reverse("home"))  # the session's first request passes the gates
    cookie = client.cookies["sessionid"].value
    bell = world.lessons[0].bell
    today = timezone.localdate()
    for round_no in range(ROUNDS):
        lesson = F.LessonFactory(assignment=world.assignment, date=today - timedelta(days=round_no), bell=bell)
        url = reverse("journal:cell", kwargs={"pk": lesson.pk})
        # six pupils were marked present-late before: their attendance is changed now
        changed = crowd[24:30]
        for p in changed:
            F.AttendanceFactory(lesson=lesson, pupil=p, code="оп")
        events_before = AuditEvent.objects.count()
        posts = []
        for p in crowd[:14]:  # first marks, no work yet: the first of them creates it
            posts.append((url, {"k": "m", "p": p.pk, "v": 0, "value": "5", "s": ""}))
        for p in crowd[14:24]:  # new absences
            posts.append((url, {"k": "a", "p": p.pk, "v": 0, "value": "н"}))
        for p in changed:  # «оп» becomes «б»
            posts.append((url, {"k": "a", "p": p.pk, "v": 1, "value": "б"}))
        assert len(posts) == 30

        results = fire(cookie, posts)

        failed = [(i, r) for i, r in enumerate(results) if r is None or r[0] != 200]
        assert not failed, f"round {round_no}: {failed}"
        assert all("<td" in body and ' class="saved' in body or "saved" in body for _, body in results)
        lesson = Lesson.objects.get(pk=lesson.pk)
        (work,) = Assessment.objects.filter(lesson=lesson)  # one default work, however many raced to create it
        assert dict(Mark.objects.filter(assessment=work).values_list("pupil_id", "value")) == {
            p.pk: "5" for p in crowd[:14]
        }
        att = dict(Attendance.objects.filter(lesson=lesson).values_list("pupil_id", "code"))
        assert att == {**{p.pk: "н" for p in crowd[14:24]}, **{p.pk: "б" for p in changed}}
        new = AuditEvent.objects.filter(pk__gt=0).order_by("id")[events_before:]
        actions = sorted(e.action for e in new)
        assert actions == sorted(
            ["assessment.create"] + ["mark.create"] * 14 + ["attendance.create"] * 10 + ["attendance.update"] * 6
        )
    # the school's chain is whole and in order
    assert audit.verify_chain(world.school.pk) == []
    ids = list(AuditEvent.objects.filter(school=world.school).order_by("id").values_list("prev_hash", "hash"))
    for (_, prev), (link, _) in zip(ids, ids[1:], strict=False):
        assert link == prev


def test_a_row_lock_before_the_chain_lock_is_caught(world):
    """The order rule is checked: a transaction that locks a row, then records, fails in tests."""
    from django.db import transaction

    lesson = world.lessons[0]
    with pytest.raises(audit.LockOrderError), transaction.atomic():
        Lesson.objects.select_for_update().get(pk=lesson.pk)
        audit.record(actor=world.teacher, action="lesson.test", obj=lesson, school=world.school)
    # in the right order it records, once
    with audit.chain(world.school.pk):
        Lesson.objects.select_for_update().get(pk=lesson.pk)
        audit.record(actor=world.teacher, action="lesson.test", obj=lesson, school=world.school)
    assert AuditEvent.objects.filter(action="lesson.test").count() == 1
