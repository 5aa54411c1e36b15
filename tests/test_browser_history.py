"""Browser: the deputy reaches the history of a mark, an attendance entry and a period
mark from the grid's cells, and the history of a lesson from its page, all from the home
page by the labels she sees («Журналы школы», the class, the journal); the class teacher
and the administrator read who opened a pupil's card (docs/ARCHIVE.md, issue 17, point 6)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from accounts import services as account_services
from journal.models import StudyPeriod
from journal.services import entries, period_marks

from . import factories as F
from .axe import assert_accessible

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HELD = date(2026, 11, 19)  # the day before the school day: a lesson already held


def _menu(page):
    return page.get_by_role("navigation").first


@pytest.fixture
def recorded(world):
    w = world
    lesson = F.LessonFactory(assignment=w.assignment, date=HELD, bell=w.lessons[0].bell)
    work = F.AssessmentFactory(lesson=lesson, work_type=w.work_type)
    absent = F.EnrollmentFactory(school_class=w.klass, pupil=F.UserFactory(school=w.school, last_name="Ястребов")).pupil
    entries.set_mark(w.teacher, assessment_id=work.pk, pupil_id=w.pupil.pk, value="5")
    entries.set_mark(w.teacher, assessment_id=work.pk, pupil_id=w.pupil.pk, value="4", reason="описка")
    entries.set_attendance(w.teacher, lesson_id=lesson.pk, pupil_id=absent.pk, code="н")
    entries.set_attendance(w.teacher, lesson_id=lesson.pk, pupil_id=absent.pk, code="оп", reason="опоздал на 10 минут")
    period = StudyPeriod.objects.get(year=w.year, scheme=w.klass.period_scheme, start__lte=HELD, end__gte=HELD)
    first, _last = period_marks.window(period)
    in_window = datetime.combine(first, datetime.min.time().replace(hour=12), tzinfo=ZoneInfo("Europe/Moscow"))
    for value in ("3", "4"):
        period_marks.set_period_mark(
            w.teacher, assignment_id=w.assignment.pk, pupil_id=w.pupil.pk, period_id=period.pk, value=value,
            now=in_window,
        )  # fmt: skip
    return lesson, work, absent


def _open_grid(page, live_server):
    page.goto(f"{live_server.url}/")
    _menu(page).get_by_role("link", name="Журналы школы").click()
    page.get_by_role("link", name="5А класс").click()
    page.get_by_role("link", name="5А · Математика").click()
    page.wait_for_selector("table.register")


def test_the_deputy_opens_histories_from_the_grid_and_the_lesson(world, recorded, login_page, live_server):
    lesson, work, absent = recorded
    page = login_page(world.deputy)
    _open_grid(page, live_server)

    # a mark: who, when, old → new, why
    page.locator(f'td[data-cell="{world.pupil.pk}-{lesson.pk}"] span.m').click()
    page.wait_for_url(f"**/journal/history/mark/{work.pk}/{world.pupil.pk}/")
    expect(page.get_by_role("heading", name="История отметки")).to_be_visible()
    rows = page.locator("tr.history-entry")
    expect(rows).to_have_count(2)
    second = rows.nth(1).inner_text()
    assert "отметка исправлена" in second and "описка" in second and world.teacher.full_name in second
    assert rows.nth(1).locator("td.old").inner_text() == "5" and rows.nth(1).locator("td.new").inner_text() == "4"
    assert_accessible(page)

    # an attendance entry, from its cell
    page.go_back()
    page.locator(f'td[data-cell="{absent.pk}-{lesson.pk}"]').click()
    page.wait_for_url(f"**/journal/history/attendance/{lesson.pk}/{absent.pk}/")
    expect(page.get_by_role("heading", name="История посещаемости")).to_be_visible()
    rows = page.locator("tr.history-entry")
    expect(rows).to_have_count(2)
    assert "опоздал на 10 минут" in rows.nth(1).inner_text()

    # a period mark, from its cell in the panel
    page.go_back()
    page.locator(f'tr[data-p="{world.pupil.pk}"] td.pm[data-kind="period"]').click()
    page.wait_for_url("**/journal/history/period-mark/*/")
    expect(page.get_by_role("heading", name="История итоговой отметки")).to_be_visible()
    rows = page.locator("tr.history-entry")
    expect(rows).to_have_count(2)
    assert rows.nth(1).locator("td.old").inner_text() == "3" and rows.nth(1).locator("td.new").inner_text() == "4"

    # the lesson: from the grid's column head to its page, then «История урока»
    page.go_back()
    page.get_by_role("columnheader").get_by_role("link", name="19.11", exact=True).click()
    page.get_by_role("link", name="История урока").click()
    expect(page.get_by_role("heading", name="История урока")).to_be_visible()
    rows = page.locator("tr.history-entry")
    expect(rows).to_have_count(4)  # two mark events, two attendance events (the factory's work is not audited)
    text = page.locator("table.history").inner_text()
    assert "описка" in text and "опоздал на 10 минут" in text
    assert_accessible(page)


def test_the_director_reads_a_marks_history_from_the_grid(world, recorded, login_page, live_server):
    lesson, work, _absent = recorded
    page = login_page(world.director)
    _open_grid(page, live_server)
    page.locator(f'td[data-cell="{world.pupil.pk}-{lesson.pk}"] span.m').click()
    page.wait_for_url(f"**/journal/history/mark/{work.pk}/{world.pupil.pk}/")
    expect(page.locator("tr.history-entry")).to_have_count(2)


def test_the_class_teacher_and_the_admin_read_who_opened_a_pupils_card(world, login_page):
    account_services.log_card_view(world.deputy, world.pupil)
    page = login_page(world.class_teacher)
    _menu(page).get_by_role("link", name="Мой класс").click()
    page.get_by_role("link", name="Ученики, родители, реквизиты").click()
    page.get_by_role("link", name=world.pupil.full_name).first.click()
    page.get_by_role("link", name="Кто открывал карточку").click()
    views = page.locator("tr.card-view")
    expect(views).to_have_count(2)  # the deputy's view, and her own just now (newest first)
    assert world.class_teacher.full_name in views.nth(0).inner_text()
    assert world.deputy.full_name in views.nth(1).inner_text()
    assert_accessible(page)

    admin = login_page(world.admin)
    _menu(admin).get_by_role("link", name="Контингент").click()
    admin.get_by_role("link", name="5А", exact=True).click()
    admin.get_by_role("link", name=f"Кто открывал карточку: {world.pupil.full_name}").click()
    expect(admin.locator("tr.card-view")).to_have_count(2)
