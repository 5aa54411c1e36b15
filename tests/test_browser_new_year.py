"""Real Chromium (issue 16 points 3–4, docs/DESIGN.md §3.26): at the end of May the
administrator, from the home card «Конец учебного года», runs the wizard «Следующий
учебный год из прошлого» — 5А becomes 6А in 2027/2028; the director, from her own home
card, records the promotion order and promotes class 5А: its pupils are in 6А."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from journal.models import AcademicYear, Enrollment, PromotionDecision, SchoolClass

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def end_of_may():
    """Tuesday 25.05.2027, noon: the last week of the factories' 2026/27 year."""
    with time_machine.travel(datetime(2027, 5, 25, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True):
        yield


def _said(page, pattern):
    expect(page.get_by_text(re.compile(pattern)).first).to_be_visible()


def test_the_admin_opens_the_next_year_and_the_director_promotes_5a(world, login_page, end_of_may):
    page = login_page(world.admin)
    card = page.locator("section.year-end")
    expect(card.get_by_role("heading", name="Конец учебного года")).to_be_visible()
    card.get_by_role("link", name="Следующий учебный год из прошлого").click()
    expect(page.get_by_role("heading", name="Следующий учебный год из прошлого")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Название нового учебного года")).to_have_value("2027/2028")
    expect(page.get_by_label("Литера класса 6 (был 5А)")).to_have_value("А")
    page.get_by_role("button", name="Создать следующий учебный год").click()
    _said(page, "Учебный год 2027/2028 создан из 2026/2027")
    expect(page.get_by_role("heading", name="Учебный год 2027/2028")).to_be_visible()
    expect(page.get_by_role("link", name="Класс 6А: учебный план и нагрузка")).to_be_visible()
    new_year = AcademicYear.objects.get(school=world.school, name="2027/2028")
    six_a = SchoolClass.objects.get(year=new_year, grade=6, letter="А")
    assert six_a.carried_from == world.klass

    page = login_page(world.director)
    page.locator("section.year-end").get_by_role("link", name="Перевод учащихся по приказу").click()
    page.get_by_role("link", name="Перевод: учебный год 2026/2027").click()
    expect(page.get_by_role("heading", name="Перевод учащихся: 2026/2027")).to_be_visible()
    page.get_by_role("link", name="Внести приказ о переводе").click()
    page.get_by_label("Номер приказа").fill("112-о")
    page.get_by_label("Дата приказа").fill("2027-05-28")
    page.get_by_role("button", name="Внести приказ").click()
    _said(page, "Приказ внесён: приказ № 112-о от 28.05.2027")
    page.get_by_role("link", name="Перевод класса 5А").click()
    expect(page.get_by_role("heading", name="Перевод класса 5А")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label(f"Решение: {world.pupil.full_name}")).to_have_value("promoted")
    page.get_by_role("button", name="Перевести класс 5А").click()
    _said(page, "Класс 5А: решения внесены")

    moved = Enrollment.objects.get(pupil=world.pupil, school_class=six_a)
    assert (moved.start, moved.start_order) == (new_year.start, "112-о")
    assert PromotionDecision.objects.get(pupil=world.pupil).decision == "promoted"
    # 5Б is not confirmed yet: its pupil stays where he was
    assert not Enrollment.objects.filter(pupil=world.other_pupil, school_class__year=new_year).exists()
