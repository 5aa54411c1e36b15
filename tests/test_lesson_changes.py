"""Lesson changes by hand (issue 15, point 2) and the deputy's decisions on the lessons
the timetable sync listed: journal/services/lesson_changes.py and its pages.

The clock: `school_day` (Friday 20.11.2026, noon). The world's 5А mathematics
(Соколов) has lessons on 9–11 November at the 1st bell.
"""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, RoleAssignment
from journal import rules
from journal.models import Lesson, LessonReview
from journal.services import lesson_changes as LC
from journal.services import lesson_sync
from journal.services.errors import NotAllowed, ServiceError

from . import factories as F

MON = date(2026, 11, 23)
TUE = date(2026, 11, 24)


@pytest.fixture
def place(world, school_day):
    """Next Monday's 1st-bell lesson of 5А mathematics in room 201, and a 2nd bell."""
    w = world
    room = F.RoomFactory(school=w.school, number="201")
    bell2 = F.BellFactory(school=w.school, number=2)
    lesson = F.LessonFactory(assignment=w.assignment, date=MON, bell=w.lessons[0].bell, room=room)
    return type("P", (), {"room": room, "bell1": w.lessons[0].bell, "bell2": bell2, "lesson": lesson})


def test_the_deputy_adds_a_one_off_lesson_audited_and_left_alone_by_the_sync(world, place):
    lesson = LC.add_lesson(
        world.deputy, assignment_id=world.assignment.pk, day=TUE, bell_id=place.bell2.pk, room_id=place.room.pk,
        reason="Отработка за 04.11",
    )  # fmt: skip
    assert lesson.manual and lesson.scheduled_date is None and lesson.timetable_entry_id is None
    ev = AuditEvent.objects.get(action="lesson.add", object_id=str(lesson.pk))
    assert ev.actor == world.deputy and ev.reason == "Отработка за 04.11"
    lesson_sync.sync_school(world.school.pk, today=date(2026, 11, 20))
    assert Lesson.objects.filter(pk=lesson.pk, date=TUE).exists()


def test_only_the_deputy_and_the_scheduler_change_lessons(world, place):
    with pytest.raises(NotAllowed):
        LC.cancel_lesson(world.teacher, lesson_id=place.lesson.pk, reason="Болезнь")
    with pytest.raises(NotAllowed):
        LC.cancel_lesson(world.director, lesson_id=place.lesson.pk, reason="Болезнь")
    scheduler = F.UserFactory(school=world.school)
    F.RoleFactory(user=scheduler, school=world.school, role=RoleAssignment.Role.SCHEDULER)
    LC.cancel_lesson(scheduler, lesson_id=place.lesson.pk, reason="Болезнь учителя")
    assert Lesson.objects.get(pk=place.lesson.pk).status == Lesson.Status.CANCELLED
    # another school's deputy never reaches this school's lesson
    with pytest.raises(ServiceError):
        LC.move_lesson(world.outsider, lesson_id=place.lesson.pk, day=TUE, bell_id=place.bell1.pk)


