"""«Учебный год» on «Мои журналы» and «Журналы школы» (issue 16 point 6): a past year's
journals open with the classes as they were; another school's year is not found."""

from datetime import date

import pytest
from django.http import Http404
from django.urls import reverse

from journal import access

from . import factories as F


@pytest.fixture
def past(world):
    year = F.YearFactory(school=world.school, name="2025/2026", start=date(2025, 9, 1), end=date(2026, 5, 31))
    klass = F.ClassFactory(year=year, grade=4, letter="А", class_teacher=world.class_teacher)
    journal = F.AssignmentFactory(school_class=klass, subject=world.subject, teacher=world.teacher)
    return year, klass, journal


def test_years_of_lists_the_schools_years_newest_first_and_another_schools_is_404(world, past):
    year, _klass, _journal = past
    assert list(access.years_of(world.director)) == [world.year, year]
    assert access.get_year_for_user(world.teacher, year.pk) == year
    with pytest.raises(Http404):
        access.get_year_for_user(world.director, world.foreign_class.year.pk)


def test_school_journals_of_a_past_year_show_its_classes(world, past, client_for):
    year, klass, _journal = past
    director = client_for(world.director)
    now = director.get(reverse("journal:school_journals"))
    assert klass not in now.context["classes"] and world.klass in now.context["classes"]
    then = director.get(reverse("journal:school_journals"), {"year": year.pk})
    assert then.status_code == 200 and then.context["classes"] == [klass]
    html = then.content.decode()
    assert 'name="year"' in html and "2025/2026" in html
    assert reverse("journal:class_page", kwargs={"pk": klass.pk}) in html
    assert director.get(reverse("journal:school_journals"), {"year": world.foreign_class.year.pk}).status_code == 404


def test_my_journals_of_a_past_year(world, past, client_for):
    year, _klass, journal = past
    teacher = client_for(world.teacher)
    then = teacher.get(reverse("journal:my_journals"), {"year": year.pk})
    assert [r.assignment for r in then.context["rows"]] == [journal]
    assert reverse("journal:grid", kwargs={"pk": journal.pk}) in then.content.decode()
    now = teacher.get(reverse("journal:my_journals"))
    assert [r.assignment for r in now.context["rows"]] == [world.assignment]
    assert teacher.get(reverse("journal:my_journals"), {"year": "x"}).status_code == 404
