"""Past years stay readable (issue 16, point 6; docs/DESIGN.md §4.6): the reports
page and the diary's marks take `?year=<pk>` of a year of the user's school, and build the
reports of that year with its classes as they were (tests/past_year_data.py). A year of
another school, or an id that is not one, is "not found"."""

import pytest
from django.http import Http404
from django.urls import reverse

from journal.access import get_year_for_user, years_of
from reports.models import ReportJob

from .past_year_data import build_past_year


@pytest.fixture
def past(world):
    return build_past_year(world)


def test_years_of_the_user_are_the_school_years_newest_first(world, past):
    assert list(years_of(world.deputy)) == [world.year, past.year]
    assert list(years_of(world.parent)) == [world.year, past.year]
    assert list(years_of(world.outsider)) == [world.foreign_class.year]
    assert get_year_for_user(world.deputy, past.year.pk) == past.year
    with pytest.raises(Http404):
        get_year_for_user(world.deputy, world.foreign_class.year.pk)
    with pytest.raises(Http404):
        get_year_for_user(world.outsider, past.year.pk)


def test_the_reports_page_lists_the_chosen_years_classes(world, past, client_for):
    client = client_for(world.deputy)
    now = client.get(reverse("reports:index"))
    assert now.context["year"] == world.year
    assert [str(c) for c in now.context["school_classes"]] == ["5А", "5Б"]
    html = now.content.decode()
    assert '<select name="year">' in html and "2025/2026" in html
    then = client.get(reverse("reports:index"), {"year": past.year.pk})
    assert then.context["year"] == past.year
    assert [str(c) for c in then.context["school_classes"]] == ["4А"]
    # The form builds the chosen year's reports: its classes, its periods, the year sent along.
    html = then.content.decode()
    assert f'<input type="hidden" name="year" value="{past.year.pk}">' in html
    assert [str(c) for c in then.context["form"].classes.values()] == ["4А"]
    assert {p.year_id for p in then.context["form"].periods.values()} == {past.year.pk}


def test_a_past_years_summary_sheet_shows_its_class_and_marks(world, past, client_for):
    resp = client_for(world.deputy).get(reverse("reports:class_report", args=[past.klass.pk, "summary_marks"]))
    assert resp.status_code == 200
    body = resp.context["body"]
    assert "Класс: 4А" in body and "2025/2026 учебный год" in body
    (part,) = resp.context["report"].parts
    rows = [r.values for r in part.blocks[0].rows]
    assert [v[1] for v in rows] == ["Иванова Мария Алексеевна", "Титов Глеб"]
    assert [v[2] for v in rows] == ["4", "3"]  # 1st quarter
    assert [v[6] for v in rows] == ["5", "4"]  # the year


def test_a_school_report_is_built_for_the_chosen_year(world, past, client_for):
    client = client_for(world.deputy)
    resp = client.get(reverse("reports:school_report", args=["movement_dynamics"]), {"year": past.year.pk})
    assert resp.status_code == 200
    assert resp.context["obj"] == past.year
    assert "2025/2026" in resp.content.decode()
    assert (
        f'name="year" value="{past.year.pk}"'
        in client.get(reverse("reports:school_report", args=["class_sizes"]), {"year": past.year.pk}).content.decode()
    )
    default = client.get(reverse("reports:school_report", args=["movement_dynamics"]))
    assert default.context["obj"] == world.year


def test_a_past_years_archive_job_is_ordered_for_that_year(world, past, client_for):
    resp = client_for(world.deputy).post(
        reverse("reports:job_create"), {"kind": "school_summaries", "year": past.year.pk}
    )
    assert resp.status_code == 302
    job = ReportJob.objects.get()
    assert job.params["object"] == past.year.pk
    assert "2025/2026" in job.title


@pytest.mark.parametrize("raw", ["foreign", "abc", "99999999"])
def test_the_year_selector_refuses_another_schools_year(world, past, client_for, raw):
    year = {"foreign": world.foreign_class.year.pk, "abc": "abc", "99999999": 99999999}[raw]
    client = client_for(world.deputy)
    assert client.get(reverse("reports:index"), {"year": year}).status_code == 404
    assert client.get(reverse("reports:school_report", args=["class_sizes"]), {"year": year}).status_code == 404
    assert client.post(reverse("reports:job_create"), {"kind": "school_summaries", "year": year}).status_code == 404
    parent = client_for(world.parent)
    assert parent.get(reverse("diary:marks", args=[world.pupil.pk]), {"year": year}).status_code == 404
    assert not ReportJob.objects.exists()


def test_the_outsider_cannot_read_this_schools_past_year(world, past, client_for):
    client = client_for(world.outsider)
    assert client.get(reverse("reports:index"), {"year": past.year.pk}).status_code == 404
    assert client.get(reverse("reports:class_report", args=[past.klass.pk, "summary_marks"])).status_code == 404


def test_the_diary_shows_a_past_years_class_and_marks(world, past, client_for):
    client = client_for(world.parent)
    url = reverse("diary:marks", args=[world.pupil.pk])
    now = client.get(url)
    assert now.context["progress"].school_class == world.klass
    assert now.context["years"] == [world.year, past.year]
    then = client.get(url, {"year": past.year.pk})
    progress = then.context["progress"]
    assert progress.school_class == past.klass and progress.year == past.year
    assert [(r.subject.name, r.year) for r in progress.year_marks] == [("Математика", "5")]
    q1 = past.year.periods.get(scheme="quarter", number=1)
    first = client.get(url, {"year": past.year.pk, "period": q1.pk}).context["progress"]
    assert first.period == q1 and [r.period_mark for r in first.rows] == ["4"]
    html = then.content.decode()
    assert "Учебный год" in html and f'<option value="{past.year.pk}" selected>2025/2026</option>' in html