def test_clashes_name_the_teacher_the_room_and_the_class(world, place):
    w = world
    # the teacher: Соколов also teaches 5Б physics at Tuesday's 2nd bell
    physics = F.AssignmentFactory(
        school_class=w.other_class, teacher=w.teacher, subject=F.SubjectFactory(school=w.school, name="Физика")
    )
    F.LessonFactory(assignment=physics, date=TUE, bell=place.bell2)
    with pytest.raises(ServiceError) as e:
        LC.move_lesson(w.deputy, lesson_id=place.lesson.pk, day=TUE, bell_id=place.bell2.pk)
    assert e.value.code == "clash"
    assert "Учитель Соколов А. В." in e.value.message and "5Б · Физика" in e.value.message
    # the room: 201 is taken by 5Б mathematics at Tuesday's 1st bell
    F.LessonFactory(assignment=w.other_assignment, date=TUE, bell=place.bell1, room=place.room)
    with pytest.raises(ServiceError) as e:
        LC.move_lesson(w.deputy, lesson_id=place.lesson.pk, day=TUE, bell_id=place.bell1.pk, room_id=place.room.pk)
    assert "Кабинет 201" in e.value.message and "5Б · Математика" in e.value.message
    # the class: 5А has Russian at Wednesday's 1st bell; a group of 5А clashes with the whole class too
    russian = F.AssignmentFactory(school_class=w.klass, subject=F.SubjectFactory(school=w.school, name="Русский язык"))
    F.LessonFactory(assignment=russian, date=date(2026, 11, 25), bell=place.bell1)
    with pytest.raises(ServiceError) as e:
        LC.move_lesson(w.deputy, lesson_id=place.lesson.pk, day=date(2026, 11, 25), bell_id=place.bell1.pk)
    assert "У класса 5А" in e.value.message and "Русский язык" in e.value.message
    group = F.GroupFactory(school_class=w.klass, name="1 группа")
    english = F.AssignmentFactory(
        school_class=w.klass, group=group, subject=F.SubjectFactory(school=w.school, name="Английский язык")
    )
    with pytest.raises(ServiceError) as e:
        LC.add_lesson(w.deputy, assignment_id=english.pk, day=date(2026, 11, 25), bell_id=place.bell1.pk)
    assert "У класса 5А" in e.value.message
    # a cancelled lesson frees the teacher, the room and the class
    Lesson.objects.filter(assignment=russian).update(status=Lesson.Status.CANCELLED)
    LC.move_lesson(w.deputy, lesson_id=place.lesson.pk, day=date(2026, 11, 25), bell_id=place.bell1.pk)
    assert Lesson.objects.get(pk=place.lesson.pk).date == date(2026, 11, 25)


def test_the_lessons_substitute_must_be_free_at_the_new_time(world, place):
    F.SubstitutionFactory(lesson=place.lesson, substitute=world.class_teacher, assigned_by=world.deputy)
    own = F.AssignmentFactory(school_class=world.other_class, teacher=world.class_teacher)
    F.LessonFactory(assignment=own, date=TUE, bell=place.bell2)
    with pytest.raises(ServiceError) as e:
        LC.move_lesson(world.deputy, lesson_id=place.lesson.pk, day=TUE, bell_id=place.bell2.pk)
    assert "Учитель Орлова Е. С." in e.value.message


def test_the_scheduler_reaches_timetable_changes_from_the_menu(world, client_for):
    scheduler = F.UserFactory(school=world.school)
    F.RoleFactory(user=scheduler, school=world.school, role=RoleAssignment.Role.SCHEDULER)
    c = client_for(scheduler)
    home = c.get(reverse("home")).content.decode()
    assert "Изменения в расписании" in home and "Уроки на решение" in home
    assert c.get(reverse("journal:lesson_changes"), {"klass": world.klass.pk}).status_code == 200
    assert c.get(reverse("journal:lesson_move", args=[world.lessons[0].pk])).status_code == 200
    assert c.get(reverse("journal:lesson_move", args=[world.foreign_lesson.pk])).status_code == 404


def test_no_lesson_on_a_holiday_a_sunday_or_in_the_past(world, place):
    for day, words in (
        (date(2026, 12, 30), "каникулы («Зимние каникулы»)"),
        (date(2026, 11, 22), "воскресенье"),
        (date(2027, 1, 7), "праздничный день"),
        (date(2026, 11, 19), "прошедший день"),
        (date(2027, 6, 10), "вне учебного года"),
    ):
        with pytest.raises(ServiceError) as e:
            LC.move_lesson(world.deputy, lesson_id=place.lesson.pk, day=day, bell_id=place.bell1.pk)
        assert words in e.value.message, day
    assert Lesson.objects.get(pk=place.lesson.pk).date == MON


def test_a_moved_lesson_keeps_its_substitution_to_the_new_lock_moment(world, place):
    school = world.school
    sub = F.SubstitutionFactory(
        lesson=place.lesson, substitute=world.class_teacher, assigned_by=world.deputy,
        ends_at=rules.lock_moment(place.lesson, school),
    )  # fmt: skip
    moved = LC.move_lesson(
        world.deputy, lesson_id=place.lesson.pk, day=date(2026, 11, 26), bell_id=place.bell2.pk, reason="Олимпиада"
    )
    sub.refresh_from_db()
    assert (moved.date, moved.bell, moved.manual) == (date(2026, 11, 26), place.bell2, True)
    assert sub.ends_at == rules.lock_moment(moved, school) and sub.lesson_id == moved.pk
    assert AuditEvent.objects.filter(action="substitution.extend", object_id=str(sub.pk)).exists()
    ev = AuditEvent.objects.get(action="lesson.move", object_id=str(moved.pk))
    assert ev.before["date"] == "2026-11-23" and ev.after["date"] == "2026-11-26" and ev.reason == "Олимпиада"


