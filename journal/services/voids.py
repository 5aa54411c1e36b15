"""The administrator's override for voiding a compromised account's entries.

docs/DESIGN.md §3.11: operations of a compromised account are void. Reverting them must
work even on lessons long locked for the teacher, so this path skips the entry
deadlines — and only them: it requires a recorded Compromise of the school, the
operation must be that account's own and made after the moment the school learned
of the breach, and every write is audited ("<kind>.void") in the same transaction.
"""

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
    with audit.chain(actor.school_id):
        assessment = Assessment.objects.get(pk=assessment_id)
        lesson = _load_lesson(assessment.lesson_id)
        school = _school(lesson)
        _check(actor, compromise, event, school)
        return _put_back(
            actor,
            Mark,
            cell={"assessment": assessment, "pupil_id": pupil_id},
            changes={"value": value, "updated_by": actor},
            state=_mark_state,
            school=school,
            reason=void_reason(compromise, event),
            gone=_("Отметки уже нет."),
        )


def void_attendance(actor, *, compromise, event, lesson_id, pupil_id, code):
    """Set the attendance cell back to `code` (None: present). Returns the audit event."""
    with audit.chain(actor.school_id):
        lesson = _load_lesson(lesson_id)
        school = _school(lesson)
        _check(actor, compromise, event, school)
        return _put_back(
            actor,
            Attendance,
            cell={"lesson": lesson, "pupil_id": pupil_id},
            changes={"code": code},
            state=_attendance_state,
            school=school,
            reason=void_reason(compromise, event),
            gone=_("Отметки посещаемости уже нет."),
        )


def _put_back(actor, model, *, cell, changes, state, school, reason, gone):
    """Make the locked `cell` of `model` hold `changes` again, or delete it when the first
    change is None; audited as "<model>.void". Runs inside the caller's transaction."""
    kind = model._meta.model_name
    action = f"{kind}.void"
    existing = model.objects.select_for_update().filter(**cell).first()
    if next(iter(changes.values())) is None:
        if existing is None:
            raise ServiceError(gone, code="gone")
        before, pk = state(existing), existing.pk
        existing.delete()
        return audit.record(
            actor=actor,
            action=action,
            object_type=f"journal.{kind}",
            object_id=pk,
            school=school,
            before=before,
            reason=reason,
        )
    if existing is None:
        row = model.objects.create(**cell, **changes, created_by=actor)
        return audit.record(actor=actor, action=action, obj=row, school=school, after=state(row), reason=reason)
    before = state(existing)
    for field, value in changes.items():
        setattr(existing, field, value)
    existing.version += 1
    existing.save(update_fields=[*changes, "version", "updated_at"])
    return audit.record(
        actor=actor, action=action, obj=existing, school=school, before=before, after=state(existing), reason=reason
    )
