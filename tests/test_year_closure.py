"""A closed year is read-only in PostgreSQL itself (docs/DESIGN.md §3.25, issue 16 point 5).

The director closes the year (with an override reason while the year-end check finds
blockers), the audit trail records it; from then on raw SQL, the services, the pages and
the admin site are all refused, with a Russian message and never a 500; the director's
recorded reopening is the only way to correct a closed year.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.models import AuditEvent
from journal import access, services
from journal.models import AcademicYear, Enrollment, Mark, PeriodMark, PromotionOrder
from journal.services import year_closure
from journal.services.errors import NotAllowed, YearClosed, closed_year_error

from . import factories as F

JUNE = datetime(2027, 6, 10, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))
NOV = datetime(2026, 11, 9, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))
OVERRIDE = "По приказу № 45 от 10.06.2027"


@pytest.fixture
def mark(world):
    lesson = world.lessons[0]
    assessment = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    return F.MarkFactory(assessment=assessment, pupil=world.pupil, value="4")


def _closed(world):
    year = year_closure.close_year(world.director, world.year, OVERRIDE, now=JUNE)
    assert year.is_closed
    return year


def _refused(sql, params):
    """Run raw SQL in a savepoint and return the database's refusal."""
    with pytest.raises(DatabaseError) as err, transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)
    return err.value


# --- PostgreSQL refuses ----------------------------------------------------------------


def test_raw_sql_update_and_delete_of_a_closed_years_mark_are_refused_by_postgresql(world, mark):
    _closed(world)
    for sql in ("UPDATE journal_mark SET value = '5' WHERE id = %s", "DELETE FROM journal_mark WHERE id = %s"):
        refusal = _refused(sql, [mark.pk])
        assert refusal.__cause__.sqlstate == "EJ001"
        assert "закрыт" in str(refusal)
    assert Mark.objects.get(pk=mark.pk).value == "4"


def test_raw_sql_update_and_delete_of_a_closed_years_enrollment_are_refused_by_postgresql(world):
    enrollment = Enrollment.objects.get(pupil=world.pupil)
    _closed(world)
    _refused("UPDATE journal_enrollment SET \"end\" = '2027-01-01' WHERE id = %s", [enrollment.pk])
    _refused("DELETE FROM journal_enrollment WHERE id = %s", [enrollment.pk])
    assert Enrollment.objects.get(pk=enrollment.pk).end is None


def test_inserting_into_a_closed_year_is_refused_and_the_message_names_the_year(world):
    _closed(world)
    period = world.year.periods.get(scheme="year")
    with pytest.raises(DatabaseError) as err, transaction.atomic():
        PeriodMark.objects.create(
            pupil=world.pupil,
            assignment=world.assignment,
            subject=world.subject,
            kind=PeriodMark.Kind.YEAR,
            period=period,
            value="5",
            set_by=world.teacher,
        )
    refusal = closed_year_error(err.value)
    assert isinstance(refusal, YearClosed)
    assert "2026/2027" in refusal.message


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE journal_lesson SET topic = 'x' WHERE assignment_id = %(a)s",
        "UPDATE journal_schoolclass SET letter = 'Я' WHERE year_id = %(y)s",
        "UPDATE journal_teachingassignment SET is_active = false WHERE id = %(a)s",
        "DELETE FROM journal_studyperiod WHERE year_id = %(y)s",
        "DELETE FROM journal_holidays WHERE year_id = %(y)s",
        "UPDATE journal_academicyear SET \"end\" = '2027-06-30' WHERE id = %(y)s",
        "DELETE FROM journal_academicyear WHERE id = %(y)s",
    ],
)
def test_the_years_structure_and_lessons_are_refused_too(world, sql):
    _closed(world)
    refusal = _refused(sql, {"a": world.assignment.pk, "y": world.year.pk})
    assert refusal.__cause__.sqlstate == "EJ001"


def test_an_open_years_records_are_untouched_by_another_years_closing(world):
    other = F.YearFactory(school=world.school, name="2025/2026", start=date(2025, 9, 1), end=date(2026, 5, 31))
    year_closure.close_year(world.director, other, OVERRIDE, now=JUNE)
    with connection.cursor() as cur:
        cur.execute("UPDATE journal_lesson SET topic = 'Дроби' WHERE assignment_id = %s", [world.assignment.pk])
        assert cur.rowcount == 3


# --- closing and reopening -------------------------------------------------------------


