"""Lesson deadlines: filled by the cut-off, homework after the last lesson, locked, test marks."""

from datetime import date, datetime, time

from django.utils import timezone

from journal import rules
from journal.control import lessons
from journal.models import Attendance, Lesson, Violation
from journal.services import set_attendance

from . import factories as F

K = Violation.Kind


def at(y, mo, d, h=0, mi=0):
    return timezone.make_aware(datetime(y, mo, d, h, mi))


def open_lessons(kind):
    return set(Violation.objects.filter(kind=kind, resolved_at__isnull=True).values_list("lesson_id", flat=True))


def fill(lesson, teacher, now):
    """What the teacher does: a topic, and the roll (here: one pupil late, which is an attendance entry)."""
    Lesson.objects.filter(pk=lesson.pk).update(topic="Сложение дробей", topic_set_at=now)
    F.AttendanceRollFactory(lesson=lesson, taken_by=teacher, taken_at=now)


def test_unfilled_fires_at_the_cutoff_once_and_closes_when_filled(world):
    monday = world.lessons[0]  # 5А, 09.11.2026
    other = Lesson.objects.get(assignment=world.other_assignment)  # 5Б, same day

    assert lessons.lesson_unfilled(world.school, at(2026, 11, 9, 17, 59)).opened == 0
    assert open_lessons(K.LESSON_UNFILLED) == set()

    out = lessons.lesson_unfilled(world.school, at(2026, 11, 9, 18, 0))
    assert out.opened == 2
    assert open_lessons(K.LESSON_UNFILLED) == {monday.pk, other.pk}
    v = Violation.objects.get(kind=K.LESSON_UNFILLED, lesson=monday)
    assert v.responsible == world.teacher
    assert v.since == at(2026, 11, 9, 18, 0)
    assert v.details == {"no_topic": True, "no_attendance": True}

    again = lessons.lesson_unfilled(world.school, at(2026, 11, 9, 18, 30))
    assert (again.opened, again.resolved) == (0, 0)
    assert Violation.objects.filter(kind=K.LESSON_UNFILLED).count() == 2

    # A topic alone is not enough: attendance must be entered too.
    Lesson.objects.filter(pk=monday.pk).update(topic="Сложение дробей")
    lessons.lesson_unfilled(world.school, at(2026, 11, 9, 19, 0))
    assert Violation.objects.get(kind=K.LESSON_UNFILLED, lesson=monday, resolved_at__isnull=True).details == {
        "no_topic": False,
        "no_attendance": True,
    }

    # An absence entered through the service counts as the roll.
    set_attendance(world.teacher, lesson_id=monday.pk, pupil_id=world.pupil.pk, code="н", now=at(2026, 11, 9, 19, 30))
    out = lessons.lesson_unfilled(world.school, at(2026, 11, 9, 20, 0))
    assert out.resolved == 1
    v.refresh_from_db()
    assert v.resolved_at == at(2026, 11, 9, 20, 0)
    assert v.resolution == Violation.Resolution.FIXED
    assert open_lessons(K.LESSON_UNFILLED) == {other.pk}


def test_unfilled_ignores_cancelled_lessons_and_other_schools(world):
    Lesson.objects.filter(pk=world.lessons[0].pk).update(status=Lesson.Status.CANCELLED)
    lessons.lesson_unfilled(world.school, at(2026, 11, 9, 18, 0))
    assert world.lessons[0].pk not in open_lessons(K.LESSON_UNFILLED)
    assert world.foreign_lesson.pk not in open_lessons(K.LESSON_UNFILLED)
    assert Violation.objects.filter(school=world.foreign_school).count() == 0


def test_unfilled_follows_the_schools_cutoff(world):
    world.school.entry_cutoff = time(20, 0)
    world.school.save()
    assert lessons.lesson_unfilled(world.school, at(2026, 11, 9, 19, 59)).opened == 0
    assert lessons.lesson_unfilled(world.school, at(2026, 11, 9, 20, 0)).opened == 2


def test_locked_fires_at_midnight_after_seven_days_and_closes_when_filled(world):
    monday = world.lessons[0]  # 09.11 → locked from 17.11 00:00
    assert lessons.lesson_locked(world.school, at(2026, 11, 16, 23, 59)).opened == 0
    out = lessons.lesson_locked(world.school, at(2026, 11, 17, 0, 0))
    assert open_lessons(K.LESSON_LOCKED) == {monday.pk, Lesson.objects.get(assignment=world.other_assignment).pk}
    assert out.opened == 2
    assert Violation.objects.get(kind=K.LESSON_LOCKED, lesson=monday).since == at(2026, 11, 17)
    assert lessons.lesson_locked(world.school, at(2026, 11, 17, 8, 0)).opened == 0

    # 10.11 locks a day later.
    lessons.lesson_locked(world.school, at(2026, 11, 18, 0, 0))
    assert world.lessons[1].pk in open_lessons(K.LESSON_LOCKED)

    fill(monday, world.teacher, at(2026, 11, 18, 9, 0))  # the deputy unlocked it and the teacher filled it
    out = lessons.lesson_locked(world.school, at(2026, 11, 18, 10, 0))
    assert out.resolved == 1
    assert monday.pk not in open_lessons(K.LESSON_LOCKED)
    assert Violation.objects.get(kind=K.LESSON_LOCKED, lesson=monday).resolution == Violation.Resolution.FIXED


