"""«Все присутствуют»: the teacher confirms the roll of a lesson with no absences."""

from django.utils import timezone

from accounts import audit

from .. import rules
from ..models import AttendanceRoll
from .entries import _load_lesson, _school, check_lesson_writable


def confirm_attendance(actor, *, lesson_id, now=None) -> AttendanceRoll:
    """Record that attendance of the lesson is entered. Idempotent: the first confirmation stays."""
    now = now or timezone.now()
    with audit.chain(actor.school_id):
        lesson = _load_lesson(lesson_id)
        school = _school(lesson)
        check_lesson_writable(actor, lesson, now)
        roll, created = AttendanceRoll.objects.get_or_create(
            lesson=lesson,
            defaults={"taken_by": actor, "taken_at": now, "is_late": now > rules.entry_deadline(lesson, school)},
        )
        if created:
            audit.record(
                actor=actor,
                action="attendance.roll",
                obj=roll,
                school=school,
                after={"lesson": lesson.pk, "is_late": roll.is_late},
            )
        return roll
