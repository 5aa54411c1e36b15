"""Real Chromium (issue 15): the deputy's lesson procedures, reached from the home page
by the labels she sees — «Изменения в расписании» (move with a clash refused, cancel
with a reason, add a one-off lesson) and «Уроки на решение» (move as the timetable
says, keep as it is)."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from journal.models import Lesson, LessonReview
from journal.services import lesson_sync

from . import factories as F
from .axe import assert_accessible

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = date(2026, 11, 20)
MON, TUE = date(2026, 11, 23), date(2026, 11, 24)


def _menu(page):
    return page.get_by_role("navigation").first


@pytest.fixture
def week(world):
    w = world
    bell1 = w.lessons[0].bell
    room = F.RoomFactory(school=w.school, number="201")
    # 5Б's mathematics holds room 201 at Tuesday's 1st bell
    F.LessonFactory(assignment=w.other_assignment, date=TUE, bell=bell1, room=room)
    return type("W", (), {
        "bell2": F.BellFactory(school=w.school, number=2),
        "monday": F.LessonFactory(assignment=w.assignment, date=MON, bell=bell1, room=room),
        "wednesday": F.LessonFactory(assignment=w.assignment, date=date(2026, 11, 25), bell=bell1, room=room),
    })  # fmt: skip


def _open_week(page):
    _menu(page).get_by_role("link", name="Изменения в расписании").click()
    expect(page.get_by_role("heading", name="Изменения в расписании")).to_be_visible()
    page.get_by_label("Класс").select_option(label="5А")
    page.get_by_label("Неделя (любой её день)").fill("2026-11-23")
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_role("heading", name="5А: неделя с 23.11.2026")).to_be_visible()


def test_the_deputy_moves_a_lesson_and_a_clash_is_refused_naming_it(world, week, login_page):
    bell2, monday = week.bell2, week.monday
    page = login_page(world.deputy)
    _open_week(page)
    assert_accessible(page)

    # move Monday's lesson to Tuesday's 1st bell: room 201 is taken, the form says by whom
    page.get_by_role("link", name="Перенести: 23.11, 1 урок, Математика").click()
    expect(page.get_by_role("heading", name="Перенести урок")).to_be_visible()
    page.get_by_label("День").fill("2026-11-24")
    page.get_by_label("Причина переноса").fill("Олимпиада")
    page.get_by_role("button", name="Перенести").click()
    expect(page.get_by_text(re.compile(r"Кабинет 201 24\.11\.2026 на 1 уроке занят: 5Б · Математика"))).to_be_visible()
    expect(page.get_by_label("День")).to_have_value("2026-11-24")
    expect(page.get_by_label("Причина переноса")).to_have_value("Олимпиада")
    assert_accessible(page)
    # the 2nd bell is free
    page.get_by_label("Урок по звонкам").select_option(str(bell2.pk))
    page.get_by_role("button", name="Перенести").click()
    expect(page.get_by_text(re.compile("Урок перенесён"))).to_be_visible()
    monday.refresh_from_db()
    assert (monday.date, monday.bell_id, monday.manual) == (TUE, bell2.pk, True)


def test_the_deputy_cancels_a_lesson_with_a_reason_and_adds_a_one_off_lesson(world, week, login_page):
    w, bell2, wednesday = world, week.bell2, week.wednesday
    page = login_page(w.deputy)
    _open_week(page)
    # cancel Wednesday's lesson with a reason
    page.get_by_role("link", name="Отменить: 25.11, 1 урок, Математика").click()
    page.get_by_label("Причина отмены (её увидят ученики и родители в дневнике)").fill("Учитель на курсах")
    page.get_by_role("button", name="Отменить урок").click()
    expect(page.get_by_role("cell", name="отменён: Учитель на курсах")).to_be_visible()
    assert Lesson.objects.get(pk=wednesday.pk).status == Lesson.Status.CANCELLED

    # add a one-off lesson on Thursday's 2nd bell
    page.get_by_role("link", name="Добавить урок").click()
    page.get_by_label("Журнал (класс, предмет, учитель)").select_option(str(w.assignment.pk))
    page.get_by_label("День").fill("2026-11-26")
    page.get_by_label("Урок по звонкам").select_option(str(bell2.pk))
    page.get_by_role("button", name="Добавить урок").click()
    expect(page.get_by_text(re.compile("Урок добавлен"))).to_be_visible()
    thursday = page.locator("section.lesson-day").filter(has_text="26.11.2026")
    expect(thursday.get_by_role("cell", name="добавлен вручную")).to_be_visible()
    assert Lesson.objects.filter(assignment=w.assignment, date=date(2026, 11, 26), bell=bell2, manual=True).exists()


def test_the_deputy_resolves_the_lessons_the_timetable_sync_listed(world, login_page):
    w = world
    bell1 = w.lessons[0].bell
    entry = F.TimetableFactory(assignment=w.assignment, weekday=1, bell=bell1)
    lesson_sync.sync_school(w.school.pk, today=TODAY, until=date(2026, 12, 6))
    filled = list(Lesson.objects.filter(assignment=w.assignment, date__in=[MON, date(2026, 11, 30)]).order_by("date"))
    for lesson, text in zip(filled, ("№ 15", "№ 16"), strict=True):
        F.HomeworkFactory(lesson=lesson, text=text)
    entry.valid_to = date(2026, 11, 22)
    entry.save()
    F.TimetableFactory(assignment=w.assignment, weekday=2, bell=bell1, valid_from=MON)
    lesson_sync.sync_school(w.school.pk, today=TODAY, until=date(2026, 12, 6))

    page = login_page(w.deputy)
    link = _menu(page).get_by_role("link", name=re.compile("Уроки на решение"))
    expect(link).to_have_text(re.compile(r"Уроки на решение\s+2\s+ждут решения"))
    link.click()
    expect(page.get_by_role("heading", name="Уроки на решение", level=1)).to_be_visible()
    assert_accessible(page)
    first = page.locator("section.lesson-review").filter(has_text="23.11.2026")
    expect(first).to_contain_text("по новому расписанию — 24.11.2026, 1 урок")
    first.get_by_role("button", name="Перенести по расписанию").click()
    expect(page.get_by_text(re.compile("Урок перенесён по расписанию"))).to_be_visible()
    second = page.locator("section.lesson-review").filter(has_text="30.11.2026")
    second.get_by_role("button", name="Оставить как есть").click()
    expect(page.get_by_text(re.compile("Урок оставлен на своём месте"))).to_be_visible()
    expect(page.get_by_text("Таких уроков нет.")).to_be_visible()

    assert Lesson.objects.get(pk=filled[0].pk).date == TUE
    assert Lesson.objects.get(pk=filled[1].pk).date == date(2026, 11, 30)
    assert not LessonReview.objects.open().exists()
    assert set(LessonReview.objects.values_list("resolution", flat=True)) == {"move", "keep"}


def test_the_deputy_restores_a_cancelled_lesson(world, week, login_page):
    w, wednesday = world, week.wednesday
    page = login_page(w.deputy)
    _open_week(page)
    page.get_by_role("link", name="Отменить: 25.11, 1 урок, Математика").click()
    page.get_by_label("Причина отмены (её увидят ученики и родители в дневнике)").fill("Учитель на курсах")
    page.get_by_role("button", name="Отменить урок").click()
    expect(page.get_by_role("cell", name="отменён: Учитель на курсах")).to_be_visible()

    page.get_by_role("link", name="Вернуть: 25.11, 1 урок, Математика").click()
    expect(page.get_by_role("heading", name="Вернуть отменённый урок")).to_be_visible()
    expect(page.get_by_text("Причина отмены: Учитель на курсах")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Вернуть урок").click()
    expect(page.get_by_text(re.compile("Урок возвращён в расписание"))).to_be_visible()
    expect(page.get_by_role("cell", name="отменён: Учитель на курсах")).to_have_count(0)
    expect(page.get_by_role("link", name="Отменить: 25.11, 1 урок, Математика")).to_be_visible()
    lesson = Lesson.objects.get(pk=wednesday.pk)
    assert (lesson.status, lesson.cancel_reason) == (Lesson.Status.PLANNED, "")
