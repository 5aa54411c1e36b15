"""The administrator's override for voiding a compromised account's entries.

docs/DESIGN.md §3.11: operations of a compromised account are void. Reverting them must
work even on lessons long locked for the teacher, so this path skips the entry
deadlines — and only them: it requires a recorded Compromise of the school, the
operation must be that account's own and made after the moment the school learned
of the breach, and every write is audited ("<kind>.void") in the same transaction.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.compromise import void_reason
from accounts.scopes import is_school_admin

from ..models import Assessment, Attendance, Mark
from .entries import _attendance_state, _load_lesson, _mark_state, _school
from .errors import NotAllowed, ServiceError


def _check(actor, compromise, event, school):
    if not is_school_admin(actor) or actor.school_id != school.pk or compromise.school_id != school.pk:
        raise NotAllowed(_("Аннулировать операции может только администратор ЭЖ школы."))
    if event.actor_id != compromise.user_id or event.created_at < compromise.learned_at:
        raise NotAllowed(_("Операция не относится к зафиксированной компрометации."))


def void_mark(actor, *, compromise, event, assessment_id, pupil_id, value):
    """Set the mark cell back to `value` (None: no mark). Returns the audit event of the reversal."""
    with transaction.atomic():
        assessment = Assessment.objects.get(pk=assessment_id)
        lesson = _load_lesson(assessment.lesson_id)
        school = _school(lesson)
        _check(actor, compromise, event, school)
        existing = Mark.objects.select_for_update().filter(assessment_id=assessment_id, pupil_id=pupil_id).first()
        reason = void_reason(compromise, event)
        if value is None:
            if existing is None:
                raise ServiceError(_("Отметки уже нет."), code="gone")
            before = _mark_state(existing)
            pk = existing.pk
            existing.delete()
            return audit.record(
                actor=actor,
                action="mark.void",
                object_type="journal.mark",
                object_id=pk,
                school=school,
                before=before,
                reason=reason,
            )
        if existing is None:
            mark = Mark.objects.create(
                assessment=assessment, pupil_id=pupil_id, value=value, created_by=actor, updated_by=actor
            )
            return audit.record(
                actor=actor, action="mark.void", obj=mark, school=school, after=_mark_state(mark), reason=reason
            )
        before = _mark_state(existing)
        existing.value = value
        existing.updated_by = actor
        existing.version += 1
        existing.save(update_fields=["value", "updated_by", "version", "updated_at"])
        return audit.record(
            actor=actor,
            action="mark.void",
            obj=existing,
            school=school,
            before=before,
            after=_mark_state(existing),
            reason=reason,
        )


def void_attendance(actor, *, compromise, event, lesson_id, pupil_id, code):
    """Set the attendance cell back to `code` (None: present). Returns the audit event."""
    with transaction.atomic():
        lesson = _load_lesson(lesson_id)
        school = _school(lesson)
        _check(actor, compromise, event, school)
        existing = Attendance.objects.select_for_update().filter(lesson_id=lesson_id, pupil_id=pupil_id).first()
        reason = void_reason(compromise, event)
        if code is None:
            if existing is None:
                raise ServiceError(_("Отметки посещаемости уже нет."), code="gone")
            before = _attendance_state(existing)
            pk = existing.pk
            existing.delete()
            return audit.record(
                actor=actor,
                action="attendance.void",
                object_type="journal.attendance",
                object_id=pk,
                school=school,
                before=before,
                reason=reason,
            )
        if existing is None:
            att = Attendance.objects.create(lesson=lesson, pupil_id=pupil_id, code=code, created_by=actor)
            return audit.record(
                actor=actor,
                action="attendance.void",
                obj=att,
                school=school,
                after=_attendance_state(att),
                reason=reason,
            )
        before = _attendance_state(existing)
        existing.code = code
        existing.version += 1
        existing.save(update_fields=["code", "version", "updated_at"])
        return audit.record(
            actor=actor,
            action="attendance.void",
            obj=existing,
            school=school,
            before=before,
            after=_attendance_state(existing),
            reason=reason,
        )
