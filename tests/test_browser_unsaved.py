"""Real Chromium, issue 14 point 1: an answer that is not what the page asked for is a
failure, never «Сохранено». The register's cell save answered by a whole page (a login or
a proxy's page) shows «не сохранено» and is sent again; on the lesson page a session that
ends mid-lesson keeps the typed topic and comment in their fields and sends them after the
teacher signs in again in a new tab; a server error is told as «Не сохранено»."""

import pytest
from django.contrib.sessions.models import Session

from accounts.models import AuditEvent
from journal.models import Attendance, LessonComment, Mark

from . import factories as F
from .factories import PASSWORD

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A_PAGE = "<!DOCTYPE html><html><body><h1>Вход</h1><form><input name=username></form></body></html>"


@pytest.fixture
def today(world, school_day):
    """5А's only lesson: today's, at 08:00."""
    for lesson in world.lessons:
        lesson.delete()
    return F.LessonFactory(assignment=world.assignment, date=school_day, bell=F.BellFactory(school=world.school))


def watch_said(page, selector):
    """Everything the element `selector` says from now on, collected in window.said."""
    page.evaluate(
        """sel => { window.said = []; const m = document.querySelector(sel);
             new MutationObserver(() => window.said.push(m.textContent))
               .observe(m, {childList: true, characterData: true, subtree: true}); }""",
        selector,
    )


def test_a_page_instead_of_a_cell_is_not_saved_and_is_sent_again(world, login_page, live_server, today):
    page = login_page(world.teacher)
    page.goto(f"{live_server.url}/")
    page.get_by_role("row", name="Математика").get_by_role("link", name="5А").first.click()
    page.wait_for_function("() => document.activeElement && document.activeElement.dataset.cell")
    watch_said(page, "#grid-msg")
    answered = []

    def login_page_instead(route):
        answered.append(route.request.url)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=A_PAGE)

    page.route("**/journal/lesson/*/cell/", login_page_instead)
    page.keyboard.press("5")
    page.wait_for_selector("table.register td.unsaved")
    assert answered
    cell = page.locator("table.register td.unsaved").first
    assert "не сохранено" in cell.inner_text()
    assert "Вход" not in page.locator("table.register").inner_text()  # nothing of the page drawn in
    assert page.locator("#grid-msg").inner_text().startswith("Не сохранено")
    assert not Mark.objects.exists()

    page.unroute("**/journal/lesson/*/cell/")  # the server answers again: the mark is sent again
    page.wait_for_function("() => document.getElementById('grid-msg').textContent === 'Сохранено.'", timeout=15000)
    assert list(Mark.objects.values_list("pupil_id", "value")) == [(world.pupil.pk, "5")]
    said = page.evaluate("window.said")
    first_saved = next(i for i, s in enumerate(said) if s.startswith("Сохранено"))
    assert any(s.startswith("Не сохранено") for s in said[:first_saved]), said


def test_a_session_ending_on_the_lesson_page_loses_nothing(world, login_page, live_server, today):
    page = login_page(world.teacher)
    page.goto(f"{live_server.url}/")
    page.get_by_role("row", name="Математика").get_by_role("link", name="5А").first.click()
    page.get_by_role("link", name="Открыть урок 20.11").click()
    page.wait_for_selector("h1.lesson-title")
    page.get_by_role("textbox", name="Тема урока").fill("Сложение дробей")
    page.get_by_role("textbox", name=f"Комментарий {world.pupil.short_name}").fill("нет тетради")

    Session.objects.all().delete()  # the session ends (idle timeout, logged out elsewhere)
    page.get_by_role("button", name="Сохранить тему").click()
    dialog = page.get_by_role("dialog", name="Сеанс завершён")
    dialog.wait_for()
    assert "Не сохранено: сеанс завершён" in page.locator(".lesson-topic").inner_text()
    page.get_by_role("button", name="Сохранить комментарии и задания").click()
    page.wait_for_selector("#notes-status:has-text('Не сохранено: сеанс завершён')")
    # nothing claims to be saved, nothing of a login page is drawn in, the typed values stay
    assert "сохранена" not in page.locator(".lesson-topic").inner_text()
    assert page.locator("input[name=username]").count() == 0
    assert page.get_by_role("textbox", name="Тема урока").input_value() == "Сложение дробей"
    assert page.get_by_role("textbox", name=f"Комментарий {world.pupil.short_name}").input_value() == "нет тетради"
    today.refresh_from_db()
    assert today.topic == "" and not LessonComment.objects.exists()

    # she signs in again in a new tab; the lesson tab sends both forms again
    with page.context.expect_page() as tab_info:
        dialog.get_by_role("link", name="Войти снова").click()
    tab = tab_info.value
    tab.fill("input[name=username]", world.teacher.username)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.get_by_role("heading", name="Вы снова вошли").wait_for()
    page.bring_to_front()
    dialog.wait_for(state="hidden")
    page.wait_for_selector(".lesson-topic .said:has-text('Тема сохранена.')")
    page.wait_for_selector("#notes-status:has-text('Комментарии и индивидуальные задания сохранены.')")
    today.refresh_from_db()
    assert today.topic == "Сложение дробей"
    assert LessonComment.objects.get(lesson=today, pupil=world.pupil).text == "нет тетради"
    assert not Attendance.objects.filter(lesson=today).exists()
    assert set(AuditEvent.objects.filter(actor=world.teacher).values_list("action", flat=True)) == {
        "lesson.topic",
        "lesson_comment.create",
    }


def test_a_server_error_on_the_lesson_page_says_not_saved(world, login_page, live_server, today):
    page = login_page(world.teacher)
    page.goto(f"{live_server.url}/journal/lesson/{today.pk}/")
    page.get_by_role("textbox", name="Домашнее задание").fill("§ 12")
    page.route(
        "**/homework/",
        lambda route: route.fulfill(status=502, content_type="text/html", body="<html><body>Bad Gateway</body></html>"),
    )
    page.get_by_role("button", name="Сохранить задание").click()
    page.wait_for_selector(".lesson-homework .unsaved:has-text('Не сохранено: ошибка на сервере')")
    assert "Bad Gateway" not in page.inner_text("main")
    assert page.get_by_role("textbox", name="Домашнее задание").input_value() == "§ 12"
    page.unroute("**/homework/")
    page.get_by_role("button", name="Сохранить задание").click()
    page.wait_for_selector(".lesson-homework .said:has-text('Домашнее задание сохранено.')")
    assert page.locator(".lesson-homework .unsaved").count() == 0