def test_closing_with_blockers_needs_an_override_reason_of_ten_characters(world):
    with pytest.raises(year_closure.YearClosureError) as err:
        year_closure.close_year(world.director, world.year, now=JUNE)
    assert err.value.code == "blockers"
    with pytest.raises(year_closure.YearClosureError) as err:
        year_closure.close_year(world.director, world.year, "коротко", now=JUNE)
    assert err.value.code == "reason_required"
    assert not AcademicYear.objects.get(pk=world.year.pk).is_closed
    assert not AuditEvent.objects.filter(action="year.close").exists()


def test_closing_writes_the_audit_event_with_the_override_and_the_blockers(world):
    _closed(world)
    ev = AuditEvent.objects.get(action="year.close")
    assert ev.actor_id == world.director.pk and ev.reason == OVERRIDE
    assert ev.object_id == str(world.year.pk)
    assert ev.after["override"] is True and ev.after["blockers"]["unfilled"] >= 1


@pytest.mark.parametrize("persona", ["deputy", "admin", "teacher", "class_teacher", "outsider"])
def test_only_the_director_closes_and_reopens(world, persona):
    user = world.personas[persona]
    with pytest.raises(NotAllowed):
        year_closure.close_year(user, world.year, OVERRIDE, now=JUNE)
    _closed(world)
    with pytest.raises(NotAllowed):
        year_closure.reopen_year(user, world.year, "Ошибка в годовой отметке")


def test_reopening_by_the_director_allows_a_correction_and_is_audited(world, mark):
    _closed(world)
    with pytest.raises(year_closure.YearClosureError):
        year_closure.reopen_year(world.director, world.year, "ошибка")  # too short
    year_closure.reopen_year(world.director, world.year, "Ошибка в отметке, приказ № 47")
    ev = AuditEvent.objects.get(action="year.reopen")
    assert ev.actor_id == world.director.pk and ev.reason == "Ошибка в отметке, приказ № 47"
    with connection.cursor() as cur:
        cur.execute("UPDATE journal_mark SET value = '5' WHERE id = %s", [mark.pk])
    assert Mark.objects.get(pk=mark.pk).value == "5"


def test_the_services_say_the_year_is_closed_before_postgresql_does(world, mark):
    _closed(world)
    with time_machine.travel(NOV, tick=False), pytest.raises(YearClosed) as err:
        services.set_mark(
            world.teacher,
            assessment_id=mark.assessment_id,
            pupil_id=world.pupil.pk,
            value="5",
            expected_version=mark.version,
        )
    assert "закрыт" in err.value.message


# --- pages ---------------------------------------------------------------------------


def test_the_director_closes_from_the_page_and_non_directors_get_403(world, client_for):
    url = reverse("journal:year_close", kwargs={"pk": world.year.pk})
    for persona in ("deputy", "teacher"):
        assert client_for(world.personas[persona]).post(url, {"override_reason": OVERRIDE}).status_code == 403
    with time_machine.travel(JUNE - timedelta(days=30), tick=False):  # 11 May: not yet
        resp = client_for(world.director).post(url, {"override_reason": OVERRIDE})
    assert resp.status_code == 422
    assert "ещё не окончен" in resp.content.decode()
    with time_machine.travel(JUNE, tick=False):
        director = client_for(world.director)
        resp = director.post(url, {"override_reason": ""})
        assert resp.status_code == 422
        assert "нельзя закрыть" in resp.content.decode()
        resp = director.post(url, {"override_reason": OVERRIDE})
    assert resp.status_code == 302
    assert AcademicYear.objects.get(pk=world.year.pk).is_closed


def test_another_schools_year_is_not_found(world, client_for):
    foreign_year = world.foreign_class.year
    director = client_for(world.director)
    for name in ("journal:year_close", "journal:year_reopen"):
        assert director.post(reverse(name, kwargs={"pk": foreign_year.pk}), {}).status_code == 404
    assert director.get(reverse("journal:year_end"), {"year": foreign_year.pk}).status_code == 404
    assert director.get(reverse("journal:year_end"), {"year": "abc"}).status_code == 404


def test_a_closed_years_journal_opens_read_only(world, client_for):
    _closed(world)
    teacher = client_for(world.teacher)
    resp = teacher.get(reverse("journal:grid", kwargs={"pk": world.assignment.pk}), follow=True)
    assert resp.status_code == 200
    assert not resp.context["g"].can_write
    assert "учебный год закрыт" in resp.content.decode()
    resp = teacher.get(reverse("journal:lesson", kwargs={"pk": world.lessons[0].pk}))
    assert resp.status_code == 200 and resp.context["can_write"] is False
    world.year.refresh_from_db()
    assert access.year_open(world.year) is False
    assert access.get_plan_assignment_for_user(world.teacher, world.assignment.pk)[1] is False


