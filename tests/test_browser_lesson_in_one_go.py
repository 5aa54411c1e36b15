"""Issue 14, real Chromium: a lesson in one go from the home page, by visible labels —
the topic from the КТП, «все присутствуют» but three, saved in one request, homework and
a pupil's comment, all without a page reload; the page at 390 px; axe-core."""

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from journal.models import Attendance, AttendanceRoll, Homework, LessonComment, PlanItem, ThematicPlan

from . import factories as F
from .axe import assert_accessible

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SURNAMES = [
    "Абрамов",
    "Баранов",
    "Васильев",
    "Галкин",
    "Денисов",
    "Егоров",
    "Жуков",
    "Зайцев",
    "Ильин",
    "Козлов",
    "Лебедев",
    "Морозов",
    "Некрасов",
    "Орлов",
    "Павлов",
    "Романов",
    "Сергеев",
    "Тихонов",
    "Уваров",
    "Фёдоров",
    "Харитонов",
    "Цветков",
    "Чернов",
    "Шаров",
    "Щукин",
    "Юдин",
    "Яковлев",
]


@pytest.fixture
def today_lesson(world):
    """Today's lesson of 5А mathematics with 28 pupils and a КТП whose first row is taken."""
    for name in SURNAMES:
        F.EnrollmentFactory(school_class=world.klass, start=world.year.start, pupil__last_name=name)
    plan = ThematicPlan.objects.create(assignment=world.assignment, updated_by=world.teacher)
    PlanItem.objects.create(plan=plan, position=1, topic="Натуральные числа", hours=1)
    PlanItem.objects.create(plan=plan, position=2, topic="Сложение дробей", hours=2)
    earlier = world.lessons[0]
    earlier.topic = "Натуральные числа"
    earlier.save()
    from journal.models import LessonPlanLink

    LessonPlanLink.objects.create(lesson=earlier, item=plan.items.get(position=1))
    return F.LessonFactory(assignment=world.assignment, date=timezone.localdate(), bell=world.lessons[0].bell)


def open_lesson_from_home(page, live_server, lesson):
    page.goto(f"{live_server.url}/")
    page.locator("section.teacher-lessons").get_by_role("link", name="5А").click()
    page.get_by_role("link", name=lesson.date.strftime("%d.%m")).first.click()
    page.wait_for_selector("h1.lesson-title")


def test_a_lesson_in_one_go_without_a_page_reload(world, login_page, live_server, today_lesson):
    lesson = today_lesson
    page = login_page(world.teacher)
    open_lesson_from_home(page, live_server, lesson)
    # The deadlines are shown before anything is typed.
    assert "Тему, посещаемость и отметки внесите до 18:00 20.11.2026" in page.inner_text(".deadlines")
    assert "Исправления — до 27.11.2026 включительно" in page.inner_text(".deadlines")

    page.evaluate("window.__samePage = true")  # gone if the page reloads
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    # The topic: the КТП's next unfilled row.
    assert "Следующая тема по КТП: «Сложение дробей»" in page.inner_text(".lesson-topic")
    page.get_by_role("button", name="Взять тему из КТП").click()
    page.wait_for_selector(".lesson-topic .said:has-text('Тема из КТП сохранена.')")
    assert page.get_by_role("textbox", name="Тема урока").input_value() == "Сложение дробей"

    # Attendance: everyone present, then three absent, saved in one request.
    pupils = [r.pupil for r in _roster(lesson)]
    absent = pupils[2:5]
    page.get_by_role("button", name="Все присутствуют").click()
    for p in absent:
        page.get_by_role("combobox", name=f"Посещаемость {p.short_name}").select_option(label="Н — отсутствует")
    posts.clear()
    page.get_by_role("button", name="Сохранить посещаемость").click()
    page.wait_for_selector("#att-status:has-text('Посещаемость сохранена: изменено отметок — 3.')")
    assert posts == [f"{live_server.url}/journal/lesson/{lesson.pk}/attendance/"]

    # Homework and a comment for one pupil.
    page.get_by_role("textbox", name="Домашнее задание").fill("§ 12, № 1–5")
    page.get_by_role("button", name="Сохранить задание").click()
    page.wait_for_selector(".lesson-homework .said:has-text('Домашнее задание сохранено.')")
    page.get_by_role("textbox", name=f"Комментарий {pupils[0].short_name}").fill("нет тетради")
    page.get_by_role("button", name="Сохранить комментарии и задания").click()
    page.wait_for_selector("#notes-status:has-text('Комментарии и индивидуальные задания сохранены.')")

    assert page.evaluate("window.__samePage") is True
    lesson.refresh_from_db()
    assert lesson.topic == "Сложение дробей" and lesson.plan_link.item.position == 2
    assert dict(Attendance.objects.filter(lesson=lesson).values_list("pupil_id", "code")) == {p.pk: "н" for p in absent}
    assert AttendanceRoll.objects.filter(lesson=lesson).exists()
    assert Homework.objects.get(lesson=lesson).text == "§ 12, № 1–5"
    assert LessonComment.objects.get(lesson=lesson, pupil=pupils[0]).text == "нет тетради"
    actions = list(AuditEvent.objects.filter(actor=world.teacher).order_by("id").values_list("action", flat=True))
    assert actions == [
        "lesson.topic",
        *["attendance.create"] * 3,
        "attendance.roll",
        "homework.create",
        "lesson_comment.create",
    ]
    assert_accessible(page)


