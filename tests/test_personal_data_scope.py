"""Issue 18, F10: personal data (birth dates, phones, e-mails, logins, credential dates)
only for the class teacher of the pupil's class, the administration and the family
itself (docs/DESIGN.md §1.3); a subject teacher sees names and marks."""

from datetime import date

import pytest
from django.urls import reverse

from accounts import services

BIRTH = "14.03.2015"
PHONE = "+7 912 345-67-89"


@pytest.fixture
def family(world):
    world.pupil.birth_date = date(2015, 3, 14)
    world.pupil.save(update_fields=["birth_date"])
    world.parent.phone = PHONE
    world.parent.save(update_fields=["phone"])
    services.issue_credentials(world.class_teacher, [world.pupil, world.parent])
    for person in (world.pupil, world.parent):  # the slips were used and the passwords changed
        person.refresh_from_db()
        person.must_change_password = False
        person.save(update_fields=["must_change_password"])
    return world


def _card(client, world):
    resp = client.get(reverse("journal:pupil_card", args=[world.pupil.pk]))
    assert resp.status_code == 200
    return resp.content.decode()


def test_a_subject_teacher_sees_the_pupils_and_parents_names_but_no_personal_data(family, client_for):
    page = _card(client_for(family.teacher), family)

    assert "Иванова Мария" in page and "Иванова Анна" in page
    for secret in (BIRTH, PHONE, family.parent.email, "Согласие на обработку"):
        assert secret not in page
    assert "видны классному руководителю" in page


@pytest.mark.parametrize("persona", ["class_teacher", "deputy", "director", "parent", "pupil"])
def test_the_class_teacher_the_administration_and_the_family_see_the_card(family, client_for, persona):
    page = _card(client_for(getattr(family, persona)), family)

    assert BIRTH in page and PHONE in page and family.parent.email in page


def test_the_class_list_shows_logins_and_credential_dates_only_to_the_class_teacher_and_administration(
    family, client_for
):
    url = reverse("journal:class_people", args=[family.klass.pk])
    teacher_page = client_for(family.teacher).get(url).content.decode()
    assert "Иванова Мария" in teacher_page  # the names, for the lesson
    for secret in (family.pupil.username, family.parent.username, "Реквизиты выданы", "Логин"):
        assert secret not in teacher_page

    for persona in ("class_teacher", "deputy"):
        page = client_for(getattr(family, persona)).get(url).content.decode()
        assert family.pupil.username in page and family.parent.username in page and "Реквизиты выданы" in page


def test_the_predicates_follow_the_class_and_the_school(family):
    from journal.access import can_see_class_personal_data, can_see_personal_data

    w = family
    assert can_see_personal_data(w.class_teacher, w.pupil) and can_see_personal_data(w.class_teacher, w.parent)
    assert not can_see_personal_data(w.teacher, w.pupil) and not can_see_personal_data(w.teacher, w.parent)
    # Another class's family, and another school's pupil, are nobody's business here.
    assert not can_see_personal_data(w.class_teacher, w.other_pupil)
    assert not can_see_personal_data(w.other_parent, w.pupil)
    assert not can_see_personal_data(w.outsider, w.pupil)
    assert can_see_personal_data(w.admin, w.pupil) and can_see_personal_data(w.parent, w.pupil)
    assert can_see_class_personal_data(w.class_teacher, w.klass)
    assert not can_see_class_personal_data(w.class_teacher, w.other_class)
    assert not can_see_class_personal_data(w.teacher, w.klass)
    assert not can_see_class_personal_data(w.outsider, w.klass)
