"""Browser: past years stay readable and the exam and final marks reach the diary (issue 16,
points 1 and 6). The deputy goes from the home page to «Отчёты», picks the past school year,
builds the summary sheet of a class of that year and sees the class as it was; a parent
opens the diary's marks and sees the year, exam and final marks of her son in 9А."""

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .exam_data import build_exam_class
from .past_year_data import build_past_year

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _menu(page):
    return page.get_by_role("navigation").first


def test_the_deputy_builds_a_past_years_summary_sheet(world, login_page):
    build_past_year(world)
    page = login_page(world.deputy)
    _menu(page).get_by_role("link", name="Отчёты", exact=True).click()
    expect(page.get_by_role("heading", name="Отчёты", exact=True)).to_be_visible()
    page.get_by_label("Учебный год").select_option(label="2025/2026")
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_text("учебный год 2025/2026")).to_be_visible()
    classes = page.get_by_label("Класс", exact=True)
    expect(classes.locator("option", has_text="5А")).to_have_count(0)  # the past year's classes only
    classes.select_option(label="4А")
    page.get_by_label("Отчёт", exact=True).select_option(label="Сводная ведомость учёта успеваемости")
    expect(page.get_by_label("Предмет (журнал)", exact=True)).to_be_hidden()  # the form redrawn for it
    expect(classes.locator("option:checked")).to_have_text("4А")  # the class chosen is kept
    page.get_by_role("button", name="Сформировать", exact=True).click()
    doc = page.locator(".rpt-doc")
    expect(doc).to_contain_text("Класс: 4А")
    expect(doc).to_contain_text("2025/2026 учебный год")
    expect(doc.locator("tr", has_text="Титов Глеб")).to_contain_text("3")
    expect(doc.locator("tr", has_text="Иванова Мария Алексеевна")).not_to_contain_text("выбыл")
    assert_accessible(page)


def test_the_parent_sees_year_exam_and_final_marks(world, login_page):
    ec = build_exam_class(world)
    page = login_page(ec.parent)
    _menu(page).get_by_role("link", name="Дневник").click()
    page.get_by_role("link", name="Отметки по предметам").click()
    table = page.locator("table.year-marks")
    expect(page.get_by_role("heading", name="Итоги учебного года 2026/2027")).to_be_visible()
    for header in ("Год", "Экзамен", "Итоговая"):
        expect(table.get_by_role("columnheader", name=header)).to_be_visible()
    maths = table.locator("tr", has_text="Математика")
    expect(maths.locator("td.year-mark")).to_have_text("4")
    expect(maths.locator("td.exam-mark")).to_have_text("5")
    expect(maths.locator("td.final-mark")).to_have_text("5")
    russian = table.locator("tr", has_text="Русский язык")
    expect(russian.locator("td.exam-mark")).to_have_text("3")
    assert_accessible(page)
