"""Browser: the deputy opens a mark's history from the grid (docs/ARCHIVE.md)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journal.services import entries

from . import factories as F

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_deputy_opens_a_marks_history_from_the_grid(world, login_page, live_server):
    # yesterday's: on the real clock today's first lesson may not have begun (marks wait for its start)
    day = timezone.localdate() - timedelta(days=1)
    lesson = F.LessonFactory(assignment=world.assignment, date=day, bell=world.lessons[0].bell)
    work = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    entries.set_mark(world.teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value="5")
    entries.set_mark(world.teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value="4", reason="описка")

    page = login_page(world.deputy)
    page.goto(f"{live_server.url}/journal/a/{world.assignment.pk}/")
    # the register: one cell per lesson; a click on the mark opens its history
    page.locator(f'td[data-cell="{world.pupil.pk}-{lesson.pk}"] span.m').click()
    page.wait_for_url(f"**/journal/history/mark/{work.pk}/{world.pupil.pk}/")
    rows = page.locator("tr.history-entry")
    assert rows.count() == 2
    second = rows.nth(1).inner_text()
    assert "5" in second and "4" in second and "описка" in second and "Соколов" in second
