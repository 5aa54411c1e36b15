"""«Настройка школы» (issue 15 point 5): the administrator's set-up services — the year,
periods, holidays, bells, rooms, subjects, classes, curriculum and loads. Each refusal
names what is wrong in Russian and writes nothing; each change is audited; the calendar's
and the bells' saves queue the lesson sync on commit; nobody but the administrator may."""

from datetime import date, time
from decimal import Decimal

import pytest

from accounts.models import AuditEvent, RoleAssignment
from ejournal.errors import ServiceError
from journal.models import (
    AcademicYear,
    Bell,
    CurriculumLine,
    Holidays,
    Lesson,
    StudyPeriod,
    Subject,
    TeachingAssignment,
)
from journal.services import lesson_sync
from journal.services import setup_calendar as cal
from journal.services import setup_classes as classes
from journal.services import setup_school as school_setup
from journal.services.errors import NotAllowed

from . import factories as F

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture
def empty(db):
    """A school with its administrator and a teacher, and nothing else."""
    school = F.SchoolFactory()
    admin = F.UserFactory(school=school, last_name="Админова")
    F.RoleFactory(user=admin, role=RoleAssignment.Role.ADMIN)
    teacher = F.UserFactory(school=school, last_name="Соколов", first_name="Андрей", patronymic="Викторович")
    deputy = F.UserFactory(school=school)
    F.RoleFactory(user=deputy, role=RoleAssignment.Role.DEPUTY)
    return type("E", (), {"school": school, "admin": admin, "teacher": teacher, "deputy": deputy})


def refused(fn, *args, **kwargs) -> str:
    with pytest.raises(ServiceError) as e:
        fn(*args, **kwargs)
    return e.value.message


def events(school, action):
    return list(AuditEvent.objects.filter(school=school, action=action))


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr("ejournal.queue._send", lambda task, args, kwargs: sent.append((task.name, args)))
    return sent


def test_only_the_administrator_sets_the_school_up(empty):
    for who in (empty.deputy, empty.teacher):
        with pytest.raises(NotAllowed):
            cal.create_year(who, name="2026/2027", start=date(2026, 9, 1), end=date(2027, 5, 31))
        with pytest.raises(NotAllowed):
            school_setup.create_bell(who, number=1, starts=time(8), ends=time(8, 45))
    assert not AcademicYear.objects.filter(school=empty.school).exists()


def test_a_year_is_created_audited_and_refused_when_it_overlaps_or_repeats(
    empty, django_capture_on_commit_callbacks, queued
):
    with django_capture_on_commit_callbacks(execute=True):
        year = cal.create_year(empty.admin, name=" 2026/2027 ", start=date(2026, 9, 1), end=date(2027, 5, 31))
    assert year.name == "2026/2027"
    assert ("journal.sync_lessons", (empty.school.pk, None)) in queued
    (ev,) = events(empty.school, "setup.year_create")
    assert ev.after["start"] == "2026-09-01"
    assert "пересекается с годом 2026/2027 (01.09.2026–31.05.2027)" in refused(
        cal.create_year, empty.admin, name="2027", start=date(2027, 5, 1), end=date(2028, 5, 31)
    )
    assert "«2026/2027» уже есть" in refused(
        cal.create_year, empty.admin, name="2026/2027", start=date(2027, 9, 1), end=date(2028, 5, 31)
    )
    assert "позже его начала" in refused(
        cal.create_year, empty.admin, name="2027/2028", start=date(2028, 5, 31), end=date(2027, 9, 1)
    )
    assert AcademicYear.objects.filter(school=empty.school).count() == 1


def test_periods_lie_inside_their_year_and_never_overlap(empty):
    year = cal.create_year(empty.admin, name="2026/2027", start=date(2026, 9, 1), end=date(2027, 5, 31))
    q1 = cal.create_period(
        empty.admin, year_id=year.pk, scheme="quarter", number=1, start=date(2026, 9, 1), end=date(2026, 10, 24)
    )
    assert "в пределах учебного года 2026/2027 (01.09.2026–31.05.2027)" in refused(
        cal.create_period, empty.admin, year_id=year.pk, scheme="quarter", number=4,
        start=date(2027, 3, 30), end=date(2027, 6, 30),
    )  # fmt: skip
    assert "пересекается с периодом «1 четверть» (01.09.2026–24.10.2026)" in refused(
        cal.create_period, empty.admin, year_id=year.pk, scheme="quarter", number=2,
        start=date(2026, 10, 20), end=date(2026, 12, 28),
    )  # fmt: skip
    assert "от 1 до 3" in refused(
        cal.create_period, empty.admin, year_id=year.pk, scheme="trimester", number=4,
        start=date(2027, 3, 1), end=date(2027, 5, 31),
    )  # fmt: skip
    assert "уже есть" in refused(
        cal.create_period, empty.admin, year_id=year.pk, scheme="quarter", number=1,
        start=date(2026, 11, 5), end=date(2026, 12, 28),
    )  # fmt: skip
    # a half-year may share days with a quarter: another kind
    cal.create_period(
        empty.admin, year_id=year.pk, scheme="half", number=1, start=date(2026, 9, 1), end=date(2026, 12, 28)
    )
    # the year cannot shrink away from its periods
    assert "«1 четверть» (01.09.2026–24.10.2026) выйдет за пределы года" in refused(
        cal.change_year, empty.admin, year_id=year.pk, name="2026/2027", start=date(2026, 9, 7), end=date(2027, 5, 31)
    )
    cal.change_period(empty.admin, period_id=q1.pk, number=1, start=date(2026, 9, 1), end=date(2026, 10, 25))
    assert StudyPeriod.objects.get(pk=q1.pk).end == date(2026, 10, 25)
    assert len(events(empty.school, "setup.period_change")) == 1


