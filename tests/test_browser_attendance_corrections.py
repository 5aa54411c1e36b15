"""Real Chromium (issue 18, F17): the teacher corrects yesterday's attendance in the
grid — the page asks for the reason, as for a mark, and saves it with the change; the
class teacher's «Б» with its certificate is refused with her name for it."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import AuditEvent
from journal.models import Attendance
from journal.services.absences import set_reason

from . import factories as F

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def yesterday(world):
    """Yesterday's lesson of 5А mathematics with two absences entered yesterday: Иванова's
    «Н», and Кузнецов's, whose reason the class teacher has set since («Б», a certificate)."""
    for lesson in world.lessons:
        lesson.delete()  # locked by now: only yesterday's lesson in the grid
    day = timezone.localdate() - timedelta(days=1)
    lesson = F.LessonFactory(assignment=world.assignment, date=day, bell=F.BellFactory(school=world.school, number=2))
    kuznetsov = F.EnrollmentFactory(
        school_class=world.klass, pupil=F.UserFactory(school=world.school, last_name="Кузнецов", first_name="Иван")
    ).pupil
    entered = timezone.make_aware(datetime.combine(day, time(9)))
    rows = [
        Attendance.objects.create(lesson=lesson, pupil=p, code="н", created_by=world.teacher)
        for p in (world.pupil, kuznetsov)
    ]
    Attendance.objects.filter(pk__in=[a.pk for a in rows]).update(created_at=entered)
    set_reason(
        world.class_teacher,
        school_class_id=world.klass.pk,
        pupil_id=kuznetsov.pk,
        code="б",
        document="справка № 17",
        attendance_ids=[rows[1].pk],
    )
    return lesson, world.pupil, kuznetsov


def test_teacher_corrects_yesterdays_attendance_with_a_reason(world, login_page, yesterday):
    lesson, ivanova, kuznetsov = yesterday
    page = login_page(world.teacher)
    page.get_by_role("navigation").first.get_by_role("link", name="Мои журналы").click()
    page.get_by_role("table", name="Мои журналы").get_by_role("link", name="5А · Математика").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("5А · Математика")

    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept("опоздала на 10 минут, «Н» по ошибке")

    page.on("dialog", answer)
    # the register's script has opened on the first cell: keys typed before it runs are lost
    page.wait_for_function("() => document.activeElement && document.activeElement.dataset.cell")
    page.keyboard.type("op")  # Иванова: «ОП» instead of yesterday's «Н»
    page.keyboard.press("Enter")
    ivanova_cell = page.locator(f'table.grid tr[data-p="{ivanova.pk}"] td').nth(0)
    expect(ivanova_cell).to_have_class(re.compile(r"\bsaved\b"))
    assert asked and "Укажите причину исправления отметки посещаемости" in asked[0]
    att = Attendance.objects.get(lesson=lesson, pupil=ivanova)
    assert att.code == "оп"
    event = AuditEvent.objects.filter(action="attendance.update", object_id=str(att.pk)).latest("id")
    assert event.reason == "опоздала на 10 минут, «Н» по ошибке"

    # Кузнецов: the class teacher's «Б» stays; the page says whose it is.
    page.keyboard.type("n")
    page.keyboard.press("Enter")
    expect(page.locator("#grid-msg")).to_contain_text("указал классный руководитель (документ: справка № 17)")
    kept = Attendance.objects.get(lesson=lesson, pupil=kuznetsov)
    assert (kept.code, kept.reason_document) == ("б", "справка № 17")
