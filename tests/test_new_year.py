"""«Следующий учебный год из прошлого» (docs/DESIGN.md §3.26): the administrator's wizard
makes the next year from the last — calendar, classes one grade up, curriculum, loads,
class teachers, the timetable empty or as a draft — all at once or not at all."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import AuditEvent
from journal.models import (
    AcademicYear,
    CurriculumLine,
    Holidays,
    SchoolClass,
    StudyPeriod,
    TeachingAssignment,
    TimetableEntry,
)
from journal.services import new_year as service
from journal.services import new_year_calendar as nyc
from journal.services.errors import NotAllowed, ServiceError

from . import factories as F

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture
def eleventh(world):
    klass = F.ClassFactory(year=world.year, grade=11, letter="А")
    F.EnrollmentFactory(school_class=klass)
    return klass


def _make(world, **kw):
    args = {"from_year_id": world.year.pk, "name": "2027/2028", "start": date(2027, 9, 1), "end": date(2028, 5, 31)}
    return service.create_next_year(world.admin, **(args | kw))


def test_the_calendar_keeps_the_year_days_and_the_weekdays_of_periods_and_holidays(world):
    start, end = nyc.proposed_dates(world.year)
    assert (start, end) == (date(2027, 9, 1), date(2028, 5, 31))
    plan = nyc.plan_calendar(world.year, start=start, end=end)
    assert plan.name == "2027/2028"
    autumn = next(h for h in plan.holidays if h.name == "Осенние каникулы")
    old = world.year.holidays.get(name="Осенние каникулы")
    assert autumn.start.weekday() == old.start.weekday()
    assert (autumn.end - autumn.start) == (old.end - old.start)
    quarters = [p for p in plan.periods if p.scheme == "quarter"]
    assert quarters[0].start == start and quarters[-1].end == end
    for q in quarters[1:]:
        assert q.start.weekday() < 5  # a period starts on a working day


def test_a_sunday_first_of_september_moves_to_monday():
    year = AcademicYear(name="2028/2029", start=date(2028, 9, 1), end=date(2029, 5, 31))
    assert nyc.proposed_dates(year)[0] == date(2029, 9, 3)  # 1.09.2029 is a Saturday


def test_the_wizard_makes_the_year_its_classes_one_grade_up_and_their_loads(world, eleventh):
    line = CurriculumLine.objects.create(school_class=world.klass, subject=world.subject, hours_per_week=5,
                                         hours_per_year=170)  # fmt: skip
    year = _make(world, first_letters=["А", "Б"])
    assert year.name == "2027/2028"
    assert StudyPeriod.objects.filter(year=year).count() == world.year.periods.count()
    assert Holidays.objects.filter(year=year).count() == world.year.holidays.count()
    names = sorted(str(k) for k in SchoolClass.objects.filter(year=year))
    assert names == ["1А", "1Б", "6А", "6Б"]  # 11А graduates: no 12th class
    six_a = SchoolClass.objects.get(year=year, grade=6, letter="А")
    assert six_a.carried_from == world.klass
    assert six_a.class_teacher == world.class_teacher
    assert CurriculumLine.objects.get(school_class=six_a).hours_per_week == line.hours_per_week
    load = TeachingAssignment.objects.get(school_class=six_a)
    assert (load.teacher, load.subject) == (world.teacher, world.subject)
    assert world.teacher.has_perm("journal.fill_journal", load)
    # 5Б has no curriculum line: no load is copied without one
    assert not TeachingAssignment.objects.filter(school_class__year=year, school_class__letter="Б").exists()
    assert AuditEvent.objects.filter(action="setup.next_year", object_id=str(year.pk)).exists()
    assert AuditEvent.objects.filter(action="structure.assignment_create", object_id=str(load.pk)).exists()


def test_the_timetable_is_copied_as_a_draft_from_the_new_year_first_day(world):
    CurriculumLine.objects.create(school_class=world.klass, subject=world.subject, hours_per_week=5,
                                  hours_per_year=170)  # fmt: skip
    F.TimetableFactory(assignment=world.assignment, weekday=1, bell=world.lessons[0].bell, valid_from=world.year.start)
    year = _make(world, timetable=service.TIMETABLE_DRAFT)
    entry = TimetableEntry.objects.get(assignment__school_class__year=year)
    assert (entry.weekday, entry.valid_from, entry.valid_to) == (1, year.start, None)


def test_the_timetable_starts_empty_by_default(world):
    F.TimetableFactory(assignment=world.assignment, weekday=1, bell=world.lessons[0].bell, valid_from=world.year.start)
    year = _make(world)
    assert not TimetableEntry.objects.filter(assignment__school_class__year=year).exists()


def test_a_new_year_overlapping_the_old_one_is_refused_and_nothing_is_written(world):
    with pytest.raises(ServiceError, match="должен начинаться после окончания года 2026/2027"):
        _make(world, start=date(2027, 5, 1))
    assert AcademicYear.objects.filter(school=world.school).count() == 1


def test_a_letter_clash_in_the_new_year_is_refused_and_nothing_is_written(world):
    with pytest.raises(ServiceError, match="Класс 6А в новом году получается дважды"):
        _make(world, letters={world.other_class.pk: "А"})
    assert AcademicYear.objects.filter(school=world.school).count() == 1
    assert SchoolClass.objects.filter(year__school=world.school).count() == 2


def test_the_wizard_runs_once_per_year(world):
    _make(world)
    with pytest.raises(ServiceError, match="уже создан"):
        _make(world, name="2028/2029", start=date(2028, 9, 1), end=date(2029, 5, 31))


def test_only_the_administrator_runs_the_wizard(world):
    with pytest.raises(NotAllowed):
        service.create_next_year(world.director, from_year_id=world.year.pk, name="2027/2028",
                                 start=date(2027, 9, 1), end=date(2028, 5, 31))  # fmt: skip


# --- the pages -------------------------------------------------------------------------------


def _post(world, **kw):
    data = {"name": "2027/2028", "start": "2027-09-01", "end": "2028-05-31", "first_letters": "А",
            "timetable": "empty"}  # fmt: skip
    for k in (world.klass, world.other_class):
        data[f"letter_{k.pk}"] = k.letter
    return data | kw


def test_the_wizard_page_proposes_the_next_year(world, client_for):
    html = client_for(world.admin).get(reverse("journal:setup_new_year")).content.decode()
    assert 'value="2027/2028"' in html and 'value="2027-09-01"' in html
    assert "Осенние каникулы" in html


def test_the_wizard_page_creates_the_year_and_goes_to_it(world, client_for):
    response = client_for(world.admin).post(reverse("journal:setup_new_year"), _post(world))
    year = AcademicYear.objects.get(school=world.school, name="2027/2028")
    assert response.status_code == 302 and response.url == reverse("journal:setup_year", kwargs={"pk": year.pk})


def test_after_the_wizard_the_page_says_the_year_is_made_and_proposes_no_year_after_it(world, client_for):
    made = _make(world)
    html = client_for(world.admin).get(reverse("journal:setup_new_year")).content.decode()
    assert "Следующий год уже создан: 2027/2028" in html
    assert 'value="2028/2029"' not in html  # the new year, not begun, is no start for another
    with pytest.raises(ServiceError, match="ещё не начался"):
        service.create_next_year(world.admin, from_year_id=made.pk, name="2028/2029",
                                 start=date(2028, 9, 1), end=date(2029, 5, 31))  # fmt: skip


def test_the_contingent_page_lists_the_next_years_classes_for_the_summer(world, client_for):
    _make(world)
    html = client_for(world.admin).get(reverse("journal:contingent_classes")).content.decode()
    assert "Следующий учебный год 2027/2028" in html
    new_first = SchoolClass.objects.get(year__name="2027/2028", grade=6, letter=world.klass.letter)
    assert reverse("journal:pupil_new", kwargs={"pk": new_first.pk}) in html


def test_a_letter_clash_on_the_page_keeps_what_was_typed(world, client_for):
    data = _post(world, **{f"letter_{world.other_class.pk}": "А"}, name="2027-2028 новый")
    response = client_for(world.admin).post(reverse("journal:setup_new_year"), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Класс 6А в новом году получается дважды" in html
    assert 'value="2027-2028 новый"' in html
    assert not AcademicYear.objects.filter(school=world.school, start__year=2027).exists()


def test_setup_and_home_link_to_the_wizard(world, client_for):
    client = client_for(world.admin)
    assert reverse("journal:setup_new_year") in client.get(reverse("journal:setup")).content.decode()
    with time_machine.travel(datetime(2027, 5, 20, 12, tzinfo=MSK)):
        html = client_for(world.admin).get(reverse("home")).content.decode()
    assert "Конец учебного года" in html and reverse("journal:setup_new_year") in html
    with time_machine.travel(datetime(2027, 3, 20, 12, tzinfo=MSK)):
        assert "Конец учебного года" not in client_for(world.admin).get(reverse("home")).content.decode()


def test_the_old_year_stays_current_until_the_new_one_begins(world):
    from journal.access import current_year

    made = _make(world)
    assert current_year(world.school, date(2027, 6, 20)) == world.year
    assert current_year(world.school, date(2027, 9, 1)) == made
