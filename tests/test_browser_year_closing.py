"""Real Chromium: the director closes the school year (docs/DESIGN.md §3.25). From the home
page she opens «Закрытие учебного года», sees an unfilled lesson among the blockers with
the link to it, closes the year with an override reason; the teacher's journal then opens
read-only; the director reopens the year with a reason."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import AuditEvent
from journal.models import AcademicYear

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERRIDE = "По приказу № 45 от 10.06.2027: урок перенесён"


@pytest.fixture
def june():
    with time_machine.travel(datetime(2027, 6, 10, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True):
        yield


def open_year_end_from_home(page, live_server):
    page.goto(f"{live_server.url}/")
    page.locator("section.year-end").get_by_role("link", name="Закрытие учебного года").click()
    page.wait_for_selector("h1:has-text('Закрытие учебного года')")


def test_the_director_closes_the_year_with_an_override_and_reopens_it(world, login_page, live_server, june):
    director = login_page(world.director)
    open_year_end_from_home(director, live_server)
    assert "Мешает закрытию" in director.locator("p.check-failed").inner_text()
    assert_accessible(director)
    blocker = director.locator("section.blockers-unfilled tr.blocker", has_text="Соколов")
    assert blocker.count() == 1
    link = blocker.get_by_role("link", name="урок 09.11.2026")
    assert link.get_attribute("href") == f"/journal/lesson/{world.lessons[0].pk}/"

    # The link leads to the lesson to fill; back on the check the year is closed anyway.
    link.click()
    director.wait_for_url(f"**/journal/lesson/{world.lessons[0].pk}/")
    director.go_back()
    # without a reason the page says why and closes nothing
    director.get_by_role("button", name="Закрыть год").click()
    assert "нельзя закрыть" in director.locator("form .errorlist, ul.errorlist").first.inner_text()
    director.get_by_label("Причина закрытия без исправления").fill(OVERRIDE)
    director.get_by_role("button", name="Закрыть год").click()
    director.wait_for_selector("li.msg:has-text('Учебный год 2026/2027 закрыт')")
    assert director.locator("strong.year-closed").is_visible()
    assert AcademicYear.objects.get(pk=world.year.pk).is_closed
    assert AuditEvent.objects.get(action="year.close").reason == OVERRIDE

    # The teacher's journal of the closed year opens read-only.
    teacher = login_page(world.teacher)
    teacher.goto(f"{live_server.url}/")
    teacher.locator("nav.mainnav").get_by_role("link", name="Мои журналы").click()
    teacher.get_by_role("link", name="5А · Математика").click()
    teacher.wait_for_selector("table.register")
    assert teacher.locator(".year-closed-note").inner_text() == "учебный год закрыт"
    assert teacher.locator(".ro-note").is_visible()

    # The director reopens it, with the reason recorded.
    director.get_by_label("Причина переоткрытия").fill("Исправление годовой отметки, приказ № 47")
    director.get_by_role("button", name="Переоткрыть год").click()
    director.wait_for_selector("li.msg:has-text('переоткрыт')")
    assert not AcademicYear.objects.get(pk=world.year.pk).is_closed
    assert AuditEvent.objects.get(action="year.reopen").reason == "Исправление годовой отметки, приказ № 47"
    teacher.reload()
    teacher.wait_for_selector("table.register")
    assert teacher.locator(".year-closed-note").count() == 0
