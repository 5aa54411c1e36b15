"""Real Chromium under the Content-Security-Policy (issue 18, "Headers"): the pages
still work — login, a grid cell saved, the language switch, the diary and its period
choice, «select all» of the class list, the Django admin — and the browser reports no
policy violation and no script error on any of them."""

import pytest
from django.utils import timezone

from journal.models import Mark

from . import factories as F
from .axe import assert_accessible

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collected in the page before any of its scripts run (an init script is the browser's
# own, outside the page's policy).
WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


class Watched:
    """A browser context whose console, script errors and CSP violations are recorded."""

    def __init__(self, browser, live_server):
        self.live_server = live_server
        self.ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="ru-RU")
        self.ctx.add_init_script(WATCH_VIOLATIONS)
        self.page = self.ctx.new_page()
        self.console = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.violations = []
        self.failed = []
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def _console(self, message):
        where = (message.location or {}).get("url", "")
        if not where.endswith("/favicon.ico"):  # the browser's own request, no page of ours
            self.console.append(f"{message.type}: {message.text} ({where})")

    def login(self, user):
        page = self.page
        page.goto(f"{self.live_server.url}/")
        page.get_by_label("Логин").fill(user.username)
        page.get_by_label("Пароль").fill(F.PASSWORD)
        page.get_by_role("button", name="Войти").click()
        page.wait_for_load_state("networkidle")
        return page

    def collect(self):
        self.violations += self.page.evaluate("window.__csp || []")

    def assert_clean(self):
        self.collect()
        reported = [m for m in self.console if "Content Security Policy" in m or m.startswith(("error", "pageerror"))]
        assert not reported and not self.violations, (reported, self.violations, self.failed)
        self.ctx.close()


@pytest.fixture
def watched(browser, live_server):
    made = []

    def make():
        w = Watched(browser, live_server)
        made.append(w)
        return w

    yield make
    for w in made:
        w.ctx.close() if w.ctx.pages else None


@pytest.fixture
def today_lesson(world):
    for lesson in world.lessons:  # only today's lesson in the grid (November's are locked)
        lesson.delete()
    return F.LessonFactory(
        assignment=world.assignment, date=timezone.localdate(), bell=F.BellFactory(school=world.school, number=2)
    )


def test_a_teacher_logs_in_and_saves_a_cell_with_no_policy_violation(world, watched, today_lesson):
    w = watched()
    page = w.login(world.teacher)
    assert_accessible(page)  # axe itself runs under the policy
    # From the home page, today's lesson links to its journal.
    page.get_by_role("link", name="5А").first.click()
    page.wait_for_selector("table.grid")
    # the register opens on today's lesson, its first pupil's cell focused
    page.wait_for_function("() => document.activeElement && document.activeElement.dataset.cell")
    w.collect()
    page.keyboard.press("5")
    page.wait_for_function(
        "() => document.querySelector('table.grid td.saved') && !document.querySelector('table.grid td.saving')"
    )
    assert Mark.objects.filter(pupil=world.pupil, value="5").exists()
    w.collect()

    # The language switch submits itself (static/js/app.js, no inline handler).
    with page.expect_navigation():
        page.get_by_label("Язык").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    w.collect()
    with page.expect_navigation():
        page.get_by_label("Language").select_option("ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    w.assert_clean()


def test_a_parent_reads_the_diary_and_changes_the_period_with_no_policy_violation(world, watched):
    w = watched()
    page = w.login(world.parent)
    page.get_by_role("link", name="Дневник").click()
    page.wait_for_load_state("networkidle")
    assert "Иванова Мария" in page.content()
    w.collect()
    page.get_by_role("link", name="Отметки по предметам").click()
    page.wait_for_load_state("networkidle")
    w.collect()
    period = page.get_by_label("Период")
    options = period.locator("option").all()
    assert len(options) > 1
    with page.expect_navigation():
        period.select_option(options[0].get_attribute("value"))
    assert f"period={options[0].get_attribute('value')}" in page.url
    w.collect()
    page.get_by_role("link", name="Сообщения").click()
    page.wait_for_load_state("networkidle")
    w.assert_clean()


def test_a_class_teacher_ticks_every_pupil_at_once(world, watched):
    w = watched()
    page = w.login(world.class_teacher)
    page.get_by_role("link", name="ученики, родители, реквизиты").click()
    page.wait_for_load_state("networkidle")
    boxes = page.locator("input[name=ids]")
    assert boxes.count() >= 2
    page.get_by_label("Все", exact=True).check()
    assert all(b.is_checked() for b in boxes.all())
    page.get_by_label("Все", exact=True).uncheck()
    assert not any(b.is_checked() for b in boxes.all())
    w.assert_clean()


def test_the_django_admin_works_under_the_policy(world, watched):
    from accounts import services
    from accounts.models import RoleAssignment

    admin = world.admin
    services.set_roles(admin, admin, [RoleAssignment.Role.ADMIN])  # the admin site's access comes with the role
    w = watched()
    page = w.login(admin)
    page.get_by_role("link", name="Настройка школы").click()
    page.wait_for_load_state("networkidle")
    w.collect()  # the portal's own set-up page
    page.get_by_role("link", name="Администрирование (сайт Django)").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#site-name").count() == 1  # the admin's own index page
    w.collect()
    page.locator("#content").get_by_role("link", name="Классы", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "5А" in page.content()
    w.collect()
    # The add form: the admin's own scripts (calendar, related-object popups) load from files.
    page.get_by_role("link", name="Добавить").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("form").count() >= 1
    w.assert_clean()


def test_the_temporary_journal_blank_picker_builds_its_file_address(world, watched, live_server):
    # (The outages page has no menu entry of its own yet: opened by its address.)
    w = watched()
    page = w.login(world.deputy)
    page.goto(f"{live_server.url}/journal/records/outages/")
    page.get_by_label("Класс").select_option(label="5А")
    page.get_by_label("Дата").fill("2026-11-20")
    with page.expect_download() as download:
        page.get_by_role("button", name="Таблица XLSX для переноса").click()
    url = download.value.url
    assert url.endswith(f"/journal/records/classes/{world.klass.pk}/day-blank/2026-11-20/xlsx/")
    w.assert_clean()
