"""Real Chromium (issue 20): a parent asks for the weekly paper diary from «Рассылка», and
the class teacher sees the request from «Мой класс» (docs/DESIGN.md §4.4)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_asks_for_paper_and_the_class_teacher_sees_it(world, login_page):
    w = world
    parent = login_page(w.parent)
    parent.get_by_role("navigation").first.get_by_role("link", name="Рассылка").click()
    parent.get_by_role("link", name="Бумажный дневник каждую неделю").click()
    parent.get_by_label(w.pupil.full_name).check()
    parent.get_by_role("button", name="Сохранить").click()
    expect(parent.get_by_text("Просьбы о бумажном дневнике сохранены.")).to_be_visible()

    teacher = login_page(w.class_teacher)
    teacher.get_by_role("navigation").first.get_by_role("link", name="Мой класс").click()
    teacher.get_by_role("link", name="Бумажный дневник: кто просит").click()
    expect(teacher.get_by_label(w.pupil.full_name)).to_be_checked()
    teacher.get_by_role("navigation").first.get_by_role("link", name="Мой класс").click()
    with teacher.expect_response(lambda r: "requested=1" in r.url) as resp:
        teacher.get_by_role("link", name="Бумажные дневники этой недели (PDF)").click()
    assert resp.value.status == 200 and resp.value.headers["content-type"] == "application/pdf"
