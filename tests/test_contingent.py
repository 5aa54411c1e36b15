"""The contingent (issue 15): the class teacher and the secretary create pupils with
their enrollment and parents (shared between siblings), audited in the same
transaction; duplicates and bad cards refused in Russian, nothing half-written."""

import re
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Guardianship, RoleAssignment, User
from journal.models import Enrollment
from journal.services import contingent
from journal.services.errors import NotAllowed, ServiceError

from . import factories as F

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.django_db]

PUPIL = {
    "last_name": "Новосельцев",
    "first_name": "Илья",
    "patronymic": "Сергеевич",
    "sex": "m",
    "birth_date": date(2015, 3, 4),
}
PARENT = {"last_name": "Новосельцева", "first_name": "Ольга", "patronymic": "Ивановна", "phone": "+7 916 123-45-67"}


def _secretary(world):
    user = F.UserFactory(school=world.school, last_name="Секретарёва")
    return F.RoleFactory(user=user, school=world.school, role=RoleAssignment.Role.SECRETARY).user


def test_the_class_teacher_creates_a_pupil_enrolled_today_and_audited(world):
    pupil = contingent.create_pupil(world.class_teacher, world.klass, **PUPIL)
    assert pupil.school_id == world.school.pk and pupil.birth_date == date(2015, 3, 4) and pupil.sex == "m"
    assert not pupil.has_usable_password() and pupil.username == "novoseltsev.i"
    e = Enrollment.objects.get(pupil=pupil)
    assert (e.school_class, e.start, e.end) == (world.klass, date(2026, 11, 20), None)
    actions = set(AuditEvent.objects.filter(actor=world.class_teacher).values_list("action", flat=True))
    assert {"account.create", "enrollment.create"} <= actions


def test_the_secretary_creates_a_pupil_in_any_class_and_a_parent(world):
    secretary = _secretary(world)
    pupil = contingent.create_pupil(secretary, world.other_class, **PUPIL)
    enrollment = Enrollment.objects.get(pupil=pupil)
    parent, created = contingent.add_parent(secretary, pupil, enrollment, **PARENT)
    assert created and Guardianship.objects.filter(parent=parent, child=pupil).exists()


@pytest.mark.parametrize("who", ["teacher", "deputy", "director", "outsider", "pupil", "parent"])
def test_others_may_not_create_pupils(world, who):
    with pytest.raises(NotAllowed):
        contingent.create_pupil(getattr(world, who), world.klass, **PUPIL)
    assert not User.objects.filter(last_name="Новосельцев").exists()


def test_another_class_teacher_may_not_create_in_5a(world):
    with pytest.raises(NotAllowed):
        contingent.create_pupil(world.class_teacher, world.other_class, **PUPIL)


def test_a_pupil_with_the_same_name_and_birth_date_is_refused_naming_the_existing_one(world):
    contingent.create_pupil(world.class_teacher, world.klass, **PUPIL)
    with pytest.raises(ServiceError) as e:
        contingent.create_pupil(world.class_teacher, world.klass, **{**PUPIL, "last_name": "новосельцев"})
    assert e.value.code == "duplicate" and "04.03.2015" in e.value.message and "novoseltsev.i" in e.value.message
    assert User.objects.filter(last_name__iexact="Новосельцев").count() == 1


@pytest.mark.parametrize(
    ("card", "words"),
    [
        ({"last_name": ""}, "не указана фамилия"),
        ({"birth_date": None}, "не указана дата рождения"),
        ({"birth_date": date(2027, 1, 1)}, "дата рождения в будущем"),
        ({"sex": "x"}, "пол указан неверно"),
    ],
)
def test_a_bad_card_is_refused_naming_the_field_and_nothing_is_written(world, card, words):
    with pytest.raises(ServiceError) as e:
        contingent.create_pupil(world.class_teacher, world.klass, **{**PUPIL, **card})
    assert words in e.value.message
    assert not Enrollment.objects.filter(school_class=world.klass).exclude(pupil=world.pupil).exists()


def test_siblings_share_a_parent_found_by_name_and_phone(world):
    first = contingent.create_pupil(world.class_teacher, world.klass, **PUPIL)
    parent, created = contingent.add_parent(
        world.class_teacher, first, Enrollment.objects.get(pupil=first), relation="mother", **PARENT
    )
    assert created
    second = contingent.create_pupil(
        world.class_teacher, world.klass, **{**PUPIL, "first_name": "Анна", "sex": "f", "birth_date": date(2016, 5, 6)}
    )
    # the same mother typed with another phone format
    again, created = contingent.add_parent(
        world.class_teacher, second, Enrollment.objects.get(pupil=second), **{**PARENT, "phone": "8 (916) 1234567"}
    )
    assert not created and again == parent
    assert set(Guardianship.objects.filter(parent=parent).values_list("child", flat=True)) == {first.pk, second.pk}
    assert User.objects.filter(last_name="Новосельцева").count() == 1


