"""Real Chromium (issue 20): the parent sees on her home page the mark the teacher has
just entered in the grid, and follows it to the diary (docs/DESIGN.md §1.5)."""

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .test_browser_grid import N, class_today, open_grid_from_home, rows_of, settle  # noqa: F401

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parent_sees_the_teachers_new_mark_on_her_home_page(world, login_page, live_server, class_today):  # noqa: F811
    mother = login_page(world.parent)
    expect(mother.get_by_role("heading", name=world.pupil.full_name)).to_be_visible()
    assert mother.locator(".new-mark").count() == 0

    teacher = login_page(world.teacher)
    open_grid_from_home(teacher, live_server)
    index = [r.get_attribute("data-p") for r in rows_of(teacher).all()].index(str(world.pupil.pk))
    for _ in range(index):
        teacher.keyboard.press("ArrowDown")
    teacher.keyboard.press("5")
    settle(teacher)

    mother.reload()
    mark = mother.locator(".new-mark").first
    expect(mark).to_contain_text("5")
    expect(mark).to_contain_text("Математика")
    expect(mark).to_contain_text("Ответ на уроке")
    assert_accessible(mother)
    mark.get_by_role("link").click()
    expect(mother.get_by_text("Сложение дробей").first).to_be_visible()
