"""Объяснительные (correction requests) and the deputy's temporary unlock of a lesson.

A teacher cannot change a locked lesson or a period mark herself. She files a request
naming the teacher, class, date, subject, every change (from what to what) and the
reasons; the deputy approves or rejects it. Approval applies all changes in one
transaction through the entry services, with the deputy as actor and the request in
every audit row's reason; if any record changed since the request was filed, nothing
is applied and the deputy is told which.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from .. import access, notices, rules
from ..models import (
    Assessment,
    Attendance,
    CorrectionChange,
    CorrectionRequest,
    Enrollment,
    Lesson,
    Mark,
    PeriodMark,
    StudyPeriod,
    TeachingAssignment,
)
from .entries import allowed_mark_values, check_pupil_in_lesson, clear_attendance, clear_mark, set_attendance, set_mark
from .errors import NotAllowed, ServiceError
from .limits import REASON_MAX, clean_text
from .overrides import LockOverride

MAX_UNLOCK_HOURS = 72


def _school(assignment):
    return assignment.school_class.year.school


def _check_reasons(reasons: str) -> str:
    reasons = clean_text(reasons, max_length=CorrectionRequest.REASONS_MAX, field=_("Причины"))
    if len(reasons) < 10:
        raise ServiceError(_("Опишите причины, приведшие к необходимости изменений (не короче 10 символов)."))
    return reasons


def _comment(comment: str) -> str:
    return clean_text(comment, max_length=CorrectionRequest.REASONS_MAX, field=_("Комментарий"))


def _request_state(req: CorrectionRequest) -> dict:
    return {
        "status": req.status,
        "target": req.target,
        "lesson": req.lesson_id,
        "period": req.period_id,
        "changes": [
            {
                "kind": c.kind,
                "pupil": c.pupil_id,
                "assessment": c.assessment_id,
                "period_kind": c.period_kind,
                "from": c.old_value,
                "to": c.new_value,
            }
            for c in req.changes.all()
        ],
    }


# --- what the form shows ---------------------------------------------------------------


def lesson_pupils(lesson: Lesson):
    """Pupils of the lesson's class (and group) on its date, in journal order."""
    return class_pupils_on(lesson.assignment, lesson.date)


def class_pupils_on(assignment, day):
    enrolled = Enrollment.objects.roster(assignment, day)
    qs = get_user_model().objects.filter(pk__in=enrolled.values("pupil_id"))
    return qs.order_by("last_name", "first_name", "patronymic")


@dataclass
class LessonSnapshot:
    pupils: list
    assessments: list
    marks: dict  # (assessment_id, pupil_id) -> Mark
    attendance: dict  # pupil_id -> Attendance


def lesson_snapshot(lesson: Lesson) -> LessonSnapshot:
    pupils = list(lesson_pupils(lesson))
    assessments = list(Assessment.objects.filter(lesson=lesson).select_related("work_type"))
    marks = {(m.assessment_id, m.pupil_id): m for m in Mark.objects.filter(assessment__lesson=lesson)}
    attendance = {a.pupil_id: a for a in Attendance.objects.filter(lesson=lesson)}
    return LessonSnapshot(pupils, assessments, marks, attendance)


# --- filing a request ----------------------------------------------------------------------


