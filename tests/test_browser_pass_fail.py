"""Real Chromium: in a pass/fail subject the teacher types «+» and «-» into mark cells."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from journal.models import Mark, Subject

from . import factories as F

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pass_fail_lesson(world, settings):
    # The server's clock is moved, the browser's is not: keep the session cookie valid for it.
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 365 * 30
    subject = F.SubjectFactory(school=world.school, name="Физическая культура", assessment=Subject.Assessment.PASS_FAIL)
    assignment = F.AssignmentFactory(school_class=world.klass, subject=subject, teacher=world.teacher)
    lesson = F.LessonFactory(assignment=assignment, date=date(2026, 11, 19), bell=world.lessons[0].bell)
    kuznetsov = F.EnrollmentFactory(
        school_class=world.klass, pupil=F.UserFactory(school=world.school, last_name="Кузнецов", first_name="Иван")
    ).pupil
    return lesson, [world.pupil, kuznetsov]  # the grid's row order


def test_plus_and_minus_give_pass_and_fail(world, login_page, live_server, pass_fail_lesson):
    lesson, (ivanova, kuznetsov) = pass_fail_lesson
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True):
        page = login_page(world.teacher)
        page.goto(f"{live_server.url}/journal/a/{lesson.assignment_id}/")
        assert "+ — зачёт, - — незачёт" in page.locator("details.help").text_content()
        # the grid opens on the latest lesson held (yesterday's), first pupil; after a mark it moves down
        assert page.evaluate("document.activeElement.dataset.cell") == f"{ivanova.pk}-{lesson.pk}"
        page.keyboard.type("+")
        page.keyboard.type("-")
        page.wait_for_function(
            "() => document.querySelectorAll('table.register td.saved').length >= 2 && "
            "!document.querySelector('table.register td.saving')"
        )
        page.reload()
        cells = [
            page.locator(f"table.register td[data-cell='{p.pk}-{lesson.pk}']").inner_text().strip()
            for p in (ivanova, kuznetsov)
        ]
    assert cells == ["зач", "незач"]
    assert dict(Mark.objects.filter(assessment__lesson=lesson).values_list("pupil_id", "value")) == {
        ivanova.pk: "зач",
        kuznetsov.pk: "незач",
    }
