"""Lessons follow the timetable (issue 15, point 1): journal/services/lesson_sync.py.

The clock is passed to the service (`today=`), so nothing depends on the real date.
The factories' year 2026/27 has quarters (Q2: 05.11–28.12.2026) and holidays.
"""

from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.audit import verify_chain
from accounts.models import AuditEvent
from ejournal.celery import app as celery_app
from journal.models import Lesson, LessonReview
from journal.services import lesson_sync

from . import factories as F

TODAY = date(2026, 11, 20)  # a Friday of the second quarter


@pytest.fixture
def setup(db):
    """One school: 5А's mathematics on Mondays (1st bell) and Wednesdays (2nd bell)."""
    school = F.SchoolFactory()
    year = F.YearFactory(school=school)
    klass = F.ClassFactory(year=year, grade=5, letter="А")
    teacher = F.UserFactory(school=school)
    math = F.AssignmentFactory(school_class=klass, teacher=teacher, subject=F.SubjectFactory(school=school))
    b1, b2, b3 = (F.BellFactory(school=school, number=n) for n in (1, 2, 3))
    room = F.RoomFactory(school=school, number="201")
    mon = F.TimetableFactory(assignment=math, weekday=1, bell=b1, room=room)
    wed = F.TimetableFactory(assignment=math, weekday=3, bell=b2, room=room)
    return type("S", (), dict(school=school, year=year, klass=klass, math=math, bells=(b1, b2, b3), room=room,
                              mon=mon, wed=wed, teacher=teacher))  # fmt: skip


def lessons(assignment):
    return list(Lesson.objects.filter(assignment=assignment).order_by("date", "bell__number"))


def snapshot(school):
    return sorted(
        Lesson.objects.filter(assignment__school_class__year__school=school).values_list(
            "pk", "date", "bell_id", "room_id", "timetable_entry_id", "scheduled_date", "status"
        )
    )


def test_lessons_to_the_end_of_the_period_on_the_timetable_days(setup):
    r = lesson_sync.sync_school(setup.school.pk, today=TODAY)
    assert r.until == date(2026, 12, 28)  # the end of the second quarter
    got = [(x.date, x.bell.number, x.room_id) for x in lessons(setup.math)]
    # Mondays and Wednesdays from today to 28.12, each at its bell and room
    assert got[0] == (date(2026, 11, 23), 1, setup.room.pk)
    assert got[1] == (date(2026, 11, 25), 2, setup.room.pk)
    assert got[-1] == (date(2026, 12, 28), 1, setup.room.pk)
    assert len(got) == r.created == 11
    assert all(x.scheduled_date == x.date and not x.manual for x in lessons(setup.math))


def test_the_horizon_is_at_least_two_weeks(setup):
    # 20.12: the quarter ends in 8 days; lessons still reach two weeks ahead (into the holidays: none there)
    assert lesson_sync.horizon(setup.school.pk, date(2026, 12, 20)) == date(2027, 1, 3)
    # during the holidays: the end of the next quarter
    assert lesson_sync.horizon(setup.school.pk, date(2027, 1, 5)) == date(2027, 3, 20)


def test_holidays_public_holidays_and_validity_are_respected(setup):
    lesson_sync.sync_school(setup.school.pk, today=date(2026, 10, 19), until=date(2026, 11, 15))
    days = [x.date for x in lessons(setup.math)]
    # 21.10 (Wed) is in, the autumn holidays 25.10–04.11 are out, 09.11 and 11.11 are in
    assert days == [date(2026, 10, 19), date(2026, 10, 21), date(2026, 11, 9), date(2026, 11, 11)]


def test_public_holidays_and_the_validity_dates_of_a_line(setup):
    setup.mon.valid_from, setup.mon.valid_to = date(2027, 3, 1), date(2027, 3, 15)
    setup.mon.save()
    setup.wed.delete()
    lesson_sync.sync_school(setup.school.pk, today=date(2027, 2, 20), until=date(2027, 3, 20))
    # Monday 08.03 is a public holiday; the line ends on 15.03
    assert [x.date for x in lessons(setup.math)] == [date(2027, 3, 1), date(2027, 3, 15)]


def test_the_beat_entry_twice_on_a_fixed_clock_changes_nothing_the_second_time(setup):
    celery_app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["journal-sync-lessons"]
    task = celery_app.tasks[entry["task"]]
    with time_machine.travel(datetime(2026, 11, 20, 2, 45, tzinfo=ZoneInfo("Europe/Moscow")), tick=False):
        first = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {})).get()
        after_first = snapshot(setup.school)
        events_first = AuditEvent.objects.count()
        second = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {})).get()
    mine = next(r for r in first if r["school"] == setup.school.pk)
    assert mine["created"] == 11
    assert all(r["created"] == r["moved"] == r["removed"] == r["flagged"] == r["closed"] == 0 for r in second)
    assert snapshot(setup.school) == after_first
    assert AuditEvent.objects.count() == events_first


