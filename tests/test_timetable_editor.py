"""The timetable editor (issue 15, point 3): journal/services/timetable.py and its pages.

The clock: `school_day` (Friday 20.11.2026, noon). The world's 5А mathematics (Соколов),
5Б mathematics (Волкова); bells 1 and 2, room 201 and 305.
"""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AuditEvent, RoleAssignment
from ejournal.celery import app as celery_app
from journal.models import Lesson, LessonReview, TimetableEntry
from journal.services import lesson_sync
from journal.services import timetable as T
from journal.services.errors import NotAllowed, ServiceError

from . import factories as F

TODAY = date(2026, 11, 20)
MON = date(2026, 11, 23)
SEPT = date(2026, 9, 1)


@pytest.fixture
def tt(world, school_day):
    w = world
    bell1 = w.lessons[0].bell
    bell2 = F.BellFactory(school=w.school, number=2)
    room = F.RoomFactory(school=w.school, number="201")
    room2 = F.RoomFactory(school=w.school, number="305")
    english = F.SubjectFactory(school=w.school, name="Английский язык")
    g1 = F.GroupFactory(school_class=w.klass, name="Группа 1")
    g2 = F.GroupFactory(school_class=w.klass, name="Группа 2")
    eng1 = F.AssignmentFactory(school_class=w.klass, group=g1, subject=english)
    eng2 = F.AssignmentFactory(school_class=w.klass, group=g2, subject=english)
    return type("TT", (), dict(bell1=bell1, bell2=bell2, room=room, room2=room2, eng1=eng1, eng2=eng2))  # fmt: skip


def add(actor, assignment, bell, weekday=1, room=None, valid_from=SEPT, valid_to=None):
    return T.add_entry(
        actor, assignment_id=assignment.pk, weekday=weekday, bell_id=bell.pk, room_id=room.pk if room else None,
        valid_from=valid_from, valid_to=valid_to,
    )  # fmt: skip


def refused(actor, assignment, bell, **kw) -> str:
    before = TimetableEntry.objects.count()
    with pytest.raises(ServiceError) as e:
        add(actor, assignment, bell, **kw)
    assert TimetableEntry.objects.count() == before  # nothing written
    return e.value.message