def test_holidays_inside_the_year_not_overlapping_for_the_same_grades(empty):
    year = cal.create_year(empty.admin, name="2026/2027", start=date(2026, 9, 1), end=date(2027, 5, 31))
    autumn = cal.create_holidays(
        empty.admin, year_id=year.pk, name="Осенние каникулы", start=date(2026, 10, 25), end=date(2026, 11, 4)
    )
    assert "в пределах учебного года" in refused(
        cal.create_holidays, empty.admin, year_id=year.pk, name="Летние", start=date(2027, 6, 1), end=date(2027, 8, 31)
    )
    assert "пересекаются с каникулами «Осенние каникулы» (25.10.2026–04.11.2026)" in refused(
        cal.create_holidays, empty.admin, year_id=year.pk, name="Карантин", start=date(2026, 11, 2),
        end=date(2026, 11, 9),
    )  # fmt: skip
    assert "числа от 1 до 11" in refused(
        cal.create_holidays, empty.admin, year_id=year.pk, name="Доп.", start=date(2027, 2, 16),
        end=date(2027, 2, 22), grades="первые",
    )  # fmt: skip
    extra = cal.create_holidays(
        empty.admin, year_id=year.pk, name="Доп. каникулы", start=date(2027, 2, 16), end=date(2027, 2, 22),
        grades=" 1 ",
    )  # fmt: skip
    assert extra.grades == "1" and extra.applies_to(1) and not extra.applies_to(2)
    cal.delete_holidays(empty.admin, holidays_id=autumn.pk)
    assert not Holidays.objects.filter(pk=autumn.pk).exists()
    assert events(empty.school, "setup.holidays_delete")[0].before["name"] == "Осенние каникулы"


def test_bells_never_overlap_and_go_in_order(empty, django_capture_on_commit_callbacks, queued):
    with django_capture_on_commit_callbacks(execute=True):
        school_setup.create_bell(empty.admin, number=1, starts=time(8, 30), ends=time(9, 15))
    assert queued == [("journal.sync_lessons", (empty.school.pk, None))]
    school_setup.create_bell(empty.admin, number=2, starts=time(9, 25), ends=time(10, 10))
    assert "пересекается с 2 уроком (09:25–10:10)" in refused(
        school_setup.create_bell, empty.admin, number=3, starts=time(10, 0), ends=time(10, 45)
    )
    assert "3 урок должен начинаться после 1 урока (08:30)" in refused(
        school_setup.create_bell, empty.admin, number=3, starts=time(7, 30), ends=time(8, 15)
    )
    assert "2 урок уже есть" in refused(
        school_setup.create_bell, empty.admin, number=2, starts=time(11, 0), ends=time(11, 45)
    )
    assert "заканчиваться позже" in refused(
        school_setup.create_bell, empty.admin, number=3, starts=time(11, 0), ends=time(10, 45)
    )
    assert Bell.objects.filter(school=empty.school).count() == 2


def test_a_bell_with_lessons_is_not_deleted_but_its_time_changes(world):
    bell = world.lessons[0].bell
    assert "удалить звонок нельзя" in refused(school_setup.delete_bell, world.admin, bell_id=bell.pk)
    school_setup.change_bell(world.admin, bell_id=bell.pk, number=bell.number, starts=time(8, 15), ends=time(9))
    assert Bell.objects.get(pk=bell.pk).starts == time(8, 15)


def test_subjects_are_unique_and_keep_their_grading_once_marked(world):
    assert "«Математика» уже есть" in refused(
        school_setup.create_subject, world.admin, name="математика", order=1, assessment="numeric"
    )
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=world.lessons[0]), pupil=world.pupil)
    assert "систему оценивания изменить нельзя" in refused(
        school_setup.change_subject, world.admin, subject_id=world.subject.pk, name=world.subject.name, order=1,
        assessment="pass_fail",
    )  # fmt: skip
    assert "удалить его нельзя" in refused(school_setup.delete_subject, world.admin, subject_id=world.subject.pk)
    physics = school_setup.create_subject(world.admin, name="Физика", short_name="физ.", order=30)
    school_setup.delete_subject(world.admin, subject_id=physics.pk)
    assert not Subject.objects.filter(pk=physics.pk).exists()


