"""Real Chromium on a 390×844 touch phone (issue 20, docs/DESIGN.md §1.5 "On a phone"): the
family home, the diary week, the marks page, the inbox and a thread fit the screen's
width, show diary content on the first screen, fold the menu behind «Меню», and pass
axe-core with no serious or critical violation."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from diary import services

from . import factories as F
from .axe import assert_accessible
from .factories import PASSWORD

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "locale": "ru-RU"}


@pytest.fixture
def phone(browser, live_server):
    ctx = browser.new_context(**PHONE)
    yield ctx.new_page()
    ctx.close()


def _fits(page, content):
    """No horizontal scrolling; `content` (diary content) starts on the first screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    el = page.locator(content).first
    expect(el).to_be_visible()
    box = el.bounding_box()
    top = page.evaluate("window.scrollY")
    assert box["y"] < 844 and box["y"] + top >= top, f"{content} is below the first screen"
    assert_accessible(page)


def _menu(page, label):
    page.get_by_role("button", name="Меню").tap()
    page.get_by_role("navigation").first.get_by_role("link", name=label).tap()


def test_a_parent_reads_the_diary_on_a_phone(world, phone, live_server):
    w = world
    today = timezone.localdate()
    lessons = [
        F.LessonFactory(
            assignment=w.assignment,
            date=today,
            bell=F.BellFactory(school=w.school, number=n),
            topic="" if n == 2 else f"Очень длинная тема урока про дроби и проценты номер {n}",
        )
        for n in range(1, 6)
    ]
    lesson = lessons[0]
    F.HomeworkFactory(lesson=lesson, text="Учебник, параграф 12, упражнения 1–5; выучить правило на странице 48")
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=lesson, work_type=w.work_type), pupil=w.pupil, value="5")
    thread = services.start_thread(
        w.teacher,
        pupil_id=w.pupil.pk,
        to=f"parent:{w.parent.pk}",
        subject="Контрольная работа по математике",
        body="x" * 300,
    )
    page = phone
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", w.parent.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".family-news")
    # The menu is folded: the first screen is the family's news.
    expect(page.get_by_role("navigation").first).to_be_hidden()
    _fits(page, ".family-news")

    _menu(page, "Дневник")
    page.wait_for_selector(".week")
    _fits(page, ".day.today tr.lesson")
    expect(page.locator(".day.today .unfilled")).to_be_visible()

    page.get_by_role("link", name="Отметки по предметам").tap()
    page.wait_for_selector("table.subjects")
    _fits(page, "tr.subject-row")

    _menu(page, "Сообщения")
    page.wait_for_selector("table.threads")
    _fits(page, "tr.thread-row")

    page.get_by_role("link", name=thread.subject).tap()
    page.wait_for_selector("article.message")
    _fits(page, "article.message")

    _menu(page, "Объявления")
    page.wait_for_selector("main h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    assert_accessible(page)
    _menu(page, "Дневник")
    page.wait_for_selector(".week")
    page.locator("td.subject a").first.tap()
    page.wait_for_selector(".diary-head")
    page.wait_for_selector("main h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    assert_accessible(page)
