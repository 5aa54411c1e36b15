"""The school's rules as the journal services enforce them (docs/DESIGN.md §3), on a given clock (`now=`)."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from journal import services
from journal.models import Attendance, Enrollment, Homework, Lesson, Mark, PeriodMark, StudyPeriod
from journal.rules import at
from journal.services import Conflict, NotAllowed, ServiceError

from . import factories as F

# "Today" is a fixed school day, whatever the real date.
pytestmark = pytest.mark.usefixtures("school_day")


DAY = date(2026, 11, 9)  # world.lessons[0], 1st lesson 08:00–08:45


def code_of(excinfo):
    return excinfo.value.code


@pytest.fixture
def lesson(world):
    return world.lessons[0]


@pytest.fixture
def work(world, lesson):
    return F.AssessmentFactory(lesson=lesson, work_type=world.work_type)


def mark(world, work, value="5", **kw):
    kw.setdefault("now", at(DAY, time(10)))
    return services.set_mark(world.teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value=value, **kw)


# --- grade 1, future lessons, lock ---------------------------------------------------


def test_grade_one_gets_no_marks_and_no_homework_unless_the_school_says_so(world):
    first = F.ClassFactory(year=world.year, grade=1, letter="А")
    F.EnrollmentFactory(school_class=first, pupil=F.UserFactory(school=world.school))
    a = F.AssignmentFactory(school_class=first, subject=world.subject, teacher=world.teacher)
    lesson = F.LessonFactory(assignment=a, date=DAY, bell=world.lessons[0].bell)
    pupil = first.enrollments.get().pupil
    now = at(DAY, time(10))
    work = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    with pytest.raises(ServiceError) as e:
        services.set_mark(world.teacher, assessment_id=work.pk, pupil_id=pupil.pk, value="5", now=now)
    assert code_of(e) == "no_marks_grade"
    with pytest.raises(ServiceError) as e:
        services.add_assessment(world.teacher, lesson_id=lesson.pk, work_type_id=world.work_type.pk, now=now)
    assert code_of(e) == "no_marks_grade"
    with pytest.raises(ServiceError) as e:
        services.set_homework(world.teacher, lesson_id=lesson.pk, text="Прописи, с. 4", now=now)
    assert code_of(e) == "no_homework_grade"
    # attendance and topics are kept in grade 1
    services.set_attendance(world.teacher, lesson_id=lesson.pk, pupil_id=pupil.pk, code="б", now=now)
    services.set_topic(world.teacher, lesson_id=lesson.pk, topic="Звук [а]", now=now)
    world.school.grade1_homework = True
    world.school.save()
    services.set_homework(world.teacher, lesson_id=lesson.pk, text="Прописи, с. 4", now=now)
    assert Homework.objects.get(lesson=lesson).text == "Прописи, с. 4"
    assert not Mark.objects.exists()


def test_no_marks_or_attendance_for_a_lesson_in_the_future_but_topic_may_be_planned(world, lesson, work):
    before = at(DAY - timedelta(days=1), time(12))
    with pytest.raises(ServiceError) as e:
        mark(world, work, now=before)
    assert code_of(e) == "future"
    with pytest.raises(ServiceError) as e:
        services.set_attendance(world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, code="н", now=before)
    assert code_of(e) == "future"
    services.set_topic(world.teacher, lesson_id=lesson.pk, topic="Дроби", now=before)
    lesson.refresh_from_db()
    assert lesson.topic == "Дроби" and not lesson.topic_late


def test_no_mark_or_attendance_before_the_lesson_starts_on_its_own_day(world):
    """Today's 10:30 lesson takes no mark at 00:05 nor at 10:29, and takes one at 10:30."""
    bell = F.BellFactory(school=world.school, number=4, starts=time(10, 30), ends=time(11, 15))
    lesson = F.LessonFactory(assignment=world.assignment, date=DAY, bell=bell)
    work = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    for early in (at(DAY, time(0, 5)), at(DAY, time(10, 29))):
        with pytest.raises(ServiceError) as e:
            mark(world, work, now=early)
        assert code_of(e) == "future"
        assert "10:30" in e.value.message and "09.11.2026" in e.value.message
        with pytest.raises(ServiceError) as e:
            services.set_attendance(world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, code="н", now=early)
        assert code_of(e) == "future"
        with pytest.raises(ServiceError) as e:
            services.set_lesson_mark(world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, value="5", now=early)
        assert code_of(e) == "future"
    assert not Mark.objects.exists() and not Attendance.objects.exists()
    assert mark(world, work, now=at(DAY, time(10, 30))).value == "5"
    services.set_attendance(
        world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, code="оп", now=at(DAY, time(10, 30))
    )
    assert Attendance.objects.get(lesson=lesson).code == "оп"


