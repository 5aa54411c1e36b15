"""Reverters of journal operations for compromised accounts (accounts.compromise).

Operations are reverted newest first; each one is undone only if its cell still
holds what the operation wrote — if someone else changed it since, that later
change stands and the operation is listed as superseded.
"""

from django.utils.translation import gettext as _

from accounts.compromise import Reversal, register_reverter
from accounts.models import VoidedOperation

from .models import Attendance, Mark
from .services.errors import ServiceError
from .services.voids import void_attendance, void_mark

Outcome = VoidedOperation.Outcome


def _state(d, key):
    return (d or {}).get(key)


def revert_mark(actor, event, compromise) -> Reversal:
    ref = event.after or event.before or {}
    assessment_id, pupil_id = ref.get("assessment"), ref.get("pupil")
    current = Mark.objects.filter(assessment_id=assessment_id, pupil_id=pupil_id).values_list("value", flat=True)
    current = current.first()
    if current != _state(event.after, "value"):
        return Reversal(
            Outcome.SUPERSEDED,
            _("Сейчас в ячейке «%(value)s»: изменено позже, не отменяется.") % {"value": current or "—"},
        )
    target = _state(event.before, "value")
    try:
        rev = void_mark(
            actor, compromise=compromise, event=event, assessment_id=assessment_id, pupil_id=pupil_id, value=target
        )
    except ServiceError as exc:
        return Reversal(Outcome.FAILED, exc.message)
    return Reversal(Outcome.REVERTED, f"«{_state(event.after, 'value') or '—'}» → «{target or '—'}»", rev)


def revert_attendance(actor, event, compromise) -> Reversal:
    ref = event.after or event.before or {}
    lesson_id, pupil_id = ref.get("lesson"), ref.get("pupil")
    current = Attendance.objects.filter(lesson_id=lesson_id, pupil_id=pupil_id).values_list("code", flat=True).first()
    if current != _state(event.after, "code"):
        return Reversal(Outcome.SUPERSEDED, _("Посещаемость изменена позже, не отменяется."))
    target = _state(event.before, "code")
    try:
        rev = void_attendance(
            actor, compromise=compromise, event=event, lesson_id=lesson_id, pupil_id=pupil_id, code=target
        )
    except ServiceError as exc:
        return Reversal(Outcome.FAILED, exc.message)
    return Reversal(
        Outcome.REVERTED, f"«{(_state(event.after, 'code') or '—').upper()}» → «{(target or '—').upper()}»", rev
    )


def register():
    register_reverter("mark.", revert_mark)
    register_reverter("attendance.", revert_attendance)
