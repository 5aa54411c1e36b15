"""Real Chromium (issue 20): the class teacher writes to all parents of 5А from the inbox,
a parent replies, and the class teacher sees her message was read (docs/DESIGN.md §1.5)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _menu(page):
    return page.get_by_role("navigation").first


def test_class_teacher_writes_to_all_parents_a_parent_replies_she_sees_it_read(world, login_page):
    w = world
    page = login_page(w.class_teacher)
    _menu(page).get_by_role("link", name="Сообщения").click()
    page.get_by_role("link", name="Написать").click()
    page.get_by_label("Класс").select_option(label="5А")
    page.get_by_role("button", name="Выбрать").click()
    page.get_by_role("link", name="Всем родителям класса 5А").click()
    page.get_by_label("Тема").fill("Собрание")
    page.get_by_label("Сообщение").fill("Родительское собрание в четверг в 18:00")
    page.get_by_role("button", name="Отправить").click()
    expect(page.get_by_text("Сообщение отправлено родителям класса 5А: 1.")).to_be_visible()

    parent = login_page(w.parent)
    _menu(parent).get_by_role("link", name=re.compile("Сообщения")).click()
    parent.get_by_role("link", name="Собрание").click()
    expect(parent.get_by_text("Родительское собрание в четверг в 18:00")).to_be_visible()
    parent.get_by_label("Ответ").fill("Придём")
    parent.get_by_role("button", name="Отправить").click()
    expect(parent.get_by_text("Придём")).to_be_visible()

    page.reload()
    page.get_by_role("link", name="Собрание").click()
    expect(page.get_by_text("Придём")).to_be_visible()
    expect(page.locator(".receipt").first).to_contain_text("прочитано")
    expect(page.locator(".receipt").first).not_to_contain_text("не прочитано")