def test_lesson_locks_for_its_teacher_seven_days_after_and_deputy_unlock_reopens_it(world, lesson, work):
    last_day = at(DAY + timedelta(days=7), time(23, 30))
    assert mark(world, work, "4", now=last_day).is_late
    with pytest.raises(ServiceError) as e:
        mark(world, work, "3", now=at(DAY + timedelta(days=8), time(8)), reason="ошибка")
    assert code_of(e) == "locked"
    with pytest.raises(ServiceError) as e:
        services.set_topic(world.teacher, lesson_id=lesson.pk, topic="Поздно", now=at(DAY + timedelta(days=8), time(8)))
    assert code_of(e) == "locked"
    # the deputy's unlock (built elsewhere) is a moment on the lesson; the rule honours it
    Lesson.objects.filter(pk=lesson.pk).update(unlocked_until=at(DAY + timedelta(days=9), time(18)))
    assert mark(world, work, "3", now=at(DAY + timedelta(days=9), time(8)), reason="ошибка").value == "3"


def test_only_the_journal_teacher_writes_cells(world, lesson, work):
    for user in (world.class_teacher, world.deputy, world.director, world.parent):
        with pytest.raises(NotAllowed):
            services.set_mark(user, assessment_id=work.pk, pupil_id=world.pupil.pk, value="5", now=at(DAY, time(10)))


# --- late flags ---------------------------------------------------------------------


def test_entries_after_the_cutoff_are_stored_and_flagged_late(world, lesson, work):
    assert not mark(world, work, "5", now=at(DAY, time(17, 59))).is_late
    other = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    late = services.set_mark(
        world.teacher, assessment_id=other.pk, pupil_id=world.pupil.pk, value="4", now=at(DAY, time(18, 1))
    )
    assert late.is_late
    att = services.set_attendance(
        world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, code="оп", now=at(DAY, time(18, 30))
    )
    assert att.is_late
    services.set_topic(world.teacher, lesson_id=lesson.pk, topic="Дроби", now=at(DAY, time(19)))
    lesson.refresh_from_db()
    assert lesson.topic_late and lesson.topic_set_at == at(DAY, time(19))


def test_homework_is_late_after_the_hours_following_the_class_last_lesson(world, lesson):
    # Lesson 1 ends 08:45; with no other lesson the deadline is 10:15 (1.5 h).
    hw = services.set_homework(world.teacher, lesson_id=lesson.pk, text="№ 12", now=at(DAY, time(10, 10)))
    assert not hw.is_late
    hw = services.set_homework(world.teacher, lesson_id=lesson.pk, text="№ 12, 13", now=at(DAY, time(10, 20)))
    assert hw.is_late
    # A later lesson of the same class that day moves the deadline: bell 4 ends 11:45 → 13:15.
    other = F.AssignmentFactory(school_class=world.klass, subject=F.SubjectFactory(school=world.school, name="Чтение"))
    F.LessonFactory(assignment=other, date=DAY + timedelta(days=3), bell=F.BellFactory(school=world.school, number=4))
    F.LessonFactory(assignment=other, date=DAY, bell=F.BellFactory(school=world.school, number=4))
    second = F.LessonFactory(assignment=world.assignment, date=DAY, bell=F.BellFactory(school=world.school, number=2))
    assert not services.set_homework(world.teacher, lesson_id=second.pk, text="с. 5", now=at(DAY, time(13))).is_late
    assert services.set_homework(world.teacher, lesson_id=lesson.pk, text="№ 14", now=at(DAY, time(13))).is_late
    events = AuditEvent.objects.filter(action__startswith="homework.").values_list("action", flat=True)
    assert list(events).count("homework.update") == 2


# --- corrections ---------------------------------------------------------------------


