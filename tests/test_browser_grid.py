"""Real Chromium, the journal grid as a register, as the teacher uses it: from her home
page by the class's link, the grid opens on today's lesson; a whole lesson of 28 pupils
(3 absent, a mark for every other) takes about one key a pupil; Tab leaves the grid; a
session that ends mid-lesson loses nothing and never says «Сохранено»; a tap opens the
palette on a phone; a parent sees the new mark in the diary."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session

from journal.models import Assessment, Attendance, Mark

from . import factories as F
from .axe import assert_accessible
from .factories import PASSWORD

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ABSENT = (4, 11, 19)  # rows (0-based) of the three absent pupils
# The key «Н» of the Russian layout is Y of the Latin one; Chromium's test keyboard knows
# only the Latin keys, and the grid takes both.
N = "y"


@pytest.fixture
def class_today(world, school_day):
    """5А with 28 pupils; the quarter's lessons before today, today's (1st, 08:00), and one next week."""
    for lesson in world.lessons:
        lesson.delete()
    bell = F.BellFactory(school=world.school, number=1)
    for day in (6, 9, 10, 12, 13, 16, 17, 19):
        F.LessonFactory(assignment=world.assignment, date=school_day.replace(day=day), bell=bell, topic=f"Тема {day}")
    lesson = F.LessonFactory(assignment=world.assignment, date=school_day, bell=bell, topic="Сложение дробей")
    F.LessonFactory(assignment=world.assignment, date=school_day + timedelta(days=3), bell=bell)
    surnames = [f"Ученик{n:02d}" for n in range(27)]
    for s in surnames:
        F.EnrollmentFactory(school_class=world.klass, pupil=F.UserFactory(school=world.school, last_name=s))
    return lesson


def open_grid_from_home(page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_role("row", name="Математика").get_by_role("link", name="5А").first.click()
    page.wait_for_selector("table.register")
    # the script has opened the register: its active cell has the focus
    page.wait_for_function("() => document.activeElement && document.activeElement.dataset.cell")


def rows_of(page):
    return page.locator("table.register tbody tr[data-p]")


def settle(page):
    page.wait_for_function(
        "() => !document.querySelector('table.register td.saving, table.register td.typing, table.register td.unsaved')"
    )


class Keys:
    """The keyboard, counting every key the teacher presses."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def press(self, key):
        self.count += 1
        self.page.keyboard.press(key)


def test_a_whole_lesson_of_28_pupils_takes_about_one_key_a_pupil(world, login_page, live_server, class_today):
    page = login_page(world.teacher)
    open_grid_from_home(page, live_server)
    # it opens on today's lesson: that column highlighted, the first pupil's cell focused
    today = page.locator("table.register thead th.today")
    assert today.count() == 1 and today.get_attribute("data-day") == "20.11"
    assert "Сложение дробей" in today.inner_text()
    focused = page.evaluate("document.activeElement.dataset.cell")
    first_pupil = rows_of(page).first.get_attribute("data-p")
    assert focused == f"{first_pupil}-{class_today.pk}"
    assert page.locator("#grid-cur").inner_text().startswith("1. ")
    assert_accessible(page)

    keys = Keys(page)
    pupils = rows_of(page).count()
    assert pupils == 28
    marks = "5432"
    for i in range(pupils):
        keys.press(N if i in ABSENT else marks[i % 4])
    settle(page)
    page.wait_for_timeout(1500)  # the last «н» may wait for a possible «нп»
    settle(page)

    assert keys.count / pupils <= 1.3, keys.count
    ids = [int(rows_of(page).nth(i).get_attribute("data-p")) for i in range(pupils)]
    assert dict(Attendance.objects.filter(lesson=class_today).values_list("pupil_id", "code")) == {
        ids[i]: "н" for i in ABSENT
    }
    (work,) = Assessment.objects.filter(lesson=class_today)  # the first mark created the lesson's work
    assert dict(Mark.objects.filter(assessment=work).values_list("pupil_id", "value")) == {
        ids[i]: marks[i % 4] for i in range(pupils) if i not in ABSENT
    }
    # one cell per lesson shows it; the row's figures changed with the save
    first = rows_of(page).first
    assert first.locator(f"td[data-cell='{ids[0]}-{class_today.pk}']").inner_text().strip() == "5"
    assert first.locator(f"#cnt-{ids[0]}").inner_text() == "1"
    assert first.locator(f"#avg-{ids[0]}").inner_text() == "5,00"
    assert page.locator("#grid-msg").inner_text() == "Сохранено."

    page.reload()
    row = rows_of(page).nth(ABSENT[0])
    assert row.locator(f"td[data-cell='{ids[ABSENT[0]]}-{class_today.pk}']").inner_text().strip() == "н"


def test_moving_around_the_grid_and_leaving_it_with_tab(world, login_page, live_server, class_today):
    page = login_page(world.teacher)
    open_grid_from_home(page, live_server)

    def active():
        return page.evaluate(
            "() => { const td = document.activeElement; const tr = td.closest('tr');"
            " return td.tagName === 'TD' ? [tr.sectionRowIndex, td.cellIndex - 1] : null; }"
        )

    start = active()
    assert start[0] == 0
    page.keyboard.press("Control+Home")
    assert active() == [0, 0]
    page.keyboard.press("End")
    assert active()[1] == page.locator("table.register thead th").count() - 2  # the last column
    page.keyboard.press("Home")
    page.keyboard.press("PageDown")
    assert active() == [10, 0]
    page.keyboard.press("Control+End")
    assert active()[0] == 27
    # the work type and topic of the current lesson are on screen, also by keyboard
    page.keyboard.press("Control+Home")
    assert "Тема 6" in page.locator("#grid-cur").inner_text()
    # only one cell of the grid is a tab stop: Tab leaves the grid, and so does Shift+Tab
    page.keyboard.press("Tab")
    assert not page.evaluate("document.querySelector('table.register').contains(document.activeElement)")
    page.locator("table.register tbody td[tabindex='0']").focus()
    page.keyboard.press("Shift+Tab")
    assert not page.evaluate("document.querySelector('table.register').contains(document.activeElement)")


