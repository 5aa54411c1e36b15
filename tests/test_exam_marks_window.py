"""Exam and final marks have their own window: the exams of grades 9 and 11 are in June,
after the year marks have closed; the journals are printed by 30 June."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from journal import services
from journal.models import PeriodMark, StudyPeriod
from journal.rules import at
from journal.services import ServiceError

from . import factories as F

JUNE_20 = at(date(2027, 6, 20), time(12))


@pytest.fixture
def ninth(world):
    """9А with its mathematics journal (kept by world.teacher) and one pupil."""
    klass = F.ClassFactory(year=world.year, grade=9, letter="А")
    assignment = F.AssignmentFactory(school_class=klass, subject=world.subject, teacher=world.teacher)
    pupil = F.EnrollmentFactory(school_class=klass).pupil
    return assignment, pupil


def period(world, scheme, number=1):
    return StudyPeriod.objects.get(year=world.year, scheme=scheme, number=number)


def set_pm(world, ninth, *, kind, period_obj, now, value="5"):
    assignment, pupil = ninth
    return services.set_period_mark(
        world.teacher,
        assignment_id=assignment.pk,
        pupil_id=pupil.pk,
        period_id=period_obj.pk,
        kind=kind,
        value=value,
        now=now,
    )


def test_an_exam_mark_on_20_june_is_accepted(world, ninth):
    year = period(world, "year")
    assert set_pm(world, ninth, kind="exam", period_obj=year, now=JUNE_20).value == "5"
    assert set_pm(world, ninth, kind="final", period_obj=year, now=JUNE_20, value="4").value == "4"
    assert set(PeriodMark.objects.values_list("kind", "value")) == {("exam", "5"), ("final", "4")}


def test_a_quarter_or_year_mark_on_20_june_is_refused_in_russian(world, ninth):
    with pytest.raises(ServiceError) as e:
        set_pm(world, ninth, kind="period", period_obj=period(world, "quarter", 4), now=JUNE_20)
    assert e.value.code == "window_closed"
    assert e.value.message.startswith("Итоговые отметки выставляются с 25.05.2027 по 31.05.2027.")
    with pytest.raises(ServiceError) as e:
        set_pm(world, ninth, kind="year", period_obj=period(world, "year"), now=JUNE_20)
    assert e.value.code == "window_closed"
    assert not PeriodMark.objects.exists()


def test_the_exam_window_ends_on_30_june_unless_the_school_sets_its_own_date(world, ninth):
    year = period(world, "year")
    assert set_pm(world, ninth, kind="exam", period_obj=year, now=at(date(2027, 6, 30), time(23, 30))).value == "5"
    with pytest.raises(ServiceError) as e:
        set_pm(world, ninth, kind="exam", period_obj=year, now=at(date(2027, 7, 1), time(9)), value="4")
    assert e.value.message.startswith("Экзаменационные и итоговые отметки выставляются с 25.05.2027 по 30.06.2027.")
    with pytest.raises(ServiceError, match="выставляются с 25.05.2027"):
        set_pm(world, ninth, kind="final", period_obj=year, now=at(date(2027, 5, 24), time(12)))

    world.year.exam_marks_deadline = date(2027, 7, 5)
    world.year.save()
    assert set_pm(world, ninth, kind="exam", period_obj=year, now=at(date(2027, 7, 3), time(9)), value="4").value == "4"


def test_the_year_grid_on_20_june_takes_exam_marks_and_explains_a_year_mark(world, ninth, client_for):
    assignment, pupil = ninth
    year = period(world, "year")
    with time_machine.travel(datetime(2027, 6, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True):
        client = client_for(world.teacher)  # a session of that day
        page = client.get(reverse("journal:grid_period", kwargs={"pk": assignment.pk, "period": year.pk}))
        html = page.content.decode()
        assert 'data-pm-ro="0"' in html
        assert "экзаменационные и итоговые: 25.05.2027–30.06.2027" in html

        url = reverse("journal:period_mark", kwargs={"pk": assignment.pk, "period": year.pk})
        exam = client.post(url, {"p": pupil.pk, "v": 0, "value": "5", "kind": "exam"})
        assert exam.status_code == 200
        year_mark = client.post(url, {"p": pupil.pk, "v": 0, "value": "5", "kind": "year"})
        assert year_mark.status_code == 422
        assert "Итоговые отметки выставляются с 25.05.2027 по 31.05.2027" in year_mark.content.decode()
    assert list(PeriodMark.objects.values_list("kind", "value")) == [("exam", "5")]