def test_correcting_a_mark_on_a_later_day_needs_a_reason_and_history_keeps_the_old_value(world):
    today = timezone.localdate()
    lesson = F.LessonFactory(assignment=world.assignment, date=today - timedelta(days=1), bell=world.lessons[0].bell)
    work = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    m = services.set_mark(world.teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value="3")
    # the same day: fixed at once, no reason asked
    m = services.set_mark(world.teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value="2", expected_version=1)
    tomorrow = timezone.now() + timedelta(days=1)
    with pytest.raises(ServiceError) as e:
        services.set_mark(world.teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value="4", now=tomorrow)
    assert code_of(e) == "reason_required"
    assert Mark.objects.get(pk=m.pk).value == "2"
    services.set_mark(
        world.teacher,
        assessment_id=work.pk,
        pupil_id=world.pupil.pk,
        value="4",
        reason="ошибка при вводе",
        now=tomorrow,
    )
    history = list(
        AuditEvent.objects.filter(object_type="journal.mark", object_id=str(m.pk))
        .order_by("id")
        .values("before", "after", "reason")
    )
    assert [h["after"]["value"] for h in history] == ["3", "2", "4"]
    assert history[-1]["before"]["value"] == "2" and history[-1]["reason"] == "ошибка при вводе"


def test_a_stale_version_is_a_conflict_and_writes_nothing(world, work):
    mark(world, work, "5")
    with pytest.raises(Conflict) as e:
        mark(world, work, "3", expected_version=0)
    assert e.value.current_value == "5" and e.value.current_version == 1
    assert Mark.objects.get().value == "5"


def test_pupil_not_enrolled_at_the_lesson_date_is_refused(world, lesson, work):
    newcomer = F.EnrollmentFactory(school_class=world.klass, start=DAY + timedelta(days=1)).pupil
    leaver = F.EnrollmentFactory(school_class=world.klass, end=DAY - timedelta(days=1)).pupil
    for p in (newcomer, leaver, world.other_pupil):
        with pytest.raises(ServiceError) as e:
            services.set_mark(world.teacher, assessment_id=work.pk, pupil_id=p.pk, value="5", now=at(DAY, time(10)))
        assert code_of(e) == "not_enrolled"
        with pytest.raises(ServiceError):
            services.set_attendance(world.teacher, lesson_id=lesson.pk, pupil_id=p.pk, code="н", now=at(DAY, time(10)))
    assert not Mark.objects.exists() and not Attendance.objects.exists()


def test_bad_values_are_refused_with_a_russian_message(world, work):
    for bad in ("6", "0", "1", "зач", "пять"):
        with pytest.raises(ServiceError) as e:
            mark(world, work, bad)
        assert "Недопустимая отметка" in e.value.message
    world.school.allow_mark_one = True
    world.school.save()
    assert mark(world, work, "1").value == "1"


# --- works on a lesson ----------------------------------------------------------------


def test_works_have_type_and_weight_and_removing_one_with_marks_needs_a_reason(world, lesson):
    now = at(DAY, time(10))
    test_type = F.WorkTypeFactory(school=world.school, code="test", name="Контрольная работа", weight="2.0")
    with pytest.raises(ServiceError) as e:
        services.add_assessment(
            world.teacher, lesson_id=lesson.pk, work_type_id=test_type.pk, weight="тяжёлый", now=now
        )
    assert code_of(e) == "bad_weight"
    a = services.add_assessment(world.teacher, lesson_id=lesson.pk, work_type_id=test_type.pk, now=now)
    assert a.weight == 2
    a = services.change_assessment(world.teacher, assessment_id=a.pk, work_type_id=test_type.pk, weight="1,5", now=now)
    assert str(a.weight) == "1.5"
    services.set_mark(world.teacher, assessment_id=a.pk, pupil_id=world.pupil.pk, value="4", now=now)
    with pytest.raises(ServiceError) as e:
        services.remove_assessment(world.teacher, assessment_id=a.pk, now=now)
    assert code_of(e) == "reason_required"
    services.remove_assessment(world.teacher, assessment_id=a.pk, reason="работа перенесена", now=now)
    assert not Mark.objects.exists()
    gone = AuditEvent.objects.get(action="mark.delete")
    assert gone.before["value"] == "4" and gone.reason == "работа перенесена"
    assert AuditEvent.objects.filter(action="assessment.delete").exists()


def test_typing_a_mark_into_a_lesson_without_works_creates_the_default_work(world, lesson):
    m = services.set_lesson_mark(
        world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, value="5", now=at(DAY, time(10))
    )
    assert m.assessment.lesson_id == lesson.pk and m.assessment.work_type_id == world.work_type.pk
    # a refused mark leaves no empty work behind
    lesson2 = world.lessons[1]
    with pytest.raises(ServiceError):
        services.set_lesson_mark(
            world.teacher, lesson_id=lesson2.pk, pupil_id=world.pupil.pk, value="9", now=at(DAY, time(10))
        )
    assert not lesson2.assessments.exists()