def test_an_entry_changed_from_next_week_moves_only_unfilled_future_lessons(setup):
    lesson_sync.sync_school(setup.school.pk, today=TODAY)
    by_day = {x.date: x for x in lessons(setup.math)}
    # the teacher already set homework for Wednesday 02.12 and a topic for Wednesday 09.12
    F.HomeworkFactory(lesson=by_day[date(2026, 12, 2)], text="§ 12")
    held = by_day[date(2026, 12, 9)]
    held.topic = "Дроби"
    held.save(update_fields=["topic"])
    untouched_past = F.LessonFactory(
        assignment=setup.math, date=date(2026, 11, 18), bell=setup.bells[1], timetable_entry=setup.wed,
        scheduled_date=date(2026, 11, 18),
    )  # fmt: skip
    # From Monday 30.11 the Wednesday lesson is on Thursday, 3rd bell.
    setup.wed.valid_to = date(2026, 11, 29)
    setup.wed.save()
    thu = F.TimetableFactory(
        assignment=setup.math, weekday=4, bell=setup.bells[2], room=setup.room, valid_from=date(2026, 11, 30)
    )
    before_ids = {x.date: x.pk for x in lessons(setup.math)}
    r = lesson_sync.sync_school(setup.school.pk, today=TODAY)
    now = {(x.date, x.bell.number): x for x in lessons(setup.math)}
    # 25.11 (this week) stays; the unfilled Wednesdays 16.12 and 23.12 became Thursdays (the same lessons, moved)
    assert (date(2026, 11, 25), 2) in now
    assert now[date(2026, 12, 17), 3].pk == before_ids[date(2026, 12, 16)]
    assert now[date(2026, 12, 24), 3].pk == before_ids[date(2026, 12, 23)]
    assert now[date(2026, 12, 17), 3].timetable_entry_id == thu.pk
    # the two lessons with records stay where they were, listed for the deputy with where the timetable wants them
    assert (date(2026, 12, 2), 2) in now and (date(2026, 12, 9), 2) in now
    reviews = {rv.lesson.date: rv for rv in LessonReview.objects.open().select_related("lesson")}
    assert set(reviews) == {date(2026, 12, 2), date(2026, 12, 9)}
    assert reviews[date(2026, 12, 2)].kind == LessonReview.Kind.MOVED
    assert (reviews[date(2026, 12, 2)].target_date, reviews[date(2026, 12, 2)].target_bell) == (
        date(2026, 12, 3),
        setup.bells[2],
    )
    # ...and their weeks get no second lesson on Thursday
    assert (date(2026, 12, 3), 3) not in now and (date(2026, 12, 10), 3) not in now
    # the past is history
    assert Lesson.objects.filter(pk=untouched_past.pk, date=date(2026, 11, 18)).exists()
    assert (r.moved, r.flagged, r.created, r.removed) == (2, 2, 0, 0)
    # audited, in one chain that verifies
    actions = list(AuditEvent.objects.filter(school_id=setup.school.pk).values_list("action", flat=True))
    assert actions.count("lesson.sync_move") == 2 and actions.count("lesson.review_open") == 2
    assert verify_chain(setup.school.pk) == []
    # and running again changes nothing
    again = lesson_sync.sync_school(setup.school.pk, today=TODAY)
    assert again.changed == 0


def test_a_holiday_added_removes_unfilled_lessons_and_lists_filled_ones(setup):
    lesson_sync.sync_school(setup.school.pk, today=TODAY)
    by_day = {x.date: x for x in lessons(setup.math)}
    F.AttendanceFactory(lesson=by_day[date(2026, 12, 7)], pupil=F.UserFactory(school=setup.school))
    setup.year.holidays.create(name="Карантин", start=date(2026, 12, 7), end=date(2026, 12, 9))
    r = lesson_sync.sync_school(setup.school.pk, today=TODAY)
    assert r.removed == 1 and r.flagged == 1
    assert not Lesson.objects.filter(assignment=setup.math, date=date(2026, 12, 9)).exists()
    kept = Lesson.objects.get(assignment=setup.math, date=date(2026, 12, 7))
    assert LessonReview.objects.open().get(lesson=kept).kind == LessonReview.Kind.REMOVED
    assert AuditEvent.objects.filter(action="lesson.sync_delete", school_id=setup.school.pk).count() == 1
    # the holiday is called off: the kept lesson is in its place again, its review closes, 09.12 comes back
    setup.year.holidays.filter(name="Карантин").delete()
    r = lesson_sync.sync_school(setup.school.pk, today=TODAY)
    assert (r.closed, r.created) == (1, 1)
    assert not LessonReview.objects.open().exists()


def test_a_bell_changed_in_place_moves_unfilled_lessons_within_the_day(setup):
    lesson_sync.sync_school(setup.school.pk, today=TODAY)
    setup.mon.bell = setup.bells[2]
    setup.mon.save()
    r = lesson_sync.sync_school(setup.school.pk, today=TODAY)
    mondays = [x for x in lessons(setup.math) if x.date.isoweekday() == 1]
    assert r.moved == len(mondays) == 6
    assert {x.bell.number for x in mondays} == {3}


