"""Marks and attendance: the cells of the journal grid.

Optimistic locking: the caller passes the `version` it saw (0 for an empty cell).
If the row changed since, nothing is written and Conflict carries the current value,
so the teacher sees it and decides. Row locks (SELECT … FOR UPDATE) make the
check-and-write atomic across concurrent requests.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from .. import access, rules
from ..models import Assessment, Attendance, Enrollment, GroupMembership, Lesson, Mark
from .errors import Conflict, NotAllowed, ServiceError, YearClosed
from .limits import REASON_MAX, clean_text


def _school(lesson):
    return lesson.assignment.school_class.year.school


def _load_lesson(lesson_id) -> Lesson:
    return Lesson.objects.select_related("assignment__school_class__year__school", "assignment__subject", "bell").get(
        pk=lesson_id
    )


def check_lesson_writable(actor, lesson: Lesson, now=None, override=None):
    """Permission and the lesson-level rules shared by every entry of a lesson.

    `override` (services.overrides.LockOverride) lifts the lock, and with `on_behalf`
    the teacher-only permission, for the lessons it names; callers check their own rights."""
    overridden = override is not None and override.covers(lesson)
    if not access.can_write_lesson(actor, lesson) and not (overridden and override.on_behalf):
        raise NotAllowed()
    school = _school(lesson)
    year = lesson.assignment.school_class.year
    if year.is_closed:  # docs/DESIGN.md §3.25: said here, refused by PostgreSQL too
        raise YearClosed(year=year.name)
    if lesson.status == Lesson.Status.CANCELLED:
        raise ServiceError(_("Урок отменён: записи в него не вносятся."), code="cancelled")
    if rules.is_future(lesson, now):
        start = timezone.localtime(rules.lesson_start(lesson))
        raise ServiceError(
            _("Урок ещё не начался: отметки и посещаемость вносятся с начала урока, %(date)s в %(time)s.")
            % {"date": f"{start:%d.%m.%Y}", "time": f"{start:%H:%M}"},
            code="future",
        )
    if rules.is_locked(lesson, school, now) and not overridden:
        raise ServiceError(
            _(
                "Урок закрыт: с даты урока прошло больше %(days)s дн. "
                "Для исправления подайте объяснительную заместителю директора."
            )
            % {"days": school.lock_after_days},
            code="locked",
        )


def check_pupil_in_lesson(pupil_id, lesson: Lesson):
    """The pupil must study in this class (and group: a dated membership) on the lesson's date."""
    enrolled = Enrollment.objects.filter(pupil_id=pupil_id, school_class_id=lesson.assignment.school_class_id)
    if not enrolled.on(lesson.date).exists():
        raise ServiceError(_("Ученик не числится в классе на дату урока."), code="not_enrolled")
    if (
        lesson.assignment.group_id
        and not GroupMembership.objects.filter(group_id=lesson.assignment.group_id, pupil_id=pupil_id)
        .on(lesson.date)
        .exists()
    ):
        raise ServiceError(_("Ученик не входит в группу этого урока."), code="not_in_group")


allowed_mark_values = rules.mark_values  # the values a current mark may take


def _conflict(current_value, current_version):
    if current_value is None:
        msg = _("Отметку уже удалил другой пользователь. Обновите ячейку и решите, что оставить.")
    else:
        msg = _("Пока вы работали, здесь уже выставили «%(value)s». Проверьте и решите, что оставить.") % {
            "value": current_value
        }
    return Conflict(msg, current_value=current_value, current_version=current_version)


def _mark_is_late(assessment: Assessment, lesson: Lesson, school, now) -> bool:
    deadline = (
        rules.test_marks_deadline(lesson, school)
        if assessment.work_type.is_test
        else rules.entry_deadline(lesson, school)
    )
    return now > deadline


def _reason(reason, override) -> str:
    """The reason of a change as the teacher typed it, within its limit (docs/DESIGN.md
    §3.24); an override's own reason names its request or outage, checked there."""
    if override is not None and reason == override.reason:
        return reason
    return clean_text(reason, max_length=REASON_MAX, field=_("Причина"))


def _needs_reason(existing, now) -> bool:
    """Correcting a mark or an attendance record on a later day than it was entered needs
    a reason (kept in history): docs/DESIGN.md §3.10."""
    return rules.correction_needs_reason(existing.created_at, now)