def test_individual_homework_and_comments_are_per_pupil_and_audited(world, lesson):
    now = at(DAY, time(9))
    services.set_individual_homework(
        world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, text="Карточка 3", now=now
    )
    services.set_comment(world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, text="Молодец", now=now)
    with pytest.raises(ServiceError):
        services.set_comment(world.teacher, lesson_id=lesson.pk, pupil_id=world.other_pupil.pk, text="?", now=now)
    services.set_comment(world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, text="", now=now)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["individual_homework.create", "lesson_comment.create", "lesson_comment.delete"]


# --- period marks ----------------------------------------------------------------------


def q1(world):
    return StudyPeriod.objects.get(year=world.year, scheme="quarter", number=1)  # ends 2026-10-24


def pm(world, user, value, now, **kw):
    kw.setdefault("period_id", q1(world).pk)
    return services.set_period_mark(
        user, assignment_id=world.assignment.pk, pupil_id=world.pupil.pk, value=value, now=now, **kw
    )


def test_period_marks_only_in_the_last_week_up_to_the_deadline(world):
    with pytest.raises(ServiceError) as e:
        pm(world, world.teacher, "5", at(date(2026, 10, 17), time(12)))
    assert code_of(e) == "window_closed"
    assert pm(world, world.teacher, "5", at(date(2026, 10, 18), time(8))).value == "5"
    assert pm(world, world.teacher, "4", at(date(2026, 10, 24), time(20)), expected_version=1).value == "4"
    with pytest.raises(ServiceError) as e:
        pm(world, world.teacher, "3", at(date(2026, 10, 25), time(8)))
    assert code_of(e) == "window_closed" and "заместитель директора" in e.value.message
    period = q1(world)
    period.marks_deadline = date(2026, 10, 28)
    period.save()
    assert pm(world, world.teacher, "5", at(date(2026, 10, 28), time(15))).value == "5"
    assert [
        e["after"]["value"] for e in AuditEvent.objects.filter(action__startswith="period_mark").values("after")
    ] == [
        "5",
        "4",
        "5",
    ]


def test_class_teacher_sets_period_marks_for_every_subject_others_may_not(world):
    now = at(date(2026, 10, 20), time(12))
    assert pm(world, world.class_teacher, "н/а", now).value == "н/а"
    assert pm(world, world.class_teacher, "осв", now).value == "осв"
    for user in (world.deputy, world.director, world.parent, world.outsider):
        with pytest.raises(NotAllowed):
            pm(world, user, "5", now)
    with pytest.raises(ServiceError) as e:
        pm(world, world.teacher, "зач", now)
    assert code_of(e) == "bad_value"
    with pytest.raises(Conflict):
        pm(world, world.teacher, "5", now, expected_version=0)


def test_year_exam_and_final_marks_are_given_for_the_year(world):
    year = StudyPeriod.objects.get(year=world.year, scheme="year")
    now = at(date(2027, 5, 28), time(12))
    with pytest.raises(ServiceError) as e:
        pm(world, world.teacher, "5", now, period_id=year.pk)  # kind "period" with the year
    assert code_of(e) == "bad_period"
    for kind in ("year", "exam", "final"):
        pm(world, world.teacher, "4", now, period_id=year.pk, kind=kind)
    assert set(PeriodMark.objects.values_list("kind", flat=True)) == {"year", "exam", "final"}
    from journal.services.period_marks import year_mark_suggestion

    assert year_mark_suggestion(["4", "5", "4", "5"]) == 5  # 4.5 → 5
    assert year_mark_suggestion(["3", "4", "4"]) == 4
    assert year_mark_suggestion(["н/а", "осв"]) is None


def test_pupil_who_left_before_the_period_gets_no_period_mark(world):
    leaver = F.EnrollmentFactory(school_class=world.klass, start=date(2026, 9, 1), end=date(2026, 9, 5)).pupil
    q2 = StudyPeriod.objects.get(year=world.year, scheme="quarter", number=2)
    with pytest.raises(ServiceError) as e:
        services.set_period_mark(
            world.teacher,
            assignment_id=world.assignment.pk,
            pupil_id=leaver.pk,
            period_id=q2.pk,
            value="4",
            now=at(date(2026, 12, 25), time(12)),
        )
    assert code_of(e) == "not_enrolled"
    assert Enrollment.objects.filter(pupil=leaver).count() == 1
