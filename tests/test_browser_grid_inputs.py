"""Real Chromium: a field of the lesson page owns its keys and clicks (the marks table's
key handler next to it takes none). Typing «нет тетради» into pupil 5's comment, on a
Russian keyboard, is a comment: nobody is marked absent, and the comment saves."""

import pytest

from journal.models import Attendance, LessonComment

from . import factories as F

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def type_on_russian_keyboard(page, text):
    """Key by key, as a Russian layout sends them: keydown with the Cyrillic key, then the text."""
    cdp = page.context.new_cdp_session(page)
    for ch in text:
        cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": ch, "text": ch, "unmodifiedText": ch})
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": ch})
    cdp.detach()


def test_a_comment_typed_in_the_grid_is_a_comment_not_attendance(world, login_page, live_server, school_day):
    for lesson in world.lessons:
        lesson.delete()
    lesson = F.LessonFactory(assignment=world.assignment, date=school_day, bell=F.BellFactory(school=world.school))
    for name in ("Борисов", "Васильев", "Гусев", "Дронов"):  # with Иванова: 5 pupils, Иванова the 5th
        F.EnrollmentFactory(school_class=world.klass, pupil=F.UserFactory(school=world.school, last_name=name))
    page = login_page(world.teacher)
    page.goto(f"{live_server.url}/")
    page.get_by_role("row", name="Математика").get_by_role("link", name="5А").first.click()
    page.get_by_role("link", name="Открыть урок 20.11").click()
    field = page.get_by_role("textbox", name=f"Комментарий {world.pupil.short_name}")
    # Иванова is the 5th pupil of the list
    assert (
        page.locator("table.pupils-table tbody tr").nth(4).locator("input[name^=comment_]").get_attribute("name")
        == f"comment_{world.pupil.pk}"
    )
    field.click()
    type_on_russian_keyboard(page, "нет тетради")
    # the click stays in the field, the keys are the field's
    assert page.evaluate("document.activeElement.name") == f"comment_{world.pupil.pk}"
    assert field.input_value() == "нет тетради"
    page.get_by_role("button", name="Сохранить комментарии и задания").click()
    page.wait_for_selector("#notes-status:has-text('Комментарии и индивидуальные задания сохранены.')")

    assert not Attendance.objects.filter(lesson=lesson).exists()
    assert LessonComment.objects.get(lesson=lesson, pupil=world.pupil).text == "нет тетради"
    assert field.input_value() == "нет тетради"
    assert page.get_by_role("combobox", name=f"Посещаемость {world.pupil.short_name}").input_value() == ""
