"""The administrator's people list (issue 15): every person reachable a page at a time
(it stopped silently at 500), search by name or login, filters by role and class; a
confirmation naming the consequences before locking an account or re-issuing
credentials; the Django admin's titles read as Russian."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, CredentialIssue, RoleAssignment, User

from . import factories as F

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.django_db]
PEOPLE = reverse("accounts:people")


def _names(resp):
    return [p.last_name for p in resp.context["people"]]


def test_more_than_500_people_are_all_reachable_by_pages(world, client_for):
    User.objects.bulk_create(
        [
            User(username=f"bulk{i:04d}", last_name=f"Яковлев{i:04d}", first_name="Юрий", school=world.school)
            for i in range(520)
        ]
    )
    c = client_for(world.admin)
    total = User.objects.filter(school=world.school).count()
    first = c.get(PEOPLE)
    assert first.context["page"].paginator.count == total and len(first.context["people"]) == 50
    last = c.get(PEOPLE, {"page": first.context["page"].paginator.num_pages})
    assert _names(last)[-1] == "Яковлев0519"
    assert "Страница 1 из" in first.content.decode()


def test_search_by_name_or_login_and_filters_keep_each_other(world, client_for):
    c = client_for(world.admin)
    assert _names(c.get(PEOPLE, {"q": "Мария"})) == ["Иванова"]
    assert _names(c.get(PEOPLE, {"q": "ivanova.a"})) == ["Иванова"]
    assert set(_names(c.get(PEOPLE, {"role": "deputy"}))) == {"Кравцова"}
    parents = c.get(PEOPLE, {"role": "parents"})
    assert set(_names(parents)) == {"Иванова", "Сидорова"}
    in_5a = c.get(PEOPLE, {"klass": world.klass.pk})
    assert {(p.last_name, p.first_name) for p in in_5a.context["people"]} == {("Иванова", "Мария"), ("Иванова", "Анна")}
    both = c.get(PEOPLE, {"klass": world.klass.pk, "role": "parents", "q": "Анна"})
    assert [p.username for p in both.context["people"]] == ["ivanova.a"]
    assert "role=parents" in both.context["query"] and "q=" in both.context["query"]


def test_a_foreign_class_in_the_filter_is_ignored(world, client_for):
    resp = client_for(world.admin).get(PEOPLE, {"klass": world.foreign_class.pk})
    assert resp.context["klass"] == "" and "Далёкий" not in _names(resp)


def test_locking_asks_first_naming_the_consequences_then_locks_with_the_reason(world, client_for):
    c = client_for(world.admin)
    url = reverse("accounts:set_active", args=[world.teacher.pk])
    page = c.get(url).content.decode()
    assert "Все открытые сеансы" in page and world.teacher.username in page
    world.teacher.refresh_from_db()
    assert world.teacher.is_active  # the GET changed nothing
    assert c.post(url, {"active": "0", "reason": "Уволен"}).status_code == 302
    world.teacher.refresh_from_db()
    assert not world.teacher.is_active
    assert AuditEvent.objects.get(action="account.lock").reason == "Уволен"


def test_reissuing_asks_first_and_names_who_loses_a_password(world, client_for):
    world.pupil.set_password("old-Pass-123")
    world.pupil.save()
    c = client_for(world.admin)
    page = c.get(reverse("accounts:issue_confirm"), {"ids": [world.pupil.pk, world.parent.pk]}).content.decode()
    assert "Выдать новые реквизиты 2 людям?" in page and "У 2 человек прежние пароли перестанут действовать" in page
    assert not CredentialIssue.objects.exists()
    person_page = c.get(reverse("accounts:person", args=[world.pupil.pk])).content.decode()
    assert reverse("accounts:issue_confirm") in person_page


def test_the_admin_titles_read_as_russian(world, client):
    su = F.UserFactory(school=world.school, is_staff=True, is_superuser=True)
    client.force_login(su)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Электронный журнал: настройка школы" in index
    listing = client.get(reverse("admin:journal_teachingassignment_changelist")).content.decode()
    assert "Учебная нагрузка — выберите запись для изменения" in listing
    assert "Выберите учебная нагрузка" not in listing
    add = client.get(reverse("admin:journal_teachingassignment_add")).content.decode()
    assert "Учебная нагрузка — новая запись" in add


def test_a_class_teacher_sees_her_families_only(world, client_for):
    names = _names(client_for(world.class_teacher).get(PEOPLE))
    assert sorted(names) == ["Иванова", "Иванова"]
    assert RoleAssignment.objects.filter(user=world.class_teacher).count() == 0