def _check_attendance_correction(actor, existing: Attendance, lesson: Lesson, *, reason, now, override, erase=False):
    """A change of an existing attendance record: the class teacher's reason stays hers
    (docs/DESIGN.md §3.5), and a later day's change needs a reason (docs/DESIGN.md §3.10).

    The deputy's procedures (an approved correction, a temporary journal transferred on
    the teacher's behalf) act under an override and carry their own reason."""
    on_behalf = override is not None and override.covers(lesson) and override.on_behalf
    if not on_behalf and rules.reason_belongs_to_class_teacher(existing, lesson.assignment.school_class, actor):
        raise NotAllowed(
            _(
                "Причину пропуска «%(code)s» указал классный руководитель%(document)s: изменить или удалить её "
                "может только он. Сообщите ему, если отметка неверна."
            )
            % {
                "code": existing.get_code_display(),
                "document": _(" (документ: %(document)s)") % {"document": existing.reason_document}
                if existing.reason_document
                else "",
            },
            code="reason_protected",
        )
    if _needs_reason(existing, now) and not (reason or "").strip():
        raise ServiceError(
            _("Укажите причину удаления отметки посещаемости: прежнее значение останется в истории.")
            if erase
            else _("Укажите причину исправления отметки посещаемости: прежнее значение останется в истории."),
            code="reason_required",
        )