def create_lesson_request(actor, *, lesson_id, changes, reasons, now=None) -> CorrectionRequest:
    """`changes`: dicts {kind: "mark"|"attendance", pupil_id, assessment_id (marks), new_value ('' removes)}."""
    now = now or timezone.now()
    reasons = _check_reasons(reasons)
    with audit.chain(actor.school_id):
        lesson = Lesson.objects.select_related("assignment__school_class__year__school", "assignment__subject").get(
            pk=lesson_id
        )
        assignment = lesson.assignment
        school = _school(assignment)
        if assignment.teacher_id != actor.pk:
            raise NotAllowed(_("Объяснительную подаёт учитель, ведущий журнал."))
        if not rules.is_locked(lesson, school, now):
            raise ServiceError(
                _("Урок ещё открыт для исправлений: внесите изменения в журнале сами."), code="not_locked"
            )
        snap = lesson_snapshot(lesson)
        assessments = {a.pk: a for a in snap.assessments}
        marks_ok = allowed_mark_values(assignment.subject, school)
        rows = []
        for ch in changes:
            kind = ch.get("kind")
            pupil_id = int(ch["pupil_id"])
            new = (ch.get("new_value") or "").strip().lower()
            check_pupil_in_lesson(pupil_id, lesson)
            if kind == CorrectionChange.Kind.MARK:
                assessment = assessments.get(int(ch.get("assessment_id") or 0))
                if assessment is None:
                    raise ServiceError(_("Работа не относится к этому уроку."), code="bad_assessment")
                if new and new not in marks_ok:
                    raise ServiceError(
                        _("Недопустимая отметка «%(value)s». Можно: %(allowed)s.")
                        % {"value": new, "allowed": ", ".join(sorted(marks_ok, reverse=True))},
                        code="bad_value",
                    )
                current = snap.marks.get((assessment.pk, pupil_id))
                old = current.value if current else ""
                rows.append(
                    CorrectionChange(kind=kind, pupil_id=pupil_id, assessment=assessment, old_value=old, new_value=new)
                )
            elif kind == CorrectionChange.Kind.ATTENDANCE:
                if new and new not in Attendance.Code.values:
                    raise ServiceError(
                        _("Недопустимая отметка посещаемости. Можно: Н, Б, УП, НП, ОП."), code="bad_value"
                    )
                current = snap.attendance.get(pupil_id)
                old = current.code if current else ""
                rows.append(CorrectionChange(kind=kind, pupil_id=pupil_id, old_value=old, new_value=new))
            else:
                raise ServiceError(_("Неизвестный вид изменения."), code="bad_kind")
        rows = [r for r in rows if r.old_value != r.new_value]
        return _file_request(
            actor,
            assignment,
            school,
            rows,
            reasons,
            date=lesson.date,
            target=CorrectionRequest.Target.LESSON,
            lesson=lesson,
        )


def create_period_request(actor, *, assignment_id, period_id, kind, changes, reasons) -> CorrectionRequest:
    """`changes`: dicts {pupil_id, new_value ('' removes)} for period marks of `kind`."""
    reasons = _check_reasons(reasons)
    with audit.chain(actor.school_id):
        assignment = TeachingAssignment.objects.select_related("school_class__year__school", "subject").get(
            pk=assignment_id
        )
        school = _school(assignment)
        if not access.can_set_period_marks(actor, assignment):
            raise NotAllowed(_("Объяснительную подаёт учитель, ведущий журнал, или классный руководитель."))
        period = StudyPeriod.objects.filter(pk=period_id, year_id=assignment.school_class.year_id).first()
        if period is None:
            raise ServiceError(_("Период не относится к учебному году класса."), code="bad_period")
        if kind not in PeriodMark.Kind.values:
            raise ServiceError(_("Неизвестный вид итоговой отметки."), code="bad_kind")
        allowed = set(rules.period_mark_values(assignment.subject, school))
        pupils = set(class_pupils_on(assignment, period.end).values_list("pk", flat=True))
        current = {
            pm.pupil_id: pm
            for pm in PeriodMark.objects.filter(
                subject=assignment.subject, period=period, kind=kind, pupil_id__in=pupils
            )
        }
        rows = []
        for ch in changes:
            pupil_id = int(ch["pupil_id"])
            new = (ch.get("new_value") or "").strip().lower()
            if pupil_id not in pupils:
                raise ServiceError(_("Ученик не числится в классе в этом периоде."), code="not_enrolled")
            if new and new not in allowed:
                raise ServiceError(
                    _("Недопустимая итоговая отметка «%(value)s». Можно: %(allowed)s.")
                    % {"value": new, "allowed": ", ".join(sorted(allowed))},
                    code="bad_value",
                )
            old = current[pupil_id].value if pupil_id in current else ""
            if old != new:
                rows.append(
                    CorrectionChange(
                        kind=CorrectionChange.Kind.PERIOD_MARK,
                        pupil_id=pupil_id,
                        period_kind=kind,
                        old_value=old,
                        new_value=new,
                    )
                )
        return _file_request(
            actor,
            assignment,
            school,
            rows,
            reasons,
            date=period.deadline,
            target=CorrectionRequest.Target.PERIOD,
            period=period,
        )


