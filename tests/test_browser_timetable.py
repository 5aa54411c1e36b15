"""Real Chromium (issue 15, point 3): the deputy builds 5А's week in the timetable editor,
reached from the home page by the labels she sees («Расписание», «5А»); a clash is refused
naming it, with what she typed kept. Then a real Celery worker runs the lesson sync that
the editor's saves queued on commit, and the lessons appear in the teacher's journal."""

import re
import time
from datetime import date

import pytest
from playwright.sync_api import expect

from journal.models import Lesson, TimetableEntry
from journal.services import timetable

from . import factories as F
from .axe import assert_accessible

pytestmark = [
    pytest.mark.usefixtures("school_day"),
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def _menu(page):
    return page.get_by_role("navigation").first


@pytest.fixture
def school(world):
    w = world
    bell2 = F.BellFactory(school=w.school, number=2)
    room = F.RoomFactory(school=w.school, number="201")
    F.CurriculumFactory(school_class=w.klass, subject=w.subject, hours_per_week=2, hours_per_year=68)
    # 5Б's mathematics holds room 201 on Tuesdays at the 1st bell
    F.TimetableFactory(assignment=w.other_assignment, weekday=2, bell=w.lessons[0].bell, room=room)
    return type("S", (), {"bell1": w.lessons[0].bell, "bell2": bell2, "room": room})


def test_the_deputy_builds_a_class_week_and_a_clash_is_refused_naming_it(world, school, login_page):
    w, bell2, room = world, school.bell2, school.room

    page = login_page(w.deputy)
    _menu(page).get_by_role("link", name="Расписание").click()
    expect(page.get_by_role("heading", name="Расписание", level=1)).to_be_visible()
    page.get_by_role("link", name="Расписание 5А класса").click()
    expect(page.get_by_role("heading", name="Расписание 5А класса")).to_be_visible()
    expect(page.get_by_text("Математика, Соколов А. В.: 0 из 2 ч")).to_be_visible()
    assert_accessible(page)

    # Monday, 1st bell
    page.get_by_role("link", name="Поставить урок: понедельник, 1 урок").click()
    page.get_by_label("Журнал (предмет, группа, учитель)").select_option(str(w.assignment.pk))
    expect(page.get_by_label("День недели")).to_have_value("1")
    page.get_by_label("Действует с").fill("2026-11-23")
    page.get_by_role("button", name="Поставить урок").click()
    expect(page.get_by_text(re.compile("Урок поставлен в расписание"))).to_be_visible()

    # Tuesday, 1st bell in room 201: taken by 5Б — refused, naming the clash, the typed values kept
    page.get_by_role("link", name="Поставить урок: вторник, 1 урок").click()
    page.get_by_label("Журнал (предмет, группа, учитель)").select_option(str(w.assignment.pk))
    page.get_by_label("Кабинет").select_option(str(room.pk))
    page.get_by_label("Действует с").fill("2026-11-23")
    page.get_by_label("Действует по (пусто — до конца года)").fill("2026-12-28")
    page.get_by_role("button", name="Поставить урок").click()
    expect(
        page.get_by_text("Кабинет 201 по вторникам на 1 уроке занят: 5Б · Математика (Волкова И. П.).")
    ).to_be_visible()
    expect(page.get_by_label("Кабинет")).to_have_value(str(room.pk))
    expect(page.get_by_label("Действует по (пусто — до конца года)")).to_have_value("2026-12-28")
    expect(page.get_by_label("Журнал (предмет, группа, учитель)")).to_have_value(str(w.assignment.pk))
    assert_accessible(page)
    # the 2nd bell is free
    page.get_by_label("Урок по звонкам").select_option(str(bell2.pk))
    page.get_by_role("button", name="Поставить урок").click()
    expect(page.get_by_text(re.compile("Урок поставлен в расписание"))).to_be_visible()
    expect(page.get_by_text("Математика, Соколов А. В.: 2 из 2 ч")).to_be_visible()
    assert TimetableEntry.objects.filter(assignment=w.assignment).count() == 2

    # the printed timetable is linked from the grid
    pdf = page.get_by_role("link", name="Распечатать расписание класса (PDF)")
    expect(pdf).to_have_attribute("href", re.compile(rf"/journal/timetable/classes/{w.klass.pk}/pdf/"))


def test_the_editors_saves_reach_the_teachers_journal_through_the_lesson_sync(worker_thread, world, school, login_page):
    """The editor's service commits (as the pages above do); the model signal queues the
    sync on commit to Redis, a real worker runs it, the teacher sees the lessons."""
    w = world
    for weekday, bell in ((1, school.bell1), (2, school.bell2)):
        timetable.add_entry(
            w.deputy, assignment_id=w.assignment.pk, weekday=weekday, bell_id=bell.pk, valid_from=date(2026, 11, 23)
        )
    # the saves queued the lesson sync: a real worker runs it
    wanted = [date(2026, 11, 23), date(2026, 11, 24), date(2026, 12, 28)]
    with worker_thread():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Lesson.objects.filter(
            assignment=w.assignment, date__in=wanted
        ).count() < len(wanted):
            time.sleep(0.3)
    tuesday = Lesson.objects.get(assignment=w.assignment, date=date(2026, 11, 24))
    assert tuesday.bell_id == school.bell2.pk and tuesday.timetable_entry_id is not None

    teacher = login_page(w.teacher)
    _menu(teacher).get_by_role("link", name="Мои журналы").click()
    teacher.get_by_role("table", name="Мои журналы").get_by_role("link", name="5А · Математика").click()
    expect(teacher.get_by_role("link", name="23.11", exact=True)).to_be_visible()
    expect(teacher.get_by_role("link", name="24.11", exact=True)).to_be_visible()