def test_the_cancel_reason_shows_in_the_diary(world, place, client_for):
    LC.cancel_lesson(world.deputy, lesson_id=place.lesson.pk, reason="Учитель на курсах")
    page = client_for(world.parent).get(reverse("diary:week", args=[world.pupil.pk]) + "?date=2026-11-23")
    assert page.status_code == 200
    assert "Урок отменён: Учитель на курсах" in page.content.decode()
    with pytest.raises(ServiceError):
        LC.cancel_lesson(world.deputy, lesson_id=place.lesson.pk, reason="Ещё раз")
    with pytest.raises(ServiceError) as e:
        LC.cancel_lesson(world.deputy, lesson_id=world.lessons[1].pk, reason=" ")
    assert e.value.code == "reason_required"


def test_the_move_page_refuses_a_clash_keeping_what_was_typed(world, place, client_for):
    F.LessonFactory(assignment=world.other_assignment, date=TUE, bell=place.bell2, room=place.room)
    c = client_for(world.deputy)
    url = reverse("journal:lesson_move", args=[place.lesson.pk])
    r = c.post(url, {"date": "2026-11-24", "bell": place.bell2.pk, "room": place.room.pk, "reason": "Экскурсия"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Кабинет 201 24.11.2026 на 2 уроке занят" in html
    assert 'value="2026-11-24"' in html and 'value="Экскурсия"' in html
    assert Lesson.objects.get(pk=place.lesson.pk).date == MON
    r = c.post(url, {"date": "2026-11-24", "bell": place.bell2.pk, "room": "", "reason": "Экскурсия"})
    assert r.status_code == 302
    assert Lesson.objects.get(pk=place.lesson.pk).date == TUE


def test_the_week_page_lists_the_class_lessons_with_their_actions(world, place, client_for):
    LC.cancel_lesson(world.deputy, lesson_id=place.lesson.pk, reason="Карантин")
    r = client_for(world.deputy).get(reverse("journal:lesson_changes"), {"klass": world.klass.pk, "week": "2026-11-24"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "отменён: Карантин" in html and "Математика" in html
    assert client_for(world.teacher).get(reverse("journal:lesson_changes")).status_code == 403


@pytest.fixture
def listed(world, school_day):
    """A timetable line moved from Monday to Tuesday from next week; next Monday's lesson has homework."""
    w = world
    entry = F.TimetableFactory(assignment=w.assignment, weekday=1, bell=w.lessons[0].bell)
    lesson_sync.sync_school(w.school.pk, today=date(2026, 11, 20), until=date(2026, 12, 6))
    monday = Lesson.objects.get(assignment=w.assignment, date=MON)
    F.HomeworkFactory(lesson=monday, text="№ 15")
    entry.valid_to = date(2026, 11, 22)
    entry.save()
    tue = F.TimetableFactory(assignment=w.assignment, weekday=2, bell=w.lessons[0].bell, valid_from=MON)
    lesson_sync.sync_school(w.school.pk, today=date(2026, 11, 20), until=date(2026, 12, 6))
    review = LessonReview.objects.open().get(lesson=monday)
    return type("L", (), {"review": review, "lesson": monday, "tue": tue})


def test_move_to_the_timetable_puts_the_lesson_with_its_homework_where_the_timetable_wants_it(world, listed):
    moved = LC.move_to_timetable(world.deputy, review_id=listed.review.pk)
    assert (moved.date, moved.timetable_entry_id, moved.manual) == (TUE, listed.tue.pk, False)
    assert moved.homework.text == "№ 15"
    listed.review.refresh_from_db()
    assert listed.review.resolution == LessonReview.Resolution.MOVE and listed.review.resolved_by == world.deputy
    assert lesson_sync.sync_school(world.school.pk, today=date(2026, 11, 20), until=date(2026, 12, 6)).changed == 0


def test_keep_leaves_the_lesson_and_its_week_gets_no_second_one(world, listed):
    LC.keep_lesson(world.deputy, review_id=listed.review.pk)
    assert lesson_sync.sync_school(world.school.pk, today=date(2026, 11, 20), until=date(2026, 12, 6)).changed == 0
    assert not Lesson.objects.filter(assignment=world.assignment, date=TUE).exists()
    assert Lesson.objects.filter(assignment=world.assignment, date=date(2026, 12, 1)).exists()
    assert AuditEvent.objects.filter(action="lesson.keep", object_id=str(listed.lesson.pk)).exists()
    with pytest.raises(ServiceError):
        LC.keep_lesson(world.deputy, review_id=listed.review.pk)


def test_cancel_resolves_the_review_and_the_sync_makes_the_new_lesson(world, listed, client_for):
    c = client_for(world.deputy)
    page = c.get(reverse("journal:lesson_reviews")).content.decode()
    assert "по новому расписанию — 24.11.2026, 1 урок" in page
    r = c.post(reverse("journal:lesson_cancel", args=[listed.lesson.pk]), {"reason": "Перенос по расписанию"})
    assert r.status_code == 302
    listed.review.refresh_from_db()
    assert listed.review.resolution == LessonReview.Resolution.CANCEL
    lesson_sync.sync_school(world.school.pk, today=date(2026, 11, 20), until=date(2026, 12, 6))
    assert Lesson.objects.filter(assignment=world.assignment, date=TUE, timetable_entry=listed.tue).exists()
    assert Lesson.objects.get(pk=listed.lesson.pk).status == Lesson.Status.CANCELLED
    assert "Таких уроков нет" in c.get(reverse("journal:lesson_reviews")).content.decode()


def test_a_cancelled_lesson_is_restored_audited_unless_its_place_is_taken_or_past(world, place, client_for):
    lesson = place.lesson
    LC.cancel_lesson(world.deputy, lesson_id=lesson.pk, reason="Учитель на курсах")
    # meanwhile 5Б's mathematics took room 201 at that bell
    other = LC.add_lesson(
        world.deputy, assignment_id=world.other_assignment.pk, day=MON, bell_id=place.bell1.pk, room_id=place.room.pk
    )
    with pytest.raises(ServiceError) as e:
        LC.restore_lesson(world.deputy, lesson_id=lesson.pk)
    assert e.value.message.startswith("Кабинет 201 23.11.2026 на 1 уроке занят: 5Б · Математика")
    assert Lesson.objects.get(pk=lesson.pk).status == Lesson.Status.CANCELLED
    LC.cancel_lesson(world.deputy, lesson_id=other.pk, reason="Ошибка")
    # the week page offers «Вернуть»; its page restores it
    client = client_for(world.deputy)
    week = client.get(reverse("journal:lesson_changes"), {"klass": world.klass.pk, "week": MON.isoformat()})
    assert "Вернуть: 23.11, 1 урок, Математика" in week.content.decode()
    assert client.post(reverse("journal:lesson_restore", args=[lesson.pk])).status_code == 302
    lesson.refresh_from_db()
    assert (lesson.status, lesson.cancel_reason, lesson.manual) == (Lesson.Status.PLANNED, "", True)
    ev = AuditEvent.objects.get(action="lesson.restore", object_id=str(lesson.pk))
    assert ev.before["status"] == "cancelled" and ev.after["status"] == "planned"
    # the diary shows it again, without the cancellation
    diary = client_for(world.parent).get(reverse("diary:week", args=[world.pupil.pk]) + "?date=2026-11-23")
    assert diary.status_code == 200 and "Урок отменён: Учитель на курсах" not in diary.content.decode()
    # a lesson already past is not restored
    past = world.lessons[0]
    LC.cancel_lesson(world.deputy, lesson_id=past.pk, reason="Карантин")
    with pytest.raises(ServiceError) as e:
        LC.restore_lesson(world.deputy, lesson_id=past.pk)
    assert e.value.code == "past"
    with pytest.raises(ServiceError) as e:
        LC.restore_lesson(world.deputy, lesson_id=lesson.pk)
    assert e.value.message == "Урок не отменён."