def test_a_write_refused_by_postgresql_is_a_russian_message_not_a_500(world, client_for, mark):
    """The admin site writes without the services: the trigger refuses, the middleware answers."""
    _closed(world)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    admin = client_for(world.admin)
    enrollment = Enrollment.objects.get(pupil=world.pupil)
    url = reverse("admin:journal_enrollment_delete", args=[enrollment.pk])
    resp = admin.post(url, {"post": "yes"}, follow=True)
    assert resp.status_code == 200
    assert "закрыт" in resp.content.decode()
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()


def test_the_admin_site_shows_the_closed_flag_read_only(world, client_for):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    resp = client_for(world.admin).get(reverse("admin:journal_academicyear_change", args=[world.year.pk]))
    assert resp.status_code == 200
    assert 'name="is_closed"' not in resp.content.decode()


def test_the_lesson_sync_and_the_demos_period_marks_leave_a_closed_year_alone(world):
    from demo.period_marks import write_period_marks
    from journal.models import Lesson
    from journal.services import lesson_sync

    F.TimetableFactory(assignment=world.assignment, weekday=3, bell=world.lessons[0].bell, valid_from=date(2026, 9, 1))
    _closed(world)
    before = Lesson.objects.filter(assignment=world.assignment).count()
    lesson_sync.sync_school(world.school.pk, today=date(2026, 11, 9), until=date(2026, 11, 30))
    assert Lesson.objects.filter(assignment=world.assignment).count() == before
    assert write_period_marks(world.school.pk, date(2027, 6, 10)) == 0


def test_the_middleware_answers_a_refused_write_with_the_russian_message(world, mark, rf):
    from journal.middleware import ClosedYearMiddleware

    _closed(world)
    refusal = _refused("DELETE FROM journal_mark WHERE id = %s", [mark.pk])
    middleware = ClosedYearMiddleware(lambda request: None)
    page = rf.post("/journal/somewhere/", HTTP_ACCEPT="text/html")
    page.user = world.teacher
    resp = middleware.process_exception(page, refusal)
    assert resp.status_code == 409 and "Учебный год 2026/2027 закрыт" in resp.content.decode()
    script = rf.post("/journal/lesson/1/cell/", HTTP_ACCEPT="*/*", HTTP_HX_REQUEST="true")
    script.htmx = True
    resp = middleware.process_exception(script, refusal)
    assert resp.status_code == 409 and resp["Content-Type"].startswith("text/plain")
    assert middleware.process_exception(page, ValueError("other")) is None


def test_a_year_is_closed_only_after_its_last_day(world):
    with pytest.raises(year_closure.YearClosureError) as err:
        year_closure.close_year(world.director, world.year, OVERRIDE, now=NOV)
    assert err.value.code == "not_ended" and "ещё не окончен" in err.value.message
    assert not AcademicYear.objects.get(pk=world.year.pk).is_closed


@pytest.mark.django_db(transaction=True)  # TRUNCATE of rows this transaction wrote is refused anyway
def test_truncate_of_a_closed_years_table_is_refused_by_postgresql(world, mark):
    _closed(world)
    refusal = _refused("TRUNCATE journal_mark CASCADE", [])
    assert refusal.__cause__.sqlstate == "EJ001"
    assert Mark.objects.filter(pk=mark.pk).exists()


def test_a_closed_years_promotion_order_is_read_only_too(world):
    order = PromotionOrder.objects.create(
        year=world.year, number="87-о", date=date(2027, 6, 10), recorded_by=world.director
    )
    _closed(world)
    refusal = _refused("UPDATE journal_promotionorder SET number = '88-о' WHERE id = %s", [order.pk])
    assert refusal.__cause__.sqlstate == "EJ001"


def test_a_reason_given_when_nothing_blocks_is_kept_with_the_closing(world):
    for lesson in world.lessons:
        lesson.delete()  # nothing unfilled: the check passes (the world's pupils have no marks)
    for klass in (world.klass, world.other_class):
        for e in Enrollment.objects.filter(school_class=klass):
            e.delete()
    year_closure.close_year(world.director, world.year, "По приказу № 45", now=JUNE)
    assert AuditEvent.objects.get(action="year.close").reason == "По приказу № 45"