def test_the_deputy_adds_a_line_audited_and_the_sync_is_queued_on_commit(
    world, tt, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("ejournal.queue._send", lambda task, args, kwargs: sent.append((task.name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        entry = add(world.deputy, world.assignment, tt.bell2, weekday=2, room=tt.room)
    assert sent == [("journal.sync_lessons", (world.school.pk, None))]
    ev = AuditEvent.objects.get(action="timetable.add", object_id=str(entry.pk))
    assert ev.actor == world.deputy and ev.after["weekday"] == 2 and ev.after["room"] == tt.room.pk
    # the queued task makes the lessons: every Tuesday from today to the end of the quarter
    celery_app.loader.import_default_modules()
    with time_machine.travel(datetime.combine(TODAY, time(12), tzinfo=ZoneInfo("Europe/Moscow")), tick=False):
        celery_app.tasks["journal.sync_lessons"].apply(args=(world.school.pk, None)).get()
    days = list(Lesson.objects.filter(timetable_entry=entry).order_by("date").values_list("date", flat=True))
    assert days[0] == date(2026, 11, 24) and days[-1] == date(2026, 12, 22) and len(days) == 5


def test_only_timetable_editors_change_the_timetable(world, tt):
    for who in (world.teacher, world.director, world.class_teacher):
        with pytest.raises(NotAllowed):
            add(who, world.assignment, tt.bell1)
    scheduler = F.UserFactory(school=world.school)
    F.RoleFactory(user=scheduler, school=world.school, role=RoleAssignment.Role.SCHEDULER)
    entry = add(scheduler, world.assignment, tt.bell1)
    # another school's deputy reaches neither this school's journal nor its line
    with pytest.raises(ServiceError) as e:
        add(world.outsider, world.assignment, tt.bell2)
    assert e.value.code == "bad_assignment"
    with pytest.raises(ServiceError) as e:
        T.end_entry(world.outsider, entry_id=entry.pk, last_day=MON)
    assert e.value.code == "not_found"


def test_a_teacher_twice_at_one_bell_is_refused_naming_the_other_lesson(world, tt):
    physics = F.AssignmentFactory(
        school_class=world.other_class,
        teacher=world.teacher,
        subject=F.SubjectFactory(school=world.school, name="Физика"),
    )
    add(world.deputy, physics, tt.bell1, weekday=3)
    msg = refused(world.deputy, world.assignment, tt.bell1, weekday=3)
    assert msg == "Учитель Соколов А. В. по средам на 1 уроке уже ведёт урок: 5Б · Физика (Соколов А. В.)."
    add(world.deputy, world.assignment, tt.bell2, weekday=3)  # the next bell is free


def test_a_room_twice_at_one_bell_is_refused(world, tt):
    add(world.deputy, world.other_assignment, tt.bell1, weekday=4, room=tt.room)
    msg = refused(world.deputy, world.assignment, tt.bell1, weekday=4, room=tt.room)
    assert msg.startswith("Кабинет 201 по четвергам на 1 уроке занят: 5Б · Математика")
    add(world.deputy, world.assignment, tt.bell1, weekday=4, room=tt.room2)


def test_a_class_twice_at_one_bell_and_a_group_with_its_whole_class_are_refused(world, tt):
    russian = F.AssignmentFactory(
        school_class=world.klass, subject=F.SubjectFactory(school=world.school, name="Русский язык")
    )
    add(world.deputy, russian, tt.bell1, weekday=5)
    assert refused(world.deputy, world.assignment, tt.bell1, weekday=5).startswith(
        "У класса 5А по пятницам на 1 уроке уже есть урок: 5А · Русский язык"
    )
    # a group of 5А at the bell the whole class has Russian
    assert refused(world.deputy, tt.eng1, tt.bell1, weekday=5).startswith("У класса 5А по пятницам на 1 уроке")
    # two groups of one class at one bell are fine; the whole class then clashes with a group
    add(world.deputy, tt.eng1, tt.bell2, weekday=5)
    add(world.deputy, tt.eng2, tt.bell2, weekday=5)
    assert "5А Группа 1 · Английский язык" in refused(world.deputy, world.assignment, tt.bell2, weekday=5)


def test_overlapping_validity_of_the_same_slot_is_refused_and_adjacent_dates_are_not(world, tt):
    add(world.deputy, world.assignment, tt.bell1, valid_to=date(2026, 12, 28))
    msg = refused(world.deputy, world.assignment, tt.bell1, valid_from=date(2026, 12, 1))
    assert msg == (
        "Этот урок уже стоит в расписании по понедельникам на 1 уроке (с 01.09.2026 по 28.12.2026): "
        "даты строк не должны пересекаться."
    )
    # another teacher's line at that bell but from January: no overlap, no clash
    add(world.deputy, world.assignment, tt.bell1, valid_from=date(2027, 1, 11))
    add(world.deputy, world.other_assignment, tt.bell1, valid_to=date(2026, 12, 28))


def test_bad_dates_are_refused(world, tt):
    assert "не может быть раньше" in refused(
        world.deputy, world.assignment, tt.bell1, valid_from=date(2026, 12, 1), valid_to=date(2026, 11, 30)
    )
    assert "в пределах учебного года 2026/2027" in refused(
        world.deputy, world.assignment, tt.bell1, valid_from=date(2027, 6, 7)
    )


def test_a_change_from_next_week_splits_the_line_and_a_clash_writes_nothing(world, tt):
    entry = add(world.deputy, world.assignment, tt.bell1, room=tt.room)
    russian = F.AssignmentFactory(
        school_class=world.klass, subject=F.SubjectFactory(school=world.school, name="Русский язык")
    )
    add(world.deputy, russian, tt.bell2, weekday=2)
    with pytest.raises(ServiceError) as e:
        T.change_entry(world.deputy, entry_id=entry.pk, weekday=2, bell_id=tt.bell2.pk, valid_from=MON)
    assert e.value.code == "clash" and "5А · Русский язык" in e.value.message
    entry.refresh_from_db()
    assert entry.valid_to is None and TimetableEntry.objects.filter(assignment=world.assignment).count() == 1

    new = T.change_entry(world.deputy, entry_id=entry.pk, weekday=3, bell_id=tt.bell2.pk, valid_from=MON)
    entry.refresh_from_db()
    assert entry.valid_to == date(2026, 11, 22)
    assert (new.weekday, new.bell_id, new.room_id, new.valid_from, new.valid_to) == (3, tt.bell2.pk, None, MON, None)
    actions = list(AuditEvent.objects.filter(action__startswith="timetable.").values_list("action", "object_id"))
    assert actions[-2:] == [("timetable.end", str(entry.pk)), ("timetable.add", str(new.pk))]
    # from its first day the line itself changes
    same = T.change_entry(world.deputy, entry_id=new.pk, weekday=4, bell_id=tt.bell2.pk, valid_from=MON)
    assert same.pk == new.pk and same.weekday == 4
    with pytest.raises(ServiceError) as e:
        T.change_entry(world.deputy, entry_id=new.pk, weekday=4, bell_id=tt.bell2.pk, valid_from=MON)
    assert e.value.code == "unchanged"


def test_ending_a_line_and_removing_one_that_never_started(world, tt):
    entry = add(world.deputy, world.assignment, tt.bell1)
    ended = T.end_entry(world.deputy, entry_id=entry.pk, last_day=date(2026, 11, 30))
    assert ended.valid_to == date(2026, 11, 30)
    with pytest.raises(ServiceError) as e:
        T.end_entry(world.deputy, entry_id=entry.pk, last_day=date(2026, 12, 7))
    assert e.value.code == "unchanged"
    later = add(world.deputy, world.assignment, tt.bell2, valid_from=date(2027, 1, 11))
    assert T.end_entry(world.deputy, entry_id=later.pk, last_day=date(2026, 12, 28)) is None
    assert not TimetableEntry.objects.filter(pk=later.pk).exists()
    assert AuditEvent.objects.filter(action="timetable.delete", object_id=str(later.pk)).exists()
    assert AuditEvent.objects.filter(action="timetable.end", object_id=str(entry.pk)).exists()


def test_past_weeks_are_not_rewritten(world, tt):
    entry = add(world.deputy, world.assignment, tt.bell1)
    with pytest.raises(ServiceError) as e:
        T.end_entry(world.deputy, entry_id=entry.pk, last_day=date(2026, 11, 10))
    assert e.value.code == "past" and "не раньше 19.11.2026" in e.value.message
    with pytest.raises(ServiceError) as e:
        T.change_entry(world.deputy, entry_id=entry.pk, weekday=2, bell_id=tt.bell1.pk, valid_from=date(2026, 11, 16))
    assert e.value.code == "past"
    entry.refresh_from_db()
    assert entry.valid_to is None and TimetableEntry.objects.count() == 1
    # a line fixed from its first day changes in place (its past lessons stay as they were held)
    assert (
        T.change_entry(world.deputy, entry_id=entry.pk, weekday=2, bell_id=tt.bell1.pk, valid_from=SEPT).pk == entry.pk
    )


def test_a_change_from_next_week_through_the_editor_moves_only_unfilled_future_lessons(
    world, tt, client, django_capture_on_commit_callbacks, monkeypatch
):
    """The editor's save queues the sync; the sync moves next week's unfilled lessons, keeps
    this week's and lists a filled future lesson for the deputy."""
    sent = []
    monkeypatch.setattr("ejournal.queue._send", lambda task, args, kwargs: sent.append((task.name, args)))
    entry = add(world.deputy, world.assignment, tt.bell1, weekday=5)  # Fridays, 1st bell
    lesson_sync.sync_school(world.school.pk, today=date(2026, 11, 19))
    fridays = {x.date: x for x in Lesson.objects.filter(timetable_entry=entry)}
    assert date(2026, 11, 20) in fridays and date(2026, 12, 4) in fridays
    F.HomeworkFactory(lesson=fridays[date(2026, 12, 4)], text="№ 12")  # filled ahead of time

    client.force_login(world.deputy)
    url = reverse("journal:timetable_change", kwargs={"pk": entry.pk})
    form = {"weekday": 4, "bell": tt.bell2.pk, "room": "", "valid_from": "2026-11-23", "valid_to": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form)
    assert response.status_code == 302
    assert ("journal.sync_lessons", (world.school.pk, None)) in sent
    lesson_sync.sync_school(world.school.pk, today=TODAY)

    today_lesson = Lesson.objects.get(pk=fridays[date(2026, 11, 20)].pk)
    assert (today_lesson.date, today_lesson.bell_id) == (date(2026, 11, 20), tt.bell1.pk)
    moved = Lesson.objects.get(pk=fridays[date(2026, 11, 27)].pk)
    assert (moved.date, moved.bell_id) == (date(2026, 11, 26), tt.bell2.pk)
    filled = Lesson.objects.get(pk=fridays[date(2026, 12, 4)].pk)
    assert (filled.date, filled.bell_id) == (date(2026, 12, 4), tt.bell1.pk)
    review = LessonReview.objects.open().get(lesson=filled)
    assert review.target_date == date(2026, 12, 3)


def test_a_refused_form_keeps_what_was_typed(world, tt, client):
    add(world.deputy, world.other_assignment, tt.bell1, weekday=2, room=tt.room)
    client.force_login(world.deputy)
    url = reverse("journal:timetable_add", kwargs={"pk": world.klass.pk})
    data = {"assignment": world.assignment.pk, "weekday": 2, "bell": tt.bell1.pk, "room": tt.room.pk,
            "valid_from": "2026-11-23", "valid_to": "2026-12-28"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Кабинет 201 по вторникам на 1 уроке занят: 5Б · Математика" in html
    assert 'value="2026-12-28"' in html and 'value="2026-11-23"' in html
    assert f'<option value="{tt.room.pk}" selected>' in html
    assert not TimetableEntry.objects.filter(assignment=world.assignment).exists()


def test_the_class_grid_shows_the_lines_and_the_load_in_few_queries(world, tt, client, django_assert_max_num_queries):
    F.CurriculumFactory(school_class=world.klass, subject=world.subject, hours_per_week=5, hours_per_year=170)
    F.CurriculumFactory(school_class=world.klass, subject=tt.eng1.subject, hours_per_week=3, hours_per_year=102)
    music = F.SubjectFactory(school=world.school, name="Музыка")
    F.CurriculumFactory(school_class=world.klass, subject=music, hours_per_week=1, hours_per_year=34)
    for day in (1, 2, 3, 4, 5):
        add(world.deputy, world.assignment, tt.bell1, weekday=day, room=tt.room)
    add(world.deputy, tt.eng1, tt.bell2, weekday=1)
    add(world.deputy, tt.eng2, tt.bell2, weekday=1)
    add(world.deputy, world.assignment, tt.bell2, weekday=6, valid_to=date(2026, 11, 1))  # ended: not shown
    client.force_login(world.deputy)
    url = reverse("journal:timetable_class", kwargs={"pk": world.klass.pk})
    client.get(url)  # the session and the caches warm
    with django_assert_max_num_queries(10):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Математика, Соколов А. В.: 5 из 5 ч" in html
    assert "Английский язык (Группа 1)" in html and "1 из 3 ч" in html
    assert "Музыка: 0 из 1 ч — учитель не назначен" in html
    assert "Всего в расписании: 7 ч в неделю." in html


def test_teacher_and_room_grids_and_the_printed_timetables(world, tt, client):
    add(world.deputy, world.assignment, tt.bell1, weekday=1, room=tt.room)
    add(world.deputy, world.other_assignment, tt.bell2, weekday=1, room=tt.room)
    client.force_login(world.deputy)
    html = client.get(reverse("journal:timetable_teacher", kwargs={"pk": world.teacher.pk})).content.decode()
    assert "5А · Математика" in html and "5Б · Математика" not in html
    html = client.get(reverse("journal:timetable_room", kwargs={"pk": tt.room.pk})).content.decode()
    assert "5А · Математика" in html and "5Б · Математика" in html
    for name, pk, heading in (
        ("journal:timetable_class_pdf", world.klass.pk, "Расписание 5А класса"),
        ("journal:timetable_teacher_pdf", world.teacher.pk, "Расписание учителя: Соколов Андрей Викторович"),
    ):
        response = client.get(reverse(name, kwargs={"pk": pk}))
        assert response["Content-Type"] == "application/pdf"
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert heading in text and "Математика" in text and "Понедельник" in text
