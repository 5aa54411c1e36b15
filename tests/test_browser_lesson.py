"""Real Chromium: the lesson page's forms, each posting to its own URL (through htmx,
without a page reload), save the topic, the homework and the pupils' comments and
individual homework from the page itself."""

import pytest
from django.utils import timezone

from journal.models import Homework, IndividualHomework, LessonComment

from . import factories as F

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_saves_topic_homework_and_pupil_notes_on_the_lesson_page(world, login_page, live_server):
    lesson = F.LessonFactory(assignment=world.assignment, date=timezone.localdate(), bell=world.lessons[0].bell)
    page = login_page(world.teacher)
    page.goto(f"{live_server.url}/journal/lesson/{lesson.pk}/")

    page.fill(".lesson-topic input[name=topic]", "Сложение дробей")
    page.get_by_role("button", name="Сохранить тему").click()
    page.wait_for_selector(".lesson-topic .said:has-text('Тема сохранена.')")

    page.fill(".lesson-homework textarea[name=text]", "§ 12, № 1–5")
    page.get_by_role("button", name="Сохранить задание").click()
    page.wait_for_selector(".lesson-homework .said:has-text('Домашнее задание сохранено.')")

    page.fill(f"input[name=comment_{world.pupil.pk}]", "Отлично отвечал у доски")
    page.fill(f"input[name=homework_{world.pupil.pk}]", "Карточка № 3")
    page.get_by_role("button", name="Сохранить комментарии и задания").click()
    page.wait_for_selector("#notes-status:has-text('Комментарии и индивидуальные задания сохранены.')")
    assert page.input_value(f"input[name=comment_{world.pupil.pk}]") == "Отлично отвечал у доски"

    lesson.refresh_from_db()
    assert lesson.topic == "Сложение дробей"
    assert Homework.objects.get(lesson=lesson).text == "§ 12, № 1–5"
    assert LessonComment.objects.get(lesson=lesson, pupil=world.pupil).text == "Отлично отвечал у доски"
    assert IndividualHomework.objects.get(lesson=lesson, pupil=world.pupil).text == "Карточка № 3"
