"""Notices of a check run: one message per person per run, reminders, escalation to class teacher and deputy."""

from datetime import datetime

from django.core import mail
from django.utils import timezone

from journal.control import run_school_checks
from journal.models import Notification, Violation

from . import factories as F

K = Violation.Kind


def at(y, mo, d, h=0, mi=0):
    return timezone.make_aware(datetime(y, mo, d, h, mi))


def with_email(*users):
    for u in users:
        u.email = f"{u.username}@school1.example"
        u.save(update_fields=["email"])


def letters_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def notice_kinds(user):
    return sorted(v.kind for n in Notification.objects.filter(user=user) for v in n.violations.all())


def test_two_violations_of_one_teacher_in_one_run_make_one_notice_and_one_letter(world):
    with_email(world.teacher, world.deputy, world.class_teacher)
    # 18:00 on 10.11: the lessons of 9 and 10 November are both unfilled.
    report = run_school_checks(world.school, at(2026, 11, 10, 18, 0), ["lesson_unfilled"])
    assert report.outcomes[0].opened == 3  # two of Соколов's, one of 5Б's teacher

    notice = Notification.objects.get(user=world.teacher)
    assert notice.violations.count() == 2
    assert "2" in notice.title
    assert notice.emailed_at == at(2026, 11, 10, 18, 0)
    (letter,) = letters_to(world.teacher)
    assert letter.subject == notice.title
    assert "09.11.2026" in letter.body and "10.11.2026" in letter.body
    # Unfilled lessons are the teacher's own business: no escalation.
    assert not Notification.objects.filter(user__in=[world.deputy, world.class_teacher]).exists()
    # Two notices (Соколов, 5Б's teacher); one letter: 5Б's teacher has no e-mail address.
    assert (report.notifications, report.emails) == (2, 1)

    # The same run again announces nothing.
    again = run_school_checks(world.school, at(2026, 11, 10, 18, 30), ["lesson_unfilled"])
    assert (again.notifications, again.emails) == (0, 0)
    assert Notification.objects.filter(user=world.teacher).count() == 1
    assert len(letters_to(world.teacher)) == 1

    # The next day only what is new: the lesson of 11 November.
    run_school_checks(world.school, at(2026, 11, 11, 18, 0), ["lesson_unfilled"])
    latest = Notification.objects.filter(user=world.teacher).order_by("-id").first()
    assert [v.lesson for v in latest.violations.all()] == [world.lessons[2]]
    assert len(letters_to(world.teacher)) == 2


def test_escalation_reaches_the_class_teacher_and_the_deputy_as_the_rule_says(world):
    with_email(world.teacher, world.deputy, world.class_teacher)
    test = F.WorkTypeFactory(school=world.school, code="test", name="Контрольная работа", is_test=True)
    F.AssessmentFactory(lesson=world.lessons[0], work_type=test)  # 9.11, nobody marked
    # 20.11, 06:30: lessons of 9–11.11 locked unfilled; test marks were due 10.11 18:00.
    run_school_checks(world.school, at(2026, 11, 20, 6, 30), ["lesson_unfilled", "lesson_locked", "test_marks"])

    # The teacher: everything of their own in one notice (3 unfilled, 3 locked, 1 test).
    assert Notification.objects.filter(user=world.teacher).count() == 1
    assert notice_kinds(world.teacher) == sorted([K.LESSON_LOCKED] * 3 + [K.LESSON_UNFILLED] * 3 + [K.TEST_MARKS])
    # The class teacher of 5А: only the test without marks in her class.
    assert notice_kinds(world.class_teacher) == [K.TEST_MARKS]
    # The deputy: every locked lesson of the school (5А's three and 5Б's one), nothing else.
    assert notice_kinds(world.deputy) == [K.LESSON_LOCKED] * 4
    deputy_letter = letters_to(world.deputy)
    assert len(deputy_letter) == 1 and "Для контроля" in deputy_letter[0].body
    assert "Нарушены сроки" not in deputy_letter[0].body
    # The director is not a recipient of escalations.
    assert not Notification.objects.filter(user=world.director).exists()


def test_reminders_and_new_kinds_go_to_their_people(world):
    """A reminder (period marks, last week) goes to the teacher in its own section; a plan
    whose hours do not match the curriculum goes to the teacher and, escalated, to the deputy."""
    with_email(world.teacher, world.deputy)
    F.CurriculumFactory(school_class=world.klass, subject=world.subject, hours_per_year=68)
    run_school_checks(world.school, at(2026, 12, 22, 6, 30), ["period_marks_due", "plan_hours"])

    assert notice_kinds(world.teacher) == sorted([K.PERIOD_MARKS_DUE, K.PLAN_HOURS])
    (letter,) = letters_to(world.teacher)
    assert "Напоминания о сроках" in letter.body and "Нарушены сроки" in letter.body
    assert "в КТП 0 ч., по учебному плану 68 ч." in letter.body
    assert notice_kinds(world.deputy) == [K.PLAN_HOURS]