def test_a_parent_found_by_e_mail_too(world):
    child = contingent.create_pupil(world.class_teacher, world.klass, **PUPIL)
    card = {"last_name": "Иванова", "first_name": "Анна", "patronymic": "Петровна", "email": "IVANOVA@example.ru"}
    parent, created = contingent.add_parent(world.class_teacher, child, Enrollment.objects.get(pupil=child), **card)
    assert not created and parent == world.parent


def test_a_parent_without_a_phone_or_e_mail_is_refused(world):
    e = Enrollment.objects.get(pupil=world.pupil)
    with pytest.raises(ServiceError) as err:
        contingent.add_parent(world.class_teacher, world.pupil, e, **{**PARENT, "phone": ""})
    assert "ни телефон, ни e-mail" in err.value.message
    assert not User.objects.filter(last_name="Новосельцева").exists()


# --- pages ----------------------------------------------------------------------------


def test_the_pupil_form_keeps_what_was_typed_and_says_why(world, client_for):
    contingent.create_pupil(world.class_teacher, world.klass, **PUPIL)
    c = client_for(world.class_teacher)
    r = c.post(
        reverse("journal:pupil_new", args=[world.klass.pk]),
        {
            "last_name": "Новосельцев",
            "first_name": "Илья",
            "patronymic": "Сергеевич",
            "sex": "m",
            "birth_date": "2015-03-04",
        },
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "уже есть в школе" in body and 'value="Новосельцев"' in body and 'value="2015-03-04"' in body


def test_from_the_class_people_page_to_a_pupil_and_a_parent(world, client_for):
    c = client_for(world.class_teacher)
    page = c.get(reverse("journal:class_people", args=[world.klass.pk])).content.decode()
    assert reverse("journal:pupil_new", args=[world.klass.pk]) in page
    assert reverse("journal:class_import", args=[world.klass.pk]) in page
    r = c.post(reverse("journal:pupil_new", args=[world.klass.pk]), {**PUPIL, "birth_date": "2015-03-04"})
    pupil = User.objects.get(last_name="Новосельцев")
    assert r.status_code == 302 and r.url == reverse("journal:parent_new", args=[pupil.pk])
    r = c.post(reverse("journal:parent_new", args=[pupil.pk]), {**PARENT, "relation": "mother"})
    assert r.status_code == 302 and r.url == reverse("journal:class_people", args=[world.klass.pk])
    page = c.get(reverse("journal:class_people", args=[world.klass.pk])).content.decode()
    assert "Новосельцев Илья" in page and "Новосельцева Ольга" in page


def test_the_secretary_reaches_classes_from_the_menu_and_issues_slips(world, client_for):
    secretary = _secretary(world)
    c = client_for(secretary)
    assert reverse("journal:contingent_classes") in c.get(reverse("home")).content.decode()
    assert "5Б" in c.get(reverse("journal:contingent_classes")).content.decode()
    page = c.get(reverse("journal:class_people", args=[world.other_class.pk])).content.decode()
    assert f'value="{world.other_pupil.pk}"' in page  # a checkbox: she issues the slips
    r = c.post(reverse("accounts:issue_slips"), {"ids": [world.other_pupil.pk, world.other_parent.pk]})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", ["admin", "secretary", "class_teacher"])
def test_every_link_of_the_class_people_page_opens_for_who_sees_it(world, client, who):
    """No dead ends: the administrator and the secretary keep the contingent but do not
    read pupils' cards, so the names are not links for them (they were, to a 404)."""
    user = _secretary(world) if who == "secretary" else world.personas[who]
    client.force_login(user)
    page = client.get(reverse("journal:class_people", args=[world.klass.pk])).content.decode()
    links = set(re.findall(r'<a href="(/[^"?#]*)', page))
    assert reverse("journal:pupil_new", args=[world.klass.pk]) in links or who == "class_teacher"
    card = reverse("journal:pupil_card", args=[world.pupil.pk])
    assert (card in links) == (who == "class_teacher")
    dead = {url: code for url in links if (code := client.get(url).status_code) == 404}
    assert not dead
