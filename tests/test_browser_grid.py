"""Real Chromium: a teacher fills today's lesson from the keyboard only; a parent, in a
browser of her own, sees the mark in the diary with its work type."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journal.models import Attendance, Mark

from . import factories as F

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def class_today(world):
    # Only today's lesson in this quarter's grid (the world's November lessons are locked by now).
    for lesson in world.lessons:
        lesson.delete()
    today = timezone.localdate()
    school_day = today - timedelta(days=max(0, today.weekday() - 4))  # on a weekend: Friday
    lesson = F.LessonFactory(assignment=world.assignment, date=school_day, bell=world.lessons[0].bell)
    work = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    # 5А alphabetically: Иванова М., Кузнецов И., Петров Д. (the grid's row order)
    kuznetsov = F.EnrollmentFactory(
        school_class=world.klass, pupil=F.UserFactory(school=world.school, last_name="Кузнецов", first_name="Иван")
    ).pupil
    petrov = F.EnrollmentFactory(
        school_class=world.klass, pupil=F.UserFactory(school=world.school, last_name="Петров", first_name="Дмитрий")
    ).pupil
    return lesson, work, [world.pupil, kuznetsov, petrov]


def _saved(page, expected_cells):
    # every cell sent has come back from the server as saved
    page.wait_for_function(
        "n => document.querySelectorAll('table.grid td.saved').length >= n && "
        "!document.querySelector('table.grid td.saving, table.grid td.typing')",
        arg=expected_cells,
    )


def test_teacher_fills_a_lesson_with_the_keyboard_only(world, login_page, live_server, class_today):
    lesson, work, (ivanova, kuznetsov, petrov) = class_today
    page = login_page(world.teacher)
    page.goto(f"{live_server.url}/journal/a/{world.assignment.pk}/")
    grid = page.locator("table.grid")
    grid.focus()
    kb = page.keyboard
    # Иванова: late («оп», typed in the Latin layout as o-p) and a «5»
    kb.type("op")
    kb.press("ArrowRight")
    kb.press("5")
    # Кузнецов: Enter goes down in the same column, a «4»; then Left, absent «н», Enter (saves «н»)
    kb.press("Enter")
    kb.press("4")
    kb.press("ArrowLeft")
    kb.type("n")
    kb.press("Enter")
    # Петров: ill «б», Tab to the mark column, a «3», then Delete clears it again and a «2»
    kb.type("b")
    kb.press("Tab")
    kb.press("3")
    _saved(page, 6)
    kb.press("Delete")
    kb.press("2")
    _saved(page, 6)

    page.reload()
    rows = {r.get_attribute("data-p"): r for r in page.locator("table.grid tbody tr[data-p]").all()}

    def cells(pupil):
        return [c.inner_text().strip() for c in rows[str(pupil.pk)].locator("td").all()[:2]]

    assert cells(ivanova) == ["ОП", "5"]
    assert cells(kuznetsov) == ["Н", "4"]
    assert cells(petrov) == ["Б", "2"]
    assert dict(Attendance.objects.filter(lesson=lesson).values_list("pupil_id", "code")) == {
        ivanova.pk: "оп",
        kuznetsov.pk: "н",
        petrov.pk: "б",
    }
    assert dict(Mark.objects.filter(assessment__lesson=lesson).values_list("pupil_id", "value")) == {
        ivanova.pk: "5",
        kuznetsov.pk: "4",
        petrov.pk: "2",
    }


def test_parent_sees_the_teachers_new_mark_in_the_week_view(world, login_page, live_server, class_today):
    lesson, work, _pupils = class_today
    mother = login_page(world.parent)  # her own browser context, logged in first
    mother.goto(f"{live_server.url}/diary/pupil/{world.pupil.pk}/?date={lesson.date:%Y-%m-%d}")
    row = mother.locator(f"tr.lesson[data-lesson='{lesson.pk}']")
    assert row.locator(".mark").count() == 0

    teacher = login_page(world.teacher)
    teacher.goto(f"{live_server.url}/journal/a/{world.assignment.pk}/")
    teacher.locator("table.grid").focus()
    teacher.keyboard.press("ArrowRight")
    teacher.keyboard.press("5")
    _saved(teacher, 1)

    mother.reload()
    assert row.locator(".mark-value").inner_text() == "5"
    assert row.locator(".work-type").inner_text() == "Ответ на уроке"
