"""History of journal records from the audit trail (docs/DESIGN.md §3 "Corrections": the
old value stays in history). Plain data for journal/views/history.py."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent, User

ACTIONS = {
    "mark.create": _("отметка выставлена"),
    "mark.update": _("отметка исправлена"),
    "mark.delete": _("отметка удалена"),
    "mark.void": _("отметка отменена (компрометация учётной записи)"),
    "attendance.create": _("посещаемость отмечена"),
    "attendance.update": _("посещаемость исправлена"),
    "attendance.delete": _("отметка о посещаемости удалена"),
    "attendance.reason": _("причина отсутствия указана"),
    "attendance.void": _("отметка о посещаемости отменена (компрометация)"),
    "attendance.roll": _("посещаемость урока отмечена"),
    "lesson.topic": _("тема урока"),
    "lesson.unlock": _("урок разблокирован"),
    "homework.create": _("домашнее задание"),
    "homework.set": _("домашнее задание"),
    "homework.update": _("домашнее задание исправлено"),
    "homework.delete": _("домашнее задание удалено"),
    "assessment.create": _("работа добавлена"),
    "assessment.update": _("работа изменена"),
    "assessment.delete": _("работа удалена"),
    "period_mark.create": _("итоговая отметка выставлена"),
    "period_mark.update": _("итоговая отметка исправлена"),
    "period_mark.delete": _("итоговая отметка удалена"),
}
VALUE_KEYS = ("value", "code", "topic", "text", "reason_document", "work_type")


@dataclass
class Entry:
    at: object
    actor: object
    action: str
    old: str
    new: str
    reason: str
    late: bool


def _value(state):
    if not state:
        return ""
    return "; ".join(str(state[k]) for k in VALUE_KEYS if state.get(k) not in (None, ""))


def entries(events) -> list[Entry]:
    events = list(events)
    actors = {u.pk: u for u in User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id})}
    return [
        Entry(
            at=e.created_at,
            actor=actors.get(e.actor_id),
            action=str(ACTIONS.get(e.action, e.action)),
            old=_value(e.before),
            new=_value(e.after),
            reason=e.reason,
            late=bool((e.after or {}).get("is_late") or (e.after or {}).get("topic_late")),
        )
        for e in events
    ]


def _of(school_id, object_type, q):
    return AuditEvent.objects.filter(school_id=school_id, object_type=object_type).filter(q).order_by("id")


def _state_q(**pairs):
    return Q(after__contains=pairs) | Q(before__contains=pairs)


def mark_events(school_id, assessment_id, pupil_id):
    return _of(school_id, "journal.mark", _state_q(assessment=assessment_id, pupil=pupil_id))


def attendance_events(school_id, lesson_id, pupil_id):
    return _of(school_id, "journal.attendance", _state_q(lesson=lesson_id, pupil=pupil_id))


def period_mark_events(school_id, pm):
    return _of(
        school_id,
        "journal.periodmark",
        Q(object_id=str(pm.pk)) | _state_q(pupil=pm.pupil_id, subject=pm.subject_id, period=pm.period_id, kind=pm.kind),
    )


def lesson_events(school_id, lesson):
    from .models import Homework

    works = [str(pk) for pk in lesson.assessments.values_list("pk", flat=True)]
    homework = [str(pk) for pk in Homework.objects.filter(lesson=lesson).values_list("pk", flat=True)]
    return (
        AuditEvent.objects.filter(school_id=school_id)
        .filter(
            Q(object_type="journal.lesson", object_id=str(lesson.pk))
            | Q(object_type="journal.assessment", object_id__in=works)
            | Q(object_type="journal.homework", object_id__in=homework)
            | Q(object_type="journal.attendance", after__contains={"lesson": lesson.pk})
            | Q(object_type="journal.attendance", before__contains={"lesson": lesson.pk})
            | Q(object_type="journal.mark", after__assessment__in=[int(w) for w in works])
            | Q(object_type="journal.mark", before__assessment__in=[int(w) for w in works])
        )
        .order_by("id")
    )