def set_mark(
    actor,
    *,
    assessment_id,
    pupil_id,
    value,
    expected_version=None,
    reason="",
    now=None,
    override=None,
    of_lesson=None,
    lesson=None,
) -> Mark:
    """Give or change one mark. Returns the saved Mark.

    `of_lesson`: the work must belong to this lesson; `lesson`: that lesson, already
    loaded by the caller (the cell view's access helper), to spare a query."""
    now = now or timezone.now()
    reason = _reason(reason, override)
    value = (value or "").strip().lower()
    with audit.chain(actor.school_id):
        assessment = Assessment.objects.select_related("work_type").filter(pk=assessment_id).first()
        if assessment is None or (of_lesson is not None and assessment.lesson_id != of_lesson):
            raise ServiceError(_("Работа не относится к этому уроку."), code="bad_assessment")
        if lesson is None or lesson.pk != assessment.lesson_id:
            lesson = _load_lesson(assessment.lesson_id)
        school = _school(lesson)
        check_lesson_writable(actor, lesson, now, override)
        if not rules.marks_allowed(lesson.assignment.school_class, school):
            raise ServiceError(_("В 1 классе отметки не выставляются."), code="no_marks_grade")
        allowed = allowed_mark_values(lesson.assignment.subject, school)
        if value not in allowed:
            raise ServiceError(
                _("Недопустимая отметка «%(value)s». Можно: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(sorted(allowed, reverse=True))},
                code="bad_value",
            )
        check_pupil_in_lesson(pupil_id, lesson)

        existing = Mark.objects.select_for_update().filter(assessment_id=assessment_id, pupil_id=pupil_id).first()
        if expected_version is not None and (existing.version if existing else 0) != expected_version:
            raise _conflict(existing.value if existing else None, existing.version if existing else 0)
        if existing is None:
            mark = Mark(
                assessment=assessment,
                pupil_id=pupil_id,
                value=value,
                created_by=actor,
                updated_by=actor,
                is_late=_mark_is_late(assessment, lesson, school, now),
            )
            try:
                with transaction.atomic():
                    mark.save(force_insert=True)
            except IntegrityError:
                # Another request created the mark between our read and insert.
                current = Mark.objects.get(assessment_id=assessment_id, pupil_id=pupil_id)
                raise _conflict(current.value, current.version) from None
            audit.record(
                actor=actor, action="mark.create", obj=mark, school=school, after=_mark_state(mark), reason=reason
            )
            return mark
        if existing.value == value:
            return existing
        if _needs_reason(existing, now) and not reason.strip():
            raise ServiceError(
                _("Укажите причину исправления отметки: прежнее значение останется в истории."), code="reason_required"
            )
        before = _mark_state(existing)
        existing.value = value
        existing.updated_by = actor
        existing.version += 1
        existing.save(update_fields=["value", "updated_by", "version", "updated_at"])
        audit.record(
            actor=actor,
            action="mark.update",
            obj=existing,
            school=school,
            before=before,
            after=_mark_state(existing),
            reason=reason,
        )
        return existing


def clear_mark(actor, *, assessment_id, pupil_id, expected_version=None, reason="", now=None, override=None) -> None:
    now = now or timezone.now()
    reason = _reason(reason, override)
    with audit.chain(actor.school_id):
        assessment = Assessment.objects.get(pk=assessment_id)
        lesson = _load_lesson(assessment.lesson_id)
        school = _school(lesson)
        check_lesson_writable(actor, lesson, now, override)
        existing = Mark.objects.select_for_update().filter(assessment_id=assessment_id, pupil_id=pupil_id).first()
        if expected_version is not None and (existing.version if existing else 0) != expected_version:
            raise _conflict(existing.value if existing else None, existing.version if existing else 0)
        if existing is None:
            return
        if _needs_reason(existing, now) and not reason.strip():
            raise ServiceError(
                _("Укажите причину удаления отметки: прежнее значение останется в истории."), code="reason_required"
            )
        before = _mark_state(existing)
        pk = existing.pk
        existing.delete()
        audit.record(
            actor=actor,
            action="mark.delete",
            object_type="journal.mark",
            object_id=pk,
            school=school,
            before=before,
            reason=reason,
        )


def _mark_state(mark: Mark) -> dict:
    return {
        "assessment": mark.assessment_id,
        "pupil": mark.pupil_id,
        "value": mark.value,
        "version": mark.version,
        "is_late": mark.is_late,
    }


def _attendance_state(a: Attendance) -> dict:
    return {
        "lesson": a.lesson_id,
        "pupil": a.pupil_id,
        "code": a.code,
        "reason_document": a.reason_document,
        "version": a.version,
        "is_late": a.is_late,
    }


def set_attendance(
    actor, *, lesson_id, pupil_id, code, expected_version=None, reason="", now=None, override=None
) -> Attendance:
    """Mark a pupil absent/late for a lesson (Н, Б, УП, НП, ОП)."""
    now = now or timezone.now()
    reason = _reason(reason, override)
    code = (code or "").strip().lower()
    if code not in Attendance.Code.values:
        raise ServiceError(_("Недопустимая отметка посещаемости. Можно: Н, Б, УП, НП, ОП."), code="bad_value")
    with audit.chain(actor.school_id):
        lesson = _load_lesson(lesson_id)
        school = _school(lesson)
        check_lesson_writable(actor, lesson, now, override)
        check_pupil_in_lesson(pupil_id, lesson)
        existing = Attendance.objects.select_for_update().filter(lesson_id=lesson_id, pupil_id=pupil_id).first()
        if expected_version is not None and (existing.version if existing else 0) != expected_version:
            raise _conflict(existing.get_code_display() if existing else None, existing.version if existing else 0)
        if existing is None:
            att = Attendance(
                lesson=lesson,
                pupil_id=pupil_id,
                code=code,
                created_by=actor,
                is_late=now > rules.entry_deadline(lesson, school),
            )
            try:
                with transaction.atomic():
                    att.save(force_insert=True)
            except IntegrityError:
                current = Attendance.objects.get(lesson_id=lesson_id, pupil_id=pupil_id)
                raise _conflict(current.get_code_display(), current.version) from None
            audit.record(
                actor=actor,
                action="attendance.create",
                obj=att,
                school=school,
                after=_attendance_state(att),
                reason=reason,
            )
            return att
        if existing.code == code:
            return existing
        _check_attendance_correction(actor, existing, lesson, reason=reason, now=now, override=override)
        before = _attendance_state(existing)
        existing.code = code
        # A reason's document belongs to that reason: a new code through the cell drops both.
        existing.reason_document, existing.reason_set_by, existing.reason_set_at = "", None, None
        existing.version += 1
        existing.save(
            update_fields=["code", "reason_document", "reason_set_by", "reason_set_at", "version", "updated_at"]
        )
        audit.record(
            actor=actor,
            action="attendance.update",
            obj=existing,
            school=school,
            before=before,
            after=_attendance_state(existing),
            reason=reason,
        )
        return existing


def clear_attendance(actor, *, lesson_id, pupil_id, expected_version=None, reason="", now=None, override=None) -> None:
    now = now or timezone.now()
    reason = _reason(reason, override)
    with audit.chain(actor.school_id):
        lesson = _load_lesson(lesson_id)
        school = _school(lesson)
        check_lesson_writable(actor, lesson, now, override)
        existing = Attendance.objects.select_for_update().filter(lesson_id=lesson_id, pupil_id=pupil_id).first()
        if expected_version is not None and (existing.version if existing else 0) != expected_version:
            raise _conflict(existing.get_code_display() if existing else None, existing.version if existing else 0)
        if existing is None:
            return
        _check_attendance_correction(actor, existing, lesson, reason=reason, now=now, override=override, erase=True)
        before = _attendance_state(existing)
        pk = existing.pk
        existing.delete()
        audit.record(
            actor=actor,
            action="attendance.delete",
            object_type="journal.attendance",
            object_id=pk,
            school=school,
            before=before,
            reason=reason,
        )