def test_rooms_are_unique_and_a_used_room_stays(world):
    room = school_setup.create_room(world.admin, number="201", name="Математика")
    assert "Кабинет 201 уже есть" in refused(school_setup.create_room, world.admin, number="201")
    world.klass.room = room
    world.klass.save()
    assert "удалить его нельзя" in refused(school_setup.delete_room, world.admin, room_id=room.pk)


def test_curriculum_hours_are_positive_and_the_year_hours_follow_the_weeks(world):
    physics = school_setup.create_subject(world.admin, name="Физика")
    assert "больше нуля" in refused(
        classes.create_line, world.admin, class_id=world.klass.pk, subject_id=physics.pk, hours_per_week=Decimal("0")
    )
    line = classes.create_line(
        world.admin, class_id=world.klass.pk, subject_id=physics.pk, hours_per_week=Decimal("2.5")
    )
    assert line.hours_per_year == 85  # 2.5 × 34 teaching weeks
    assert "уже есть в учебном плане 5А" in refused(
        classes.create_line, world.admin, class_id=world.klass.pk, subject_id=physics.pk, hours_per_week=Decimal("2")
    )
    assert events(world.school, "setup.curriculum_create")[0].after["hours_per_week"] == "2.5"


def test_a_load_needs_its_subject_in_the_curriculum_and_moves_the_journal_with_its_teacher(world):
    physics = school_setup.create_subject(world.admin, name="Физика")
    assert "Предмета «Физика» нет в учебном плане 5А" in refused(
        classes.create_load, world.admin, class_id=world.klass.pk, subject_id=physics.pk, teacher_id=world.teacher.pk
    )
    classes.create_line(world.admin, class_id=world.klass.pk, subject_id=physics.pk, hours_per_week=Decimal("2"))
    assert world.pupil.pk not in classes.access.school_staff(world.school.pk).values_list("pk", flat=True)
    assert "сотрудника школы" in refused(
        classes.create_load, world.admin, class_id=world.klass.pk, subject_id=physics.pk, teacher_id=world.pupil.pk,
    )  # fmt: skip
    load = classes.create_load(
        world.admin, class_id=world.klass.pk, subject_id=physics.pk, teacher_id=world.class_teacher.pk
    )
    assert world.class_teacher.has_perm("journal.fill_journal", load)
    group = F.GroupFactory(school_class=world.klass, name="1 группа")
    assert "весь класс и его группы" in refused(
        classes.create_load, world.admin, class_id=world.klass.pk, subject_id=physics.pk, group_id=group.pk,
        teacher_id=world.teacher.pk,
    )  # fmt: skip
    classes.change_load_teacher(world.admin, load_id=load.pk, teacher_id=world.teacher.pk)
    load.refresh_from_db()
    from accounts.models import User

    teacher, former = User.objects.get(pk=world.teacher.pk), User.objects.get(pk=world.class_teacher.pk)
    assert teacher.has_perm("journal.fill_journal", load) and not former.has_perm("journal.fill_journal", load)
    assert "сначала снимите её" in refused(classes.delete_line, world.admin, line_id=CurriculumLine.objects.get(
        school_class=world.klass, subject=physics).pk)  # fmt: skip
    assert [e.action for e in AuditEvent.objects.filter(object_id=str(load.pk), object_type="journal.teachingassignment")] == [
        "structure.assignment_create", "structure.assignment_teacher"
    ]  # fmt: skip


def test_an_ended_load_loses_its_future_lessons_without_records(world):
    F.TimetableFactory(assignment=world.assignment, weekday=1, bell=world.lessons[0].bell)
    lesson_sync.sync_school(world.school.pk, today=TODAY)
    future = Lesson.objects.filter(assignment=world.assignment, date__gt=TODAY)
    assert future.exists()
    classes.set_load_active(world.admin, load_id=world.assignment.pk, active=False)
    lesson_sync.sync_school(world.school.pk, today=TODAY)
    assert not future.exists()
    assert Lesson.objects.filter(assignment=world.assignment, date__lte=TODAY).exists()  # the past stays
    assert "уже снята" in refused(classes.set_load_active, world.admin, load_id=world.assignment.pk, active=False)
    assert not TeachingAssignment.objects.get(pk=world.assignment.pk).is_active


def test_classes_are_unique_in_their_year_and_a_class_with_pupils_stays(world):
    assert "Класс 5А в учебном году 2026/2027 уже есть" in refused(
        classes.create_class, world.admin, year_id=world.year.pk, grade=5, letter="а"
    )
    six = classes.create_class(
        world.admin, year_id=world.year.pk, grade=6, letter="б", class_teacher_id=world.teacher.pk
    )
    assert str(six) == "6Б" and world.teacher.has_perm("journal.lead_class", six)
    assert "удалить его нельзя" in refused(classes.delete_class, world.admin, class_id=world.klass.pk)
    classes.delete_class(world.admin, class_id=six.pk)
    assert "есть классы (5А, 5Б)" in refused(cal.delete_year, world.admin, year_id=world.year.pk)
