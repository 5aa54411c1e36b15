"""The year-end check «Закрытие учебного года» (docs/DESIGN.md §3.25, issue 16 point 2):
what blocks closing, each with the link to the page that fixes it; for the deputy and
the director; within 20 queries for the small demo school."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import RoleAssignment
from journal import year_end
from journal.models import (
    AcademicYear,
    CorrectionRequest,
    Enrollment,
    PeriodMark,
    PromotionDecision,
    PromotionOrder,
    StudyPeriod,
)

from . import factories as F

JUNE = datetime(2027, 6, 10, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def _check(world):
    year = AcademicYear.objects.select_related("school").get(pk=world.year.pk)
    return year_end.check_year(year, JUNE)


def _fill_lessons(world):
    for lesson in world.lessons:
        lesson.topic = "Дроби"
        lesson.save()
        F.AttendanceRollFactory(lesson=lesson, taken_by=world.teacher)


def _period_marks(world, value="5"):
    for scheme, number in ((StudyPeriod.Scheme.QUARTER, 2), (StudyPeriod.Scheme.YEAR, 1)):
        period = world.year.periods.get(scheme=scheme, number=number)
        kind = PeriodMark.Kind.YEAR if scheme == StudyPeriod.Scheme.YEAR else PeriodMark.Kind.PERIOD
        F.PeriodMarkFactory(assignment=world.assignment, pupil=world.pupil, period=period, kind=kind, value=value)


def test_a_journal_missing_period_and_year_marks_is_listed_with_its_grid(world):
    check = _check(world)
    rows = [r for r in check.of(year_end.PERIOD_MARKS) if r.assignment == world.assignment]
    assert {r.period.scheme for r in rows} == {"quarter", "year"}
    for r in rows:
        assert r.pupils == [world.pupil]
        assert r.url == reverse("journal:grid_period", kwargs={"pk": world.assignment.pk, "period": r.period.pk})
    _period_marks(world)
    assert not [r for r in _check(world).of(year_end.PERIOD_MARKS) if r.assignment == world.assignment]


def test_unfilled_lessons_are_listed_with_the_first_one_and_vanish_once_filled(world):
    (row,) = [r for r in _check(world).of(year_end.UNFILLED) if r.assignment == world.assignment]
    assert row.count == 3 and row.first_day == date(2026, 11, 9)
    assert row.url == reverse("journal:lesson", kwargs={"pk": world.lessons[0].pk})
    _fill_lessons(world)
    assert not [r for r in _check(world).of(year_end.UNFILLED) if r.assignment == world.assignment]


def test_not_attested_pupils_open_corrections_and_outages_block(world):
    _period_marks(world, value="н/а")
    request = CorrectionRequest.objects.create(
        school=world.school,
        teacher=world.teacher,
        assignment=world.assignment,
        school_class=world.klass,
        subject=world.subject,
        date=date(2026, 11, 9),
        target=CorrectionRequest.Target.LESSON,
        lesson=world.lessons[0],
        reasons="Ошибочно выставлена отметка",
    )
    moscow = ZoneInfo("Europe/Moscow")
    outage = F.OutageFactory(
        school=world.school,
        start=datetime(2026, 11, 9, 8, 0, tzinfo=moscow),
        end=datetime(2026, 11, 9, 14, 0, tzinfo=moscow),
        created_by=world.deputy,
    )
    ongoing = F.OutageFactory(school=world.school, start=JUNE - timedelta(days=30), end=None, created_by=world.deputy)
    check = _check(world)
    (na,) = check.of(year_end.NOT_ATTESTED)
    assert na.pupils == [world.pupil] and na.obj.kind == PeriodMark.Kind.YEAR
    (corr,) = check.of(year_end.CORRECTIONS)
    assert corr.url == reverse("journal:correction", kwargs={"pk": request.pk})
    urls = {r.url for r in check.of(year_end.TEMP_JOURNALS)}
    assert urls == {reverse("journal:outage", kwargs={"pk": o.pk}) for o in (outage, ongoing)}
    assert not check.passed


def test_pupils_without_a_promotion_decision_block_with_the_promotion_page(world):
    """A closed year can no longer end its enrollments: the decisions come first (docs/DESIGN.md §3.26)."""
    rows = {r.school_class: r for r in _check(world).of(year_end.PROMOTION)}
    assert rows[world.klass].count == Enrollment.objects.on(world.year.end).filter(school_class=world.klass).count()
    assert rows[world.klass].url == reverse("journal:promotion_year", kwargs={"pk": world.year.pk})
    order = PromotionOrder.objects.create(
        year=world.year, number="87-о", date=date(2027, 6, 1), recorded_by=world.director
    )
    for e in Enrollment.objects.on(world.year.end).filter(school_class=world.klass):
        PromotionDecision.objects.create(
            order=order, year=world.year, pupil=e.pupil, from_class=world.klass, decision="left",
            decided_by=world.director,
        )  # fmt: skip
    assert world.klass not in {r.school_class for r in _check(world).of(year_end.PROMOTION)}


def test_the_page_lists_blockers_for_deputy_and_director_only(world, client_for):
    url = reverse("journal:year_end")
    for persona in ("deputy", "director"):
        with time_machine.travel(JUNE, tick=False):
            resp = client_for(world.personas[persona]).get(url)
        assert resp.status_code == 200
        html = resp.content.decode()
        assert "Закрытие учебного года" in html
        assert reverse("journal:lesson", kwargs={"pk": world.lessons[0].pk}) in html
        assert ("Закрыть год" in html) == (persona == "director")
    for persona in ("teacher", "class_teacher", "admin", "parent", "pupil"):
        assert client_for(world.personas[persona]).get(url).status_code == 403


def test_the_year_selector_shows_a_past_year(world, client_for):
    past = F.YearFactory(school=world.school, name="2025/2026", start=date(2025, 9, 1), end=date(2026, 5, 31))
    resp = client_for(world.director).get(reverse("journal:year_end"), {"year": past.pk})
    assert resp.status_code == 200 and resp.context["year"] == past
    assert resp.context["check"].passed


@pytest.fixture
def demo_school(db, small_demo):
    with time_machine.travel(JUNE, tick=True):
        yield small_demo


def test_the_check_page_of_the_small_demo_school_takes_at_most_20_queries(
    demo_school, client, django_assert_max_num_queries
):
    director = RoleAssignment.objects.filter(school=demo_school, role=RoleAssignment.Role.DIRECTOR).first().user
    client.force_login(director)
    client.get(reverse("home"))  # the session's first request (last-seen stamps) is not the page's
    with django_assert_max_num_queries(20):
        resp = client.get(reverse("journal:year_end"))
    assert resp.status_code == 200
    assert resp.context["check"].blockers > 0
