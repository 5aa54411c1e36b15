"""Real Chromium (issue 15, point 4): the class teacher opens her class from the home page
by the labels she sees, splits it into two groups for English, fills them, and moves a
pupil from group 1 to group 2 from a date; a move dated outside the school year is
refused with a Russian message and the date typed stays in the form."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from journal.models import GroupMembership

from . import factories as F
from .axe import assert_accessible

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_class_teacher_forms_subgroups_and_moves_a_pupil_from_a_date(world, login_page):
    petrov = F.UserFactory(school=world.school, last_name="Петров", first_name="Илья", patronymic="Сергеевич")
    smirnova = F.UserFactory(school=world.school, last_name="Смирнова", first_name="Анна", patronymic="Олеговна")
    for pupil in (petrov, smirnova):
        F.EnrollmentFactory(school_class=world.klass, pupil=pupil)

    page = login_page(world.class_teacher)
    page.get_by_role("navigation").first.get_by_role("link", name="Мой класс").click()
    page.get_by_role("link", name="Подгруппы").click()
    expect(page.get_by_role("heading", name="Подгруппы 5А класса")).to_be_visible()
    expect(page.get_by_text("Класс ещё не делится на группы.")).to_be_visible()

    page.get_by_label("Для чего деление (предмет)").fill("англ.")
    page.get_by_label("Сколько групп").select_option("2")
    page.get_by_role("button", name="Разделить класс на группы").click()
    expect(page.get_by_text("Деление «англ.» создано: добавьте учеников в группы.")).to_be_visible()
    assert_accessible(page)

    first = page.get_by_role("region", name="1 группа (англ.)")
    first.get_by_role("checkbox", name="Иванова Мария Алексеевна").check()
    first.get_by_role("checkbox", name="Петров Илья Сергеевич").check()
    first.get_by_role("button", name="Добавить в группу").click()
    expect(page.get_by_text("В группу «1 группа (англ.)» с 20.11.2026 добавлено учеников: 2.")).to_be_visible()
    second = page.get_by_role("region", name="2 группа (англ.)")
    second.get_by_role("checkbox", name="Смирнова Анна Олеговна").check()
    second.get_by_role("button", name="Добавить в группу").click()
    expect(page.get_by_text("Все ученики класса распределены по группам.")).to_be_visible()

    # a date outside the year: refused, what was typed stays
    second = page.get_by_role("region", name="2 группа (англ.)")
    second.get_by_label("Ученик").select_option(label="Смирнова Анна Олеговна")
    second.get_by_label("Перевести в").select_option(label="1 группа (англ.)")
    second.get_by_label("С даты").fill("2027-07-01")
    second.get_by_role("button", name="Перевести").click()
    expect(page.get_by_role("alert")).to_contain_text("Дата 01.07.2027 — вне учебного года 2026/2027")
    expect(page.get_by_role("region", name="2 группа (англ.)").get_by_label("С даты")).to_have_value("2027-07-01")

    first = page.get_by_role("region", name="1 группа (англ.)")
    first.get_by_label("Ученик").select_option(label="Петров Илья Сергеевич")
    first.get_by_label("Перевести в").select_option(label="2 группа (англ.)")
    first.get_by_label("С даты").fill("2026-11-23")
    first.get_by_role("button", name="Перевести").click()
    expect(
        page.get_by_text(
            "Петров Илья Сергеевич с 23.11.2026 в группе «2 группа (англ.)»; в группе «1 группа (англ.)» — по 22.11.2026."
        )
    ).to_be_visible()
    # the page now shows 23.11: Петров is in group 2, and group 1 keeps his days
    first = page.get_by_role("region", name="1 группа (англ.)")
    expect(
        first.get_by_text(re.compile(r"Петров Илья Сергеевич: был\(а\) в группе с 20\.11\.2026 по 22\.11\.2026"))
    ).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Состав группы «2 группа \\(англ.\\)»"))).to_contain_text(
        "Петров Илья Сергеевич"
    )
    assert_accessible(page)

    rows = sorted(
        GroupMembership.objects.filter(pupil=petrov).values_list("group__name", "start", "end"), key=lambda r: r[1]
    )
    assert rows == [
        ("1 группа (англ.)", date(2026, 11, 20), date(2026, 11, 22)),
        ("2 группа (англ.)", date(2026, 11, 23), None),
    ]
