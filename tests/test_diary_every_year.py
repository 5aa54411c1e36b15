"""Every year readable (issue 20, docs/DESIGN.md §4.6): the diary week and the marks page
let the family pick any year the pupil was at the school."""

from datetime import date

import pytest
from django.urls import reverse

from . import factories as F
from .past_year_data import build_past_year

pytestmark = pytest.mark.usefixtures("school_day")


def test_the_week_offers_every_year_of_the_pupil_and_opens_it(world, client_for):
    w = world
    past = build_past_year(world)
    lesson = F.LessonFactory(
        assignment=past.maths, date=date(2026, 5, 29), bell=F.BellFactory(school=w.school), topic="Повторение"
    )
    c = client_for(w.parent)
    url = reverse("diary:week", args=[w.pupil.pk])
    html = c.get(url).content.decode()
    assert 'name="year"' in html and past.year.name in html and w.year.name in html
    html = c.get(url, {"year": past.year.pk}).content.decode()
    assert "Повторение" in html and f'data-lesson="{lesson.pk}"' in html and "4А" in html
    marks = c.get(reverse("diary:marks", args=[w.pupil.pk])).content.decode()
    assert past.year.name in marks  # the marks page offers the past year too


def test_a_year_of_another_school_is_not_found(world, client_for):
    w = world
    foreign_year = w.foreign_class.year
    c = client_for(w.parent)
    assert c.get(reverse("diary:week", args=[w.pupil.pk]), {"year": foreign_year.pk}).status_code == 404
    assert c.get(reverse("diary:week", args=[w.pupil.pk]), {"year": "x"}).status_code == 404