def test_homework_deadline_is_counted_from_the_classs_last_lesson(world):
    monday = world.lessons[0]  # 5А, 1st lesson 08:00–08:45
    russian = F.AssignmentFactory(
        school_class=world.klass, subject=F.SubjectFactory(school=world.school, name="Русский язык")
    )
    sixth = F.LessonFactory(
        assignment=russian, date=date(2026, 11, 9), bell=F.BellFactory(school=world.school, number=6)
    )  # 13:00–13:45: the class's last lesson → homework due by 15:15 for both lessons
    lonely_5b = Lesson.objects.get(assignment=world.other_assignment)  # 5Б ends 08:45 → due 10:15

    assert lessons.homework_missing(world.school, at(2026, 11, 9, 10, 14)).opened == 0
    assert open_lessons(K.HOMEWORK_MISSING) == set()
    lessons.homework_missing(world.school, at(2026, 11, 9, 10, 15))
    assert open_lessons(K.HOMEWORK_MISSING) == {lonely_5b.pk}

    lessons.homework_missing(world.school, at(2026, 11, 9, 15, 14))
    assert open_lessons(K.HOMEWORK_MISSING) == {lonely_5b.pk}
    out = lessons.homework_missing(world.school, at(2026, 11, 9, 15, 15))
    assert out.opened == 2
    assert open_lessons(K.HOMEWORK_MISSING) == {lonely_5b.pk, monday.pk, sixth.pk}
    assert Violation.objects.get(kind=K.HOMEWORK_MISSING, lesson=monday).since == at(2026, 11, 9, 15, 15)
    assert lessons.homework_missing(world.school, at(2026, 11, 9, 16, 0)).opened == 0

    F.HomeworkFactory(lesson=monday)
    out = lessons.homework_missing(world.school, at(2026, 11, 9, 16, 0))
    assert out.resolved == 1
    assert open_lessons(K.HOMEWORK_MISSING) == {lonely_5b.pk, sixth.pk}


def test_no_homework_is_expected_in_grade_one_unless_the_school_wants_it(world):
    first = F.ClassFactory(year=world.year, grade=1, letter="А")
    lesson = F.LessonFactory(assignment=F.AssignmentFactory(school_class=first), date=date(2026, 11, 9))
    lessons.homework_missing(world.school, at(2026, 11, 9, 20, 0))
    assert lesson.pk not in open_lessons(K.HOMEWORK_MISSING)
    world.school.grade1_homework = True
    world.school.save()
    lessons.homework_missing(world.school, at(2026, 11, 9, 20, 0))
    assert lesson.pk in open_lessons(K.HOMEWORK_MISSING)


def _test_on(world, day):
    lesson = F.LessonFactory(assignment=world.assignment, date=day, bell=F.BellFactory(school=world.school, number=2))
    work = F.WorkTypeFactory(school=world.school, code="test", name="Контрольная работа", is_test=True)
    return F.AssessmentFactory(lesson=lesson, work_type=work)


def test_test_marks_are_due_the_next_day_at_the_cutoff(world):
    test = _test_on(world, date(2026, 11, 10))  # Tuesday → due Wednesday 18:00
    F.AssessmentFactory(lesson=test.lesson, work_type=world.work_type)  # an oral answer: not a test
    assert rules.test_marks_deadline(test.lesson, world.school) == at(2026, 11, 11, 18, 0)

    assert lessons.test_marks(world.school, at(2026, 11, 11, 17, 59)).opened == 0
    out = lessons.test_marks(world.school, at(2026, 11, 11, 18, 0))
    assert out.opened == 1
    v = Violation.objects.get(kind=K.TEST_MARKS)
    assert (v.assessment_id, v.lesson_id, v.responsible_id) == (test.pk, test.lesson_id, world.teacher.pk)
    assert v.details == {"missing": 1}
    assert lessons.test_marks(world.school, at(2026, 11, 12, 9, 0)).opened == 0

    F.MarkFactory(assessment=test, pupil=world.pupil, value="4")
    out = lessons.test_marks(world.school, at(2026, 11, 12, 10, 0))
    assert out.resolved == 1
    assert not Violation.objects.filter(kind=K.TEST_MARKS, resolved_at__isnull=True).exists()


def test_test_marks_over_a_weekend_and_for_absent_pupils(world):
    friday = _test_on(world, date(2026, 11, 13))  # Friday → the rule gives one calendar day: Saturday 18:00
    lessons.test_marks(world.school, at(2026, 11, 14, 17, 59))
    assert not Violation.objects.filter(kind=K.TEST_MARKS).exists()
    lessons.test_marks(world.school, at(2026, 11, 14, 18, 0))
    assert Violation.objects.filter(kind=K.TEST_MARKS, assessment=friday).count() == 1

    # The only pupil was absent from the test: nobody to mark, the violation closes.
    F.AttendanceFactory(lesson=friday.lesson, pupil=world.pupil, code=Attendance.Code.ILL)
    lessons.test_marks(world.school, at(2026, 11, 16, 9, 0))
    assert not Violation.objects.filter(kind=K.TEST_MARKS, resolved_at__isnull=True).exists()


def test_a_pupil_who_left_before_the_test_needs_no_mark(world):
    test = _test_on(world, date(2026, 11, 10))
    newcomer = F.EnrollmentFactory(school_class=world.klass, start=date(2026, 11, 11)).pupil
    lessons.test_marks(world.school, at(2026, 11, 11, 18, 0))
    v = Violation.objects.get(kind=K.TEST_MARKS, assessment=test)
    assert v.details == {"missing": 1}  # Иванова only; the newcomer came after the test
    assert newcomer.pk