def _file_request(actor, assignment, school, rows, reasons, **target) -> CorrectionRequest:
    """Save the explanatory note with its changed rows (none: refused) and audit it; in the caller's transaction."""
    if not rows:
        raise ServiceError(_("Не указано ни одного изменения: впишите новые значения."), code="no_changes")
    req = CorrectionRequest.objects.create(
        school=school,
        teacher=actor,
        assignment=assignment,
        school_class=assignment.school_class,
        subject=assignment.subject,
        reasons=reasons,
        **target,
    )
    for r in rows:
        r.request = req
    CorrectionChange.objects.bulk_create(rows)
    audit.record(
        actor=actor, action="correction.create", obj=req, school=school, after=_request_state(req), reason=reasons
    )
    notices.correction_filed(req)  # the deputies are told, in the same transaction
    return req


# --- the deputy's decision ---------------------------------------------------------------


def _load_pending(actor, request_id) -> CorrectionRequest:
    if not access.is_deputy(actor):
        raise NotAllowed(_("Решение по объяснительной принимает заместитель директора."))
    req = CorrectionRequest.objects.select_for_update().filter(pk=request_id, school_id=actor.school_id).first()
    if req is None:
        raise NotAllowed(_("Объяснительная не найдена."))
    if req.status != CorrectionRequest.Status.PENDING:
        raise ServiceError(_("По этой объяснительной решение уже принято."), code="decided")
    return req


def _pupil_label(change) -> str:
    return change.pupil.short_name


def approve(actor, *, request_id, comment="", now=None) -> CorrectionRequest:
    now = now or timezone.now()
    with audit.chain(actor.school_id):
        req = _load_pending(actor, request_id)
        reason = _("Объяснительная № %(number)s от %(date)s: %(reasons)s") % {
            "number": req.pk,
            "date": f"{timezone.localtime(req.created_at):%d.%m.%Y}",
            "reasons": req.reasons,
        }
        changes = list(req.changes.select_related("pupil", "assessment"))
        stale = []
        override = None
        if req.target == CorrectionRequest.Target.LESSON:
            override = LockOverride(reason=reason, lesson_ids=frozenset({req.lesson_id}), on_behalf=True)
        for ch in changes:
            current_value, version = _current(req, ch)
            if current_value != ch.old_value:
                stale.append(
                    _("%(pupil)s: сейчас «%(now)s», в объяснительной «%(then)s»")
                    % {"pupil": _pupil_label(ch), "now": current_value or "—", "then": ch.old_value or "—"}
                )
                continue
            _apply(actor, req, ch, version, override, reason, now)
        if stale:
            raise ServiceError(
                _("Записи изменились после подачи объяснительной, изменения не внесены: %(changes)s.")
                % {"changes": "; ".join(stale)},
                code="stale",
            )
        before = {"status": req.status}
        req.status = CorrectionRequest.Status.APPROVED
        req.decided_by, req.decided_at, req.decision_comment = actor, now, _comment(comment)
        req.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        audit.record(
            actor=actor,
            action="correction.approve",
            obj=req,
            school=req.school_id,
            before=before,
            after={"status": req.status, "applied": len(changes)},
            reason=req.decision_comment,
        )
        return req


def reject(actor, *, request_id, comment, now=None) -> CorrectionRequest:
    now = now or timezone.now()
    comment = _comment(comment)
    if not comment:
        raise ServiceError(_("Укажите, почему объяснительная отклонена."), code="comment_required")
    with audit.chain(actor.school_id):
        req = _load_pending(actor, request_id)
        req.status = CorrectionRequest.Status.REJECTED
        req.decided_by, req.decided_at, req.decision_comment = actor, now, comment
        req.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        audit.record(
            actor=actor,
            action="correction.reject",
            obj=req,
            school=req.school_id,
            before={"status": CorrectionRequest.Status.PENDING},
            after={"status": req.status},
            reason=comment,
        )
        return req


def _current(req, ch) -> tuple[str, int]:
    if ch.kind == CorrectionChange.Kind.MARK:
        m = Mark.objects.filter(assessment_id=ch.assessment_id, pupil_id=ch.pupil_id).first()
        return (m.value, m.version) if m else ("", 0)
    if ch.kind == CorrectionChange.Kind.ATTENDANCE:
        a = Attendance.objects.filter(lesson_id=req.lesson_id, pupil_id=ch.pupil_id).first()
        return (a.code, a.version) if a else ("", 0)
    pm = PeriodMark.objects.filter(
        pupil_id=ch.pupil_id, subject_id=req.subject_id, period_id=req.period_id, kind=ch.period_kind
    ).first()
    return (pm.value, pm.version) if pm else ("", 0)