def test_a_session_that_ends_mid_lesson_loses_nothing(world, login_page, live_server, class_today):
    page = login_page(world.teacher)
    open_grid_from_home(page, live_server)
    page.evaluate(
        "() => { window.said = []; const m = document.getElementById('grid-msg');"
        " new MutationObserver(() => window.said.push(m.textContent)).observe(m, {childList: true, characterData: true, subtree: true}); }"
    )
    page.keyboard.press("5")
    page.keyboard.press("4")
    settle(page)
    Session.objects.all().delete()  # the session ends (idle timeout, logged out elsewhere)
    page.evaluate("() => { window.said = []; }")
    page.keyboard.press("3")
    page.keyboard.press(N)
    page.keyboard.press("2")

    dialog = page.get_by_role("dialog", name="Сеанс завершён")
    dialog.wait_for()
    assert page.locator("table.register td.unsaved").count() >= 1
    assert "не сохранено" in page.locator("table.register td.unsaved").first.inner_text()
    said = page.evaluate("window.said")
    assert said and not any(s.startswith("Сохранено") for s in said), said
    ids = [int(rows_of(page).nth(i).get_attribute("data-p")) for i in range(6)]
    assert set(Mark.objects.values_list("pupil_id", flat=True)) == {ids[0], ids[1]}
    # the dialog is open and takes no key: the next mark goes on the register, and waits too
    assert page.evaluate("document.activeElement.dataset.cell") == f"{ids[5]}-{class_today.pk}"
    page.keyboard.press("4")
    page.wait_for_function(
        f"() => document.querySelector(\"td[data-cell='{ids[5]}-{class_today.pk}']\").classList.contains('unsaved')"
    )

    # she signs in again in a new tab; the journal tab sends what waited
    with page.context.expect_page() as tab_info:
        dialog.get_by_role("link", name="Войти снова").click()
    tab = tab_info.value
    tab.fill("input[name=username]", world.teacher.username)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.get_by_role("heading", name="Вы снова вошли").wait_for()
    page.bring_to_front()
    dialog.wait_for(state="hidden")  # the journal tab heard of the login and sends the queue
    page.wait_for_function("() => !document.querySelector('table.register td.unsaved, table.register td.saving')")
    settle(page)
    page.wait_for_function("() => document.getElementById('grid-msg').textContent === 'Сохранено.'")
    values = dict(Mark.objects.values_list("pupil_id", "value"))
    assert values == {ids[0]: "5", ids[1]: "4", ids[2]: "3", ids[4]: "2", ids[5]: "4"}
    assert dict(Attendance.objects.values_list("pupil_id", "code")) == {ids[3]: "н"}
    assert page.locator("#grid-msg").inner_text() == "Сохранено."


def test_a_tap_on_a_phone_opens_the_palette_and_enters_a_mark(world, browser, live_server, class_today):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, locale="ru-RU")
    try:
        page = ctx.new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", world.teacher.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        open_grid_from_home(page, live_server)
        second = rows_of(page).nth(1)
        pid = int(second.get_attribute("data-p"))
        cell = second.locator(f"td[data-cell='{pid}-{class_today.pk}']")
        cell.scroll_into_view_if_needed()
        cell.tap()
        palette = page.get_by_role("dialog", name="Отметка: " + second.locator("th").inner_text().split(". ", 1)[1])
        palette.wait_for()
        box = palette.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # on the screen
        for label in ("5", "4", "3", "2", "н", "б", "уп", "нп", "оп", "Очистить"):
            assert palette.get_by_role("button", name=label, exact=True).is_visible()
        palette.get_by_role("button", name="4", exact=True).tap()
        settle(page)
        assert Mark.objects.get(pupil_id=pid).value == "4"
        assert cell.inner_text().strip() == "4"
        # attendance from the palette too, on the next pupil (the cursor moved down)
        third = rows_of(page).nth(2)
        tid = int(third.get_attribute("data-p"))
        third.locator(f"td[data-cell='{tid}-{class_today.pk}']").tap()
        page.get_by_role("dialog").get_by_role("button", name="б", exact=True).tap()
        settle(page)
        assert Attendance.objects.get(pupil_id=tid).code == "б"
        assert_accessible(page)
    finally:
        ctx.close()


def test_parent_sees_the_teachers_new_mark_in_the_week_view(world, login_page, live_server, class_today):
    lesson = class_today
    mother = login_page(world.parent)  # her own browser context, logged in first
    mother.goto(f"{live_server.url}/diary/pupil/{world.pupil.pk}/?date={lesson.date:%Y-%m-%d}")
    row = mother.locator(f"tr.lesson[data-lesson='{lesson.pk}']")
    assert row.locator(".mark").count() == 0

    teacher = login_page(world.teacher)
    open_grid_from_home(teacher, live_server)
    index = [r.get_attribute("data-p") for r in rows_of(teacher).all()].index(str(world.pupil.pk))
    for _ in range(index):
        teacher.keyboard.press("ArrowDown")
    teacher.keyboard.press("5")
    settle(teacher)

    mother.reload()
    assert row.locator(".mark-value").inner_text() == "5"
    assert row.locator(".work-type").inner_text() == "Ответ на уроке"