def _roster(lesson):
    from journal.grid import pupils_of

    return list(pupils_of(lesson.assignment, lesson.date, lesson.date))


def test_the_lesson_page_at_390_px(world, login_page, live_server, today_lesson):
    lesson = today_lesson
    F.AttendanceFactory(lesson=lesson, pupil=world.pupil)
    page = login_page(world.teacher)
    page.set_viewport_size({"width": 390, "height": 844})
    open_lesson_from_home(page, live_server, lesson)

    # No horizontal scroll of the page.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Every visible control of the page is a target of at least 24 × 24 px.
    small = page.evaluate(
        """() => [...document.querySelectorAll('main button, main input:not([type=hidden]), main select, main textarea')]
             .filter(e => e.offsetParent !== null)
             .map(e => [e.name || e.textContent.trim(), e.getBoundingClientRect()])
             .filter(([n, r]) => r.width < 24 || r.height < 24).map(([n, r]) => `${n}: ${r.width}×${r.height}`)"""
    )
    assert small == []
    # In the marks table each pupil's name sits on the row of its cells, and the
    # header row covers no pupil.
    page.locator("table.lesson-grid").scroll_into_view_if_needed()
    rows = page.evaluate(
        """() => [...document.querySelectorAll('table.lesson-grid tbody tr[data-p]')].slice(0, 3).map(tr => {
             const th = tr.querySelector('th.name').getBoundingClientRect(), td = tr.querySelector('td').getBoundingClientRect();
             const hit = document.elementFromPoint(th.left + 4, th.top + th.height / 2);
             return [Math.round(th.top), Math.round(td.top), !!(hit && tr.contains(hit))];
           })"""
    )
    assert rows and all(name_top == cell_top and visible for name_top, cell_top, visible in rows)
    head = page.evaluate("document.querySelector('table.lesson-grid thead').getBoundingClientRect().bottom")
    first = page.evaluate("document.querySelector('table.lesson-grid tbody tr').getBoundingClientRect().top")
    assert head <= first + 0.5
    # The absent pupil's badge stands on her own row.
    first_row = page.locator("table.lesson-grid tbody tr", has_text=world.pupil.short_name)
    assert first_row.locator(".att-badge").inner_text() == "Н"
    assert_accessible(page)


def test_error_pages_in_russian_with_a_way_back(world, login_page, live_server):
    page = login_page(world.teacher)
    page.goto(f"{live_server.url}/journal/no-such-page/")
    assert page.get_by_role("heading", name="Страница не найдена").is_visible()
    page.get_by_role("link", name="На главную страницу").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/journal/control/")
    assert page.get_by_role("heading", name="Доступ запрещён").is_visible()
    page.get_by_role("link", name="← Вернуться назад").click()
    page.wait_for_url(f"{live_server.url}/")
    assert_accessible(page)