def _apply(actor, req, ch, version, override, reason, now):
    if ch.kind == CorrectionChange.Kind.MARK:
        set_one, clear_one = set_mark, clear_mark
        target, value_field = {"assessment_id": ch.assessment_id}, "value"
    elif ch.kind == CorrectionChange.Kind.ATTENDANCE:
        set_one, clear_one = set_attendance, clear_attendance
        target, value_field = {"lesson_id": req.lesson_id}, "code"
    else:
        _apply_period_mark(actor, req, ch, reason)
        return
    common = {"pupil_id": ch.pupil_id, "expected_version": version, "reason": reason, "now": now, "override": override}
    if ch.new_value:
        set_one(actor, **target, **{value_field: ch.new_value}, **common)
    else:
        clear_one(actor, **target, **common)


def _period_state(pm) -> dict:
    return {
        "pupil": pm.pupil_id,
        "subject": pm.subject_id,
        "period": pm.period_id,
        "kind": pm.kind,
        "value": pm.value,
        "version": pm.version,
    }


def _apply_period_mark(actor, req, ch, reason):
    """The deputy's change of a period mark (the only way to change one after it is set)."""
    pm = (
        PeriodMark.objects.select_for_update()
        .filter(pupil_id=ch.pupil_id, subject_id=req.subject_id, period_id=req.period_id, kind=ch.period_kind)
        .first()
    )
    if pm is None:
        pm = PeriodMark.objects.create(
            pupil_id=ch.pupil_id,
            assignment_id=req.assignment_id,
            subject_id=req.subject_id,
            period_id=req.period_id,
            kind=ch.period_kind,
            value=ch.new_value,
            set_by=actor,
        )
        audit.record(
            actor=actor,
            action="period_mark.create",
            obj=pm,
            school=req.school_id,
            after=_period_state(pm),
            reason=reason,
        )
    elif not ch.new_value:
        before, pk = _period_state(pm), pm.pk
        pm.delete()
        audit.record(
            actor=actor,
            action="period_mark.delete",
            object_type="journal.periodmark",
            object_id=pk,
            school=req.school_id,
            before=before,
            reason=reason,
        )
    else:
        before = _period_state(pm)
        pm.value, pm.set_by, pm.version = ch.new_value, actor, pm.version + 1
        pm.save(update_fields=["value", "set_by", "version", "set_at"])
        audit.record(
            actor=actor,
            action="period_mark.update",
            obj=pm,
            school=req.school_id,
            before=before,
            after=_period_state(pm),
            reason=reason,
        )


# --- unlocking a lesson -----------------------------------------------------------------------


def unlock_lesson(actor, *, lesson_id, hours, reason, now=None) -> Lesson:
    """The deputy reopens a locked lesson for its teacher for `hours` hours."""
    now = now or timezone.now()
    reason = clean_text(reason, max_length=REASON_MAX, field=_("Причина"))
    if not access.is_deputy(actor):
        raise NotAllowed(_("Открыть урок для исправлений может заместитель директора."))
    try:
        hours = int(hours)
    except (TypeError, ValueError):
        raise ServiceError(_("Срок — целое число часов."), code="bad_hours") from None
    if not 1 <= hours <= MAX_UNLOCK_HOURS:
        raise ServiceError(_("Срок — от 1 до %(max)s часов.") % {"max": MAX_UNLOCK_HOURS}, code="bad_hours")
    if not reason:
        raise ServiceError(_("Укажите причину, по которой урок открывается."), code="reason_required")
    with audit.chain(actor.school_id):
        lesson = (
            Lesson.objects.select_for_update()
            .select_related("assignment__school_class__year__school")
            .filter(pk=lesson_id, assignment__school_class__year__school_id=actor.school_id)
            .first()
        )
        if lesson is None:
            raise NotAllowed(_("Урок не найден."))
        before = {"unlocked_until": lesson.unlocked_until}
        lesson.unlocked_until = now + timedelta(hours=hours)
        lesson.save(update_fields=["unlocked_until"])
        audit.record(
            actor=actor,
            action="lesson.unlock",
            obj=lesson,
            school=actor.school_id,
            before=before,
            after={"unlocked_until": lesson.unlocked_until},
            reason=reason,
        )
        return lesson