def test_hand_changed_and_one_off_lessons_are_left_alone(setup):
    lesson_sync.sync_school(setup.school.pk, today=TODAY)
    one_off = F.LessonFactory(assignment=setup.math, date=date(2026, 12, 5), bell=setup.bells[0], manual=True)
    moved = Lesson.objects.get(assignment=setup.math, date=date(2026, 11, 30))
    moved.date, moved.manual = date(2026, 12, 1), True
    moved.save()
    r = lesson_sync.sync_school(setup.school.pk, today=TODAY)
    assert r.changed == 0
    assert Lesson.objects.filter(pk=one_off.pk).exists()
    assert not Lesson.objects.filter(assignment=setup.math, date=date(2026, 11, 30)).exists()


def test_a_deleted_entry_takes_its_unfilled_lessons_with_it(setup):
    lesson_sync.sync_school(setup.school.pk, today=TODAY)
    setup.wed.delete()
    r = lesson_sync.sync_school(setup.school.pk, today=TODAY)
    assert r.removed == 5
    assert {x.date.isoweekday() for x in lessons(setup.math)} == {1}


def test_the_number_of_queries_does_not_grow_with_the_lessons(setup):
    def queries(until):
        with CaptureQueriesContext(connection) as ctx:
            r = lesson_sync.sync_school(setup.school.pk, today=TODAY, until=until)
        return len(ctx.captured_queries), r.created

    week = queries(date(2026, 11, 27))
    # another school of the same shape, a whole year instead of a week
    other = F.SchoolFactory()
    year = F.YearFactory(school=other)
    for letter in "АБВ":
        a = F.AssignmentFactory(school_class=F.ClassFactory(year=year, letter=letter))
        for wd in (1, 2, 3, 4, 5):
            F.TimetableFactory(assignment=a, weekday=wd)
    with CaptureQueriesContext(connection) as ctx:
        r = lesson_sync.sync_school(other.pk, today=TODAY, until=date(2027, 5, 31))
    assert week[1] == 2 and r.created > 300
    assert len(ctx.captured_queries) == week[0]


def test_the_command_syncs_one_school_until_a_date(setup):
    out = StringIO()
    call_command("sync_lessons", school=setup.school.pk, until=date(2026, 12, 2), today=TODAY, stdout=out)
    assert f"school {setup.school.pk}: 2026-11-20–2026-12-02: created 4" in out.getvalue()
    assert [x.date for x in lessons(setup.math)][-1] == date(2026, 12, 2)


def test_a_timetable_change_queues_the_sync_on_commit(setup, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr("ejournal.queue._send", lambda task, args, kwargs: sent.append((task.name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        setup.mon.room = None
        setup.mon.save()
    with django_capture_on_commit_callbacks(execute=True):
        F.BellFactory(school=setup.school, number=4)
    with django_capture_on_commit_callbacks(execute=True):
        setup.year.holidays.create(name="День школы", start=date(2026, 12, 4), end=date(2026, 12, 4))
    assert sent == [("journal.sync_lessons", (setup.school.pk, None))] * 3
    # the task does the sync
    celery_app.loader.import_default_modules()
    with time_machine.travel(datetime.combine(TODAY, time(12), tzinfo=ZoneInfo("Europe/Moscow")), tick=False):
        result = celery_app.tasks["journal.sync_lessons"].apply(args=(setup.school.pk, None)).get()
    assert result["created"] == 11  # 04.12 is a Friday: no lesson lost; every Monday and Wednesday


def test_a_holiday_added_in_the_admins_year_inline_reaches_the_lessons(
    world, client, django_capture_on_commit_callbacks, monkeypatch
):
    """The admin saves holidays through the academic year's inline (a formset, which
    save_model never sees): the model signal queues the sync all the same."""
    from accounts import services as account_services
    from accounts.models import RoleAssignment
    from journal.models import AcademicYear

    from .test_admin import _form_data, _url

    account_services.set_roles(world.admin, world.admin, [RoleAssignment.Role.ADMIN])
    F.TimetableFactory(assignment=world.assignment, weekday=1, bell=world.lessons[0].bell)
    lesson_sync.sync_school(world.school.pk, today=TODAY)
    assert Lesson.objects.filter(assignment=world.assignment, date=date(2026, 12, 7)).exists()
    sent = []
    monkeypatch.setattr("ejournal.queue._send", lambda task, args, kwargs: sent.append((task.name, args)))

    client.force_login(world.admin)
    url = _url(AcademicYear, "change", world.year.pk)
    page = client.get(url)
    data = _form_data(page)
    inline = next(f.formset for f in page.context["inline_admin_formsets"] if f.formset.model.__name__ == "Holidays")
    n = int(data[f"{inline.prefix}-TOTAL_FORMS"])
    data[f"{inline.prefix}-TOTAL_FORMS"] = str(n + 1)
    data.update({f"{inline.prefix}-{n}-name": "Карантин", f"{inline.prefix}-{n}-start": "2026-12-07",
                 f"{inline.prefix}-{n}-end": "2026-12-08"})  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert ("journal.sync_lessons", (world.school.pk, None)) in sent
    lesson_sync.sync_school(world.school.pk, today=TODAY)
    assert not Lesson.objects.filter(assignment=world.assignment, date=date(2026, 12, 7)).exists()
