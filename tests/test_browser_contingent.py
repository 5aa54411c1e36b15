"""Real Chromium (issue 15): the class teacher, from the home page by the labels she
sees, creates a pupil and the pupil's mother and prints their slips; an import of a
class list with two broken rows shows both errors and writes nothing, then the fixed
file imports."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import CredentialIssue, Guardianship, User
from journal.models import Enrollment

from .axe import assert_accessible

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "Фамилия;Имя;Отчество;Пол;Дата рождения;Родитель;Телефон;E-mail"
GOOD = [
    "Громов;Кирилл;Олегович;м;12.04.2015;Громова Алла Петровна;+7 900 111-22-33;",
    "Громова;Вера;Олеговна;ж;01.09.2016;Громова Алла Петровна;8 900 1112233;",
    "Лисицына;Дарья;;ж;30.01.2015;;;",
]
BROKEN = ["Кротов;;Ильич;м;05.05.2015;;;", "Зайцев;Павел;;м;31.02.2015;;;"]


def _csv(lines):
    return {"name": "5a.csv", "mimeType": "text/csv", "buffer": ("\n".join([HEADER, *lines]) + "\n").encode()}


def _to_class_people(page):
    page.get_by_role("navigation").first.get_by_role("link", name="Мой класс").click()
    page.get_by_role("link", name="Ученики, родители, реквизиты").click()
    expect(page.get_by_role("heading", name="Ученики и родители 5А")).to_be_visible()


def test_the_class_teacher_creates_a_pupil_and_a_parent_and_prints_their_slips(world, login_page):
    page = login_page(world.class_teacher)
    _to_class_people(page)
    page.get_by_role("link", name="Добавить ученика").click()
    expect(page.get_by_role("heading", name="Новый ученик 5А")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Фамилия").fill("Новосельцев")
    page.get_by_label("Имя").fill("Илья")
    page.get_by_label("Отчество").fill("Сергеевич")
    page.get_by_label("Пол").select_option(label="мужской")
    page.get_by_label("Дата рождения").fill("2015-03-04")
    page.get_by_role("button", name="Зачислить ученика").click()
    expect(page.get_by_text(re.compile("Ученик Новосельцев Илья Сергеевич зачислен в 5А"))).to_be_visible()

    expect(page.get_by_role("heading", name="Родитель ученика: Новосельцев Илья Сергеевич")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Фамилия").fill("Новосельцева")
    page.get_by_label("Имя").fill("Ольга")
    page.get_by_label("Кем приходится").select_option(label="мать")
    page.get_by_label("Телефон").fill("+7 916 123-45-67")
    page.get_by_role("button", name="Добавить родителя", exact=True).click()
    expect(page.get_by_text(re.compile("Родитель Новосельцева Ольга добавлен"))).to_be_visible()
    expect(page.get_by_role("heading", name="Ученики и родители 5А")).to_be_visible()

    page.get_by_role("checkbox", name="Новосельцев Илья Сергеевич").check()
    page.get_by_role("checkbox", name="Новосельцева Ольга").check()
    with page.context.expect_event("response", predicate=lambda r: "/accounts/people/slips/" in r.url) as printed:
        page.get_by_role("button", name="Выдать реквизиты отмеченным и распечатать (PDF)").click()
    response = printed.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"

    pupil = User.objects.get(last_name="Новосельцев")
    mother = User.objects.get(last_name="Новосельцева")
    assert Enrollment.objects.filter(pupil=pupil, school_class=world.klass).exists()
    assert Guardianship.objects.filter(parent=mother, child=pupil, relation="mother").exists()
    assert set(CredentialIssue.objects.values_list("user", flat=True)) == {pupil.pk, mother.pk}


def test_an_import_with_two_broken_rows_writes_nothing_until_fixed(world, login_page):
    page = login_page(world.class_teacher)
    _to_class_people(page)
    page.get_by_role("link", name="Импорт списка класса").click()
    expect(page.get_by_role("heading", name="Импорт списка класса 5А")).to_be_visible()
    page.get_by_label("Файл списка класса (CSV или XLSX)").set_input_files(_csv(GOOD + BROKEN))
    page.get_by_role("button", name="Проверить файл").click()
    errors = page.locator("ul.import-errors li")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_have_text(re.compile(r"^Строка 5: не указано имя"))
    expect(errors.nth(1)).to_have_text(re.compile(r"^Строка 6: дата рождения «31.02.2015»"))
    expect(page.get_by_text(re.compile("ничего не записано"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Зачислить"))).to_have_count(0)
    assert_accessible(page)
    assert not User.objects.filter(last_name__in=["Громов", "Лисицына", "Кротов"]).exists()

    page.get_by_label("Файл списка класса (CSV или XLSX)").set_input_files(_csv(GOOD))
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.locator("ul.import-errors li")).to_have_count(0)
    page.get_by_role("button", name="Зачислить 3 ученика в класс").click()
    expect(page.get_by_text(re.compile("Зачислено учеников: 3"))).to_be_visible()
    expect(page.get_by_role("link", name="Громов Кирилл Олегович", exact=True)).to_be_visible()
    assert Enrollment.objects.filter(school_class=world.klass).count() == 4
    assert Guardianship.objects.filter(parent__last_name="Громова", parent__first_name="Алла").count() == 2


def test_the_administrator_finds_a_person_and_locks_the_account_after_the_confirmation(world, login_page):
    page = login_page(world.admin)
    page.get_by_role("navigation").first.get_by_role("link", name="Пользователи").click()
    page.get_by_label("Поиск").fill("Соколов")
    page.get_by_label("Роль").select_option(label="все")
    page.get_by_role("button", name="Найти").click()
    expect(page.get_by_text("Найден 1 человек")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Соколов Андрей Викторович").click()
    page.get_by_role("link", name="Заблокировать…").click()
    expect(page.get_by_role("heading", name="Заблокировать учётную запись: Соколов Андрей Викторович?")).to_be_visible()
    expect(page.get_by_text("Все открытые сеансы этого человека завершатся сразу.")).to_be_visible()
    assert_accessible(page)
    world.teacher.refresh_from_db()
    assert world.teacher.is_active
    page.get_by_label("Причина (для журнала аудита)").fill("Уволился")
    page.get_by_role("button", name="Заблокировать", exact=True).click()
    expect(page.get_by_text("Учётная запись заблокирована.")).to_be_visible()
    world.teacher.refresh_from_db()
    assert not world.teacher.is_active


def test_the_secretary_adds_a_pupil_to_a_class_from_the_menu(world, login_page):
    from accounts.models import RoleAssignment

    from . import factories as F

    secretary = F.UserFactory(school=world.school, last_name="Секретарёва")
    F.RoleFactory(user=secretary, school=world.school, role=RoleAssignment.Role.SECRETARY)
    page = login_page(secretary)
    page.get_by_role("navigation").first.get_by_role("link", name="Контингент").click()
    expect(page.get_by_role("heading", name=re.compile("Контингент: классы школы"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("row", name=re.compile("5Б")).get_by_role("link", name="Добавить ученика").click()
    page.get_by_label("Фамилия").fill("Новосельцев")
    page.get_by_label("Имя").fill("Илья")
    page.get_by_label("Дата рождения").fill("2015-03-04")
    page.get_by_role("button", name="Зачислить ученика").click()
    expect(page.get_by_text(re.compile("Ученик Новосельцев Илья зачислен в 5Б"))).to_be_visible()
    assert Enrollment.objects.filter(pupil__last_name="Новосельцев", school_class=world.other_class).exists()
