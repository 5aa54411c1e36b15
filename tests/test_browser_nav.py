"""Real Chromium (issue 14): every journal and every procedure one click away, reached
from the home page by the labels a teacher, a class teacher and a deputy see."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from journal.models import CorrectionRequest, Notification
from journal.services import corrections

from . import factories as F
from .axe import assert_accessible

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = date(2026, 11, 20)


def _menu(page):
    return page.get_by_role("navigation").first


def _journals(world):
    """Соколов keeps three journals: 5А Математика, 5А Геометрия, 5Б Физика (a group)."""
    geometry = F.AssignmentFactory(
        school_class=world.klass, subject=F.SubjectFactory(school=world.school, name="Геометрия"), teacher=world.teacher
    )
    group = F.GroupFactory(school_class=world.other_class, name="1 группа")
    physics = F.AssignmentFactory(
        school_class=world.other_class,
        group=group,
        subject=F.SubjectFactory(school=world.school, name="Физика"),
        teacher=world.teacher,
    )
    F.LessonFactory(assignment=geometry, date=TODAY, bell=world.lessons[0].bell, topic="Углы")
    return {"5А · Математика": world.assignment, "5А · Геометрия": geometry, "5Б 1 группа · Физика": physics}


def test_the_teacher_reaches_each_of_her_journals_from_my_journals(world, login_page, live_server):
    journals = _journals(world)
    page = login_page(world.teacher)
    _menu(page).get_by_role("link", name="Мои журналы").click()
    expect(page.get_by_role("heading", name="Мои журналы")).to_be_visible()
    assert_accessible(page)
    table = page.get_by_role("table", name="Мои журналы")
    expect(table.get_by_role("row")).to_have_count(1 + len(journals))
    today_row = table.get_by_role("row", name=re.compile("5А · Геометрия"))
    expect(today_row).to_contain_text("20.11, 1 урок")
    expect(today_row).to_contain_text("8 дней (до 27.11)")
    expect(table.get_by_role("row", name=re.compile("5А · Математика"))).to_contain_text("закрыт")
    for name, assignment in journals.items():
        page.get_by_role("table", name="Мои журналы").get_by_role("link", name=name).click()
        expect(page).to_have_url(re.compile(rf"/journal/a/{assignment.pk}/p/\d+/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        expect(page.locator(".ro-note")).to_have_count(0)  # her own journal: she writes in it
        page.go_back()


def test_the_deputy_opens_any_class_journal_read_only_from_school_journals(world, login_page):
    page = login_page(world.deputy)
    _menu(page).get_by_role("link", name="Журналы школы").click()
    expect(page.get_by_role("heading", name="Журналы школы")).to_be_visible()
    page.get_by_role("link", name="5Б класс").click()
    expect(page.get_by_role("heading", name="5Б класс")).to_be_visible()
    page.get_by_role("link", name="5Б · Математика").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("5Б · Математика")
    expect(page.get_by_text("только просмотр")).to_be_visible()
    expect(page.locator("table.grid")).to_have_attribute("data-ro", "1")


def test_the_class_teacher_reaches_her_class_journals_absences_and_diary_print(world, login_page, live_server):
    _journals(world)
    page = login_page(world.class_teacher)
    _menu(page).get_by_role("link", name="Мой класс").click()
    expect(page.get_by_role("heading", name="5А класс")).to_be_visible()
    journals = page.get_by_role("table", name="Журналы 5А класса")
    expect(journals.get_by_role("link", name="5А · Математика")).to_be_visible()
    expect(journals.get_by_role("link", name="5Б 1 группа · Физика")).to_have_count(0)
    journals.get_by_role("link", name="5А · Геометрия").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("5А · Геометрия")
    expect(page.get_by_text("только просмотр")).to_be_visible()
    page.go_back()

    page.get_by_role("link", name="Причины пропусков").click()
    expect(page.get_by_role("heading", name=re.compile("Пропуски без указанной причины · 5А"))).to_be_visible()
    page.go_back()

    page.get_by_label("Неделя (любой её день)").fill("2026-11-16")
    with page.context.expect_event("response", predicate=lambda r: "/diary/class/" in r.url) as printed:
        page.get_by_role("button", name="Печать дневников класса (PDF)").click()
    response = printed.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert f"/diary/class/{world.klass.pk}/print/?date=2026-11-16" in response.url


def test_the_deputy_reaches_corrections_with_their_count_substitutions_and_outages(world, login_page):
    lesson = world.lessons[0]
    F.AttendanceFactory(lesson=lesson, pupil=world.pupil)
    req = corrections.create_lesson_request(
        world.teacher,
        lesson_id=lesson.pk,
        changes=[{"kind": "attendance", "pupil_id": world.pupil.pk, "new_value": ""}],
        reasons="Ученица была на олимпиаде, отсутствие отмечено ошибочно",
    )
    page = login_page(world.deputy)
    link = _menu(page).get_by_role("link", name=re.compile("Объяснительные"))
    expect(link).to_have_text(re.compile(r"Объяснительные\s+1\s+новых"))
    link.click()
    expect(page.get_by_role("heading", name="Объяснительные")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name=str(req.pk), exact=True)).to_be_visible()

    _menu(page).get_by_role("link", name="Замены").click()
    expect(page.get_by_role("heading", name="Журнал замещения уроков")).to_be_visible()
    expect(page.get_by_role("link", name="Назначить замену")).to_be_visible()

    _menu(page).get_by_role("link", name="Сбои и временный журнал").click()
    expect(page.get_by_role("heading", name="Сбои электронного журнала")).to_be_visible()


def test_the_teacher_reaches_the_plan_and_a_period_correction_from_the_grid(world, login_page):
    page = login_page(world.teacher)
    _menu(page).get_by_role("link", name="Мои журналы").click()
    page.get_by_role("link", name="5А · Математика").click()
    page.get_by_role("link", name="КТП (тематическое планирование)").click()
    expect(page.get_by_role("heading", name="Календарно-тематическое планирование")).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Объяснительная об итоговой отметке").click()
    expect(page.get_by_role("heading", name="Объяснительная: исправление итоговых отметок")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Иванова Мария"))).to_be_visible()


def test_a_correction_from_a_locked_lesson_reaches_the_deputy_as_a_notification(
    world, login_page, live_server, settings
):
    settings.SITE_URL = live_server.url  # the notice's links are absolute (they go by e-mail too)
    locked = world.lessons[-1]  # 11.11: locked since 19.11
    F.AttendanceFactory(lesson=locked, pupil=world.pupil)
    page = login_page(world.teacher)
    _menu(page).get_by_role("link", name="Мои журналы").click()
    page.get_by_role("row", name=re.compile("5А · Математика")).get_by_role("link", name="11.11, 1 урок").click()
    expect(page.get_by_text("Урок закрыт для исправлений")).to_be_visible()
    page.get_by_role("link", name="Подать объяснительную").click()
    expect(page.get_by_role("heading", name="Объяснительная: исправление записей урока")).to_be_visible()
    page.get_by_role("row", name=re.compile("Иванова Мария")).locator("select").select_option("")
    page.get_by_label("Причины, приведшие к необходимости изменений").fill(
        "Ученица была на олимпиаде, отсутствие отмечено ошибочно"
    )
    page.get_by_role("button", name="Подать объяснительную").click()
    req = CorrectionRequest.objects.get()
    expect(page.get_by_role("heading", name=f"Объяснительная № {req.pk}")).to_be_visible()

    deputy = login_page(world.deputy)
    notices = _menu(deputy).get_by_role("link", name=re.compile("Уведомления"))
    expect(notices).to_contain_text("1")
    notices.click()
    notice = deputy.locator(".notification", has_text=f"Новая объяснительная № {req.pk}")
    expect(notice).to_contain_text("Соколов")
    notice.get_by_role("link", name=f"/journal/records/corrections/{req.pk}/").click()
    expect(deputy.get_by_role("heading", name=f"Объяснительная № {req.pk}")).to_be_visible()


def test_a_substitute_is_told_and_finds_her_lesson_at_home_and_in_my_journals(world, login_page):
    lesson = F.LessonFactory(assignment=world.other_assignment, date=TODAY, bell=world.lessons[0].bell)
    deputy = login_page(world.deputy)
    _menu(deputy).get_by_role("link", name="Замены").click()
    deputy.get_by_role("link", name="Назначить замену").click()
    deputy.get_by_label("Класс и предмет (нагрузка)").select_option(label="5Б · Математика — Волкова И. П.")
    deputy.get_by_label("Заменяющий учитель").select_option(label=world.teacher.full_name)
    deputy.get_by_label("С:", exact=True).fill("2026-11-20")
    deputy.get_by_label("Причина замены").fill("Больничный основного учителя")
    deputy.get_by_role("button", name="Назначить").click()
    expect(deputy.get_by_text("Замена назначена: уроков — 1.")).to_be_visible()
    assert Notification.objects.filter(user=world.teacher).count() == 1

    page = login_page(world.teacher)
    home = page.locator("section", has=page.get_by_role("heading", name="Мои замены"))
    expect(home.get_by_role("link", name=re.compile("20.11, 1 урок · 5Б · Математика"))).to_be_visible()
    expect(page.locator("section.teacher-lessons")).to_contain_text("замена")
    expect(_menu(page).get_by_role("link", name=re.compile("Уведомления"))).to_contain_text("1")

    _menu(page).get_by_role("link", name="Мои журналы").click()
    subs = page.get_by_role("table", name="Уроки, которые вы проводите по замене")
    row = subs.get_by_role("row", name=re.compile("20.11, 1 урок"))
    expect(row).to_contain_text("5Б · Математика")
    expect(row).to_contain_text("Волкова И. П.")
    assert_accessible(page)
    row.get_by_role("link", name=re.compile("20.11, 1 урок")).click()
    expect(page).to_have_url(re.compile(rf"/journal/lesson/{lesson.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("5Б · Математика · 20.11.2026")
    expect(page.get_by_text("Только просмотр.")).to_have_count(0)  # she fills it
