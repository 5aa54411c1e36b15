"""Period deadlines: period marks in the last week and after the deadline; too few marks before the end."""

from datetime import date, datetime

from django.utils import timezone

from journal.control import periods
from journal.models import StudyPeriod, Violation

from . import factories as F

K = Violation.Kind


def at(y, mo, d, h=0, mi=0):
    return timezone.make_aware(datetime(y, mo, d, h, mi))


def q2(world):
    return StudyPeriod.objects.get(year=world.year, scheme="quarter", number=2)  # 05.11–28.12.2026


def open_of(kind):
    return Violation.objects.filter(kind=kind, resolved_at__isnull=True)


def test_period_marks_reminder_in_the_last_week_then_violation_after_the_end(world):
    period = q2(world)
    assert periods.period_marks_due(world.school, at(2026, 12, 21, 23, 59)).opened == 0

    out = periods.period_marks_due(world.school, at(2026, 12, 22, 0, 0))  # 22–28.12 is the last week
    assert out.opened == 2  # 5А and 5Б mathematics
    v = open_of(K.PERIOD_MARKS_DUE).get(assignment=world.assignment)
    assert (v.period, v.responsible, v.details, v.day) == (period, world.teacher, {"missing": 1}, date(2026, 12, 28))
    assert v.since == at(2026, 12, 22)
    assert periods.period_marks_due(world.school, at(2026, 12, 23, 7, 30)).opened == 0

    F.PeriodMarkFactory(pupil=world.pupil, assignment=world.assignment, period=period)
    out = periods.period_marks_due(world.school, at(2026, 12, 24, 7, 30))
    assert out.resolved == 1
    v.refresh_from_db()
    assert v.resolution == Violation.Resolution.FIXED

    # The end day still belongs to the window; the day after, the reminder expires and
    # the missing 5Б marks become a violation.
    assert periods.period_marks_overdue(world.school, at(2026, 12, 28, 23, 59)).opened == 0
    periods.period_marks_due(world.school, at(2026, 12, 29, 0, 0))
    assert not open_of(K.PERIOD_MARKS_DUE).exists()
    assert Violation.objects.get(kind=K.PERIOD_MARKS_DUE, assignment=world.other_assignment).resolution == "expired"
    out = periods.period_marks_overdue(world.school, at(2026, 12, 29, 0, 0))
    assert out.opened == 1
    assert open_of(K.PERIOD_MARKS_OVERDUE).get().assignment == world.other_assignment
    assert periods.period_marks_overdue(world.school, at(2026, 12, 30, 7, 30)).opened == 0


def test_the_schools_order_moves_the_period_marks_deadline(world):
    period = q2(world)
    period.marks_deadline = date(2026, 12, 30)
    period.save()
    periods.period_marks_overdue(world.school, at(2026, 12, 30, 23, 0))
    assert not open_of(K.PERIOD_MARKS_OVERDUE).exists()
    periods.period_marks_due(world.school, at(2026, 12, 30, 23, 0))
    assert open_of(K.PERIOD_MARKS_DUE).count() == 2
    periods.period_marks_overdue(world.school, at(2026, 12, 31, 0, 0))
    assert open_of(K.PERIOD_MARKS_OVERDUE).count() == 2


def test_journals_without_lessons_in_the_period_need_no_period_marks(world):
    # No lesson of the world is in the 1st quarter: nothing is overdue for it in November.
    periods.period_marks_overdue(world.school, at(2026, 11, 20, 7, 30))
    assert not open_of(K.PERIOD_MARKS_OVERDUE).exists()


def test_few_marks_two_weeks_before_the_end_per_pupil(world):
    period = q2(world)
    assert periods.few_marks(world.school, at(2026, 12, 13, 23, 59)).opened == 0
    out = periods.few_marks(world.school, at(2026, 12, 14, 0, 0))
    assert out.opened == 2
    v = open_of(K.FEW_MARKS).get(pupil=world.pupil)
    assert (v.assignment, v.period, v.details) == (world.assignment, period, {"marks": 0, "min": 3})

    lesson = world.lessons[0]
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=lesson, work_type=world.work_type), pupil=world.pupil)
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=lesson, work_type=world.work_type), pupil=world.pupil)
    periods.few_marks(world.school, at(2026, 12, 15, 7, 30))
    v.refresh_from_db()
    assert v.resolved_at is None and v.details == {"marks": 2, "min": 3}
    assert periods.few_marks(world.school, at(2026, 12, 15, 7, 30)).opened == 0

    F.MarkFactory(assessment=F.AssessmentFactory(lesson=world.lessons[1], work_type=world.work_type), pupil=world.pupil)
    out = periods.few_marks(world.school, at(2026, 12, 16, 7, 30))
    assert out.resolved == 1
    v.refresh_from_db()
    assert v.resolution == Violation.Resolution.FIXED

    # After the deadline the reminder for 5Б expires (the period mark check takes over).
    periods.few_marks(world.school, at(2026, 12, 29, 7, 30))
    assert not open_of(K.FEW_MARKS).exists()
    assert Violation.objects.get(kind=K.FEW_MARKS, pupil=world.other_pupil).resolution == "expired"


def test_grade_one_has_no_marks_to_check(world):
    first = F.ClassFactory(year=world.year, grade=1, letter="А")
    F.EnrollmentFactory(school_class=first)
    F.LessonFactory(assignment=F.AssignmentFactory(school_class=first), date=date(2026, 11, 10))
    periods.few_marks(world.school, at(2026, 12, 22))
    periods.period_marks_due(world.school, at(2026, 12, 22))
    assert not Violation.objects.filter(school_class=first).exists()
