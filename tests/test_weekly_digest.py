"""The weekly e-mail digest of a demo parent is exactly that week's journal of the child."""

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail

from accounts.models import Guardianship
from diary import digests, services
from diary.models import EmailPreference
from journal.models import Attendance, Homework, Mark

TODAY = date(2026, 11, 20)  # the demo's records reach Thursday 19.11
MONDAY = date(2026, 11, 16)
SATURDAY = MONDAY + timedelta(days=5)


@pytest.fixture
def demo_parent(db, small_demo):
    # a parent with an e-mail whose child was marked and missed something that week
    for g in Guardianship.objects.exclude(parent__email="").select_related("parent", "child").order_by("pk"):
        week_marks = Mark.objects.filter(pupil=g.child, assessment__lesson__date__range=(MONDAY, SATURDAY))
        week_absences = Attendance.objects.filter(pupil=g.child, lesson__date__range=(MONDAY, SATURDAY))
        if week_marks.exists() and week_absences.exists() and g.parent.children_links.count() == 1:
            return g.parent, g.child
    pytest.fail("the demo school has no family with marks and absences that week")


def test_weekly_digest_is_sent_once_and_matches_the_journal(demo_parent, client):
    parent, child = demo_parent
    services.set_email_preferences(parent, weekly_digest=True, daily_marks=False)

    assert digests.send_weekly_digest(parent.pk, MONDAY.isoformat()) is True
    assert digests.send_weekly_digest(parent.pk, MONDAY.isoformat()) is False  # a beat re-run sends nothing
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == [parent.email]
    assert msg.subject == "Дневник: неделя 16.11–21.11.2026"
    body = msg.body
    assert child.full_name in body

    marks = Mark.objects.filter(pupil=child, assessment__lesson__date__range=(MONDAY, SATURDAY)).select_related(
        "assessment__work_type", "assessment__lesson__assignment__subject"
    )
    for m in marks:
        lesson = m.assessment.lesson
        assert f"{lesson.date:%d.%m}  {lesson.assignment.subject}: {m.value} ({m.assessment.work_type})" in body
    absences = Attendance.objects.filter(pupil=child, lesson__date__range=(MONDAY, SATURDAY)).select_related(
        "lesson__assignment__subject"
    )
    for a in absences:
        line = f"{a.lesson.date:%d.%m}  {a.lesson.assignment.subject}: {a.get_code_display()}"
        assert line in body
    # whole-class lessons (a subgroup's lessons are the group members' only)
    homework = Homework.objects.filter(
        lesson__assignment__school_class__enrollments__pupil=child,
        lesson__assignment__group__isnull=True,
        lesson__date__range=(MONDAY, SATURDAY),
    ).select_related("lesson__assignment__subject")
    assert homework.exists()
    for h in homework:
        assert f"{h.lesson.date:%d.%m}  {h.lesson.assignment.subject}: {h.text}" in body
    # nothing from the week before
    assert f"{MONDAY - timedelta(days=4):%d.%m}  " not in body

    # The link in the letter asks first (mail scanners open links too); one click
    # confirms, without logging in, as does the mail client's RFC 8058 one-click POST.
    unsubscribe = urlsplit(msg.extra_headers["List-Unsubscribe"].strip("<>")).path
    assert unsubscribe in body
    page = client.get(unsubscribe)
    assert page.status_code == 200 and 'class="unsubscribe-confirm"' in page.content.decode()
    assert EmailPreference.objects.get(user=parent).weekly_digest
    done = client.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Вы отписались от рассылки" in done.content.decode()
    assert not EmailPreference.objects.get(user=parent).weekly_digest
