"""What a teacher enters for a lesson besides the cells: topic, graded works,
homework (general and individual) and comments per pupil.

Topic and homework may be entered ahead (planning), marks and attendance may not;
the 7-day lock applies to everything. Each function is one transaction.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import audit

from .. import access, rules
from ..models import Assessment, Homework, IndividualHomework, Lesson, LessonComment, LessonPlanLink, Mark, WorkType
from .entries import _mark_state, check_pupil_in_lesson, set_mark
from .errors import Conflict, NotAllowed, ServiceError
from .limits import REASON_MAX, clean_text

TOPIC_MAX = Lesson._meta.get_field("topic").max_length
COMMENT_MAX = LessonComment._meta.get_field("text").max_length


def _school(lesson):
    return lesson.assignment.school_class.year.school


def _locked_lesson(lesson_id) -> Lesson:
    """The lesson row, locked: serialises edits of one lesson's own fields and works."""
    return (
        Lesson.objects.select_for_update(of=("self",))
        .select_related("assignment__school_class__year__school", "assignment__subject", "bell")
        .get(pk=lesson_id)
    )


def check_lesson_plannable(actor, lesson: Lesson, now=None):
    """Like check_lesson_writable, but topic and homework may be entered before the lesson."""
    if not access.can_write_lesson(actor, lesson):
        raise NotAllowed()
    if lesson.status == Lesson.Status.CANCELLED:
        raise ServiceError(_("Урок отменён: записи в него не вносятся."), code="cancelled")
    school = _school(lesson)
    if rules.is_locked(lesson, school, now):
        raise ServiceError(
            _(
                "Урок закрыт: с даты урока прошло больше %(days)s дн. "
                "Для исправления подайте объяснительную заместителю директора."
            )
            % {"days": school.lock_after_days},
            code="locked",
        )


# --- topic ---------------------------------------------------------------------------


def set_topic(actor, *, lesson_id, topic, expected_version=None, now=None, plan_item=None) -> Lesson:
    """Set (or clear, with an empty text) the lesson's topic; late after the day's cut-off.

    `plan_item`: the КТП row the topic comes from (services.plans.set_topic_from_plan);
    the lesson is linked to it. A topic typed by hand keeps the link only if unchanged."""
    now = now or timezone.now()
    topic = clean_text(" ".join((topic or "").split()), max_length=TOPIC_MAX, field=_("Тема урока"))
    with audit.chain(actor.school_id):
        lesson = _locked_lesson(lesson_id)
        check_lesson_plannable(actor, lesson, now)
        if expected_version is not None and lesson.version != expected_version:
            raise Conflict(
                _("Пока вы работали, тему урока изменили: «%(topic)s». Проверьте и решите, что оставить.")
                % {"topic": lesson.topic or "—"},
                current_value=lesson.topic,
                current_version=lesson.version,
            )
        link = LessonPlanLink.objects.filter(lesson=lesson).first()
        if plan_item is not None and (link is None or link.item_id != plan_item.pk):
            LessonPlanLink.objects.update_or_create(lesson=lesson, defaults={"item": plan_item})
        elif plan_item is None and link is not None and lesson.topic != topic:
            link.delete()  # a topic of the teacher's own: the plan row is free again
        if lesson.topic == topic:
            return lesson
        before = {"topic": lesson.topic, "topic_late": lesson.topic_late, "version": lesson.version}
        lesson.topic = topic
        lesson.topic_set_at = now if topic else None
        lesson.topic_late = bool(topic) and now > rules.entry_deadline(lesson, _school(lesson))
        lesson.version += 1
        lesson.save(update_fields=["topic", "topic_set_at", "topic_late", "version"])
        audit.record(
            actor=actor,
            action="lesson.topic",
            obj=lesson,
            school=_school(lesson),
            before=before,
            after={
                "topic": lesson.topic,
                "topic_late": lesson.topic_late,
                "version": lesson.version,
                **({"plan_item": plan_item.pk} if plan_item is not None else {}),
            },
            reason=_("Тема из КТП") if plan_item is not None else "",
        )
        return lesson


# --- graded works (assessments) ------------------------------------------------------


def _parse_weight(weight, default) -> Decimal:
    if weight in (None, ""):
        return Decimal(default)
    try:
        w = Decimal(str(weight).replace(",", ".").strip())
    except InvalidOperation:
        raise ServiceError(
            _("Вес «%(weight)s» — не число. Пример: 1 или 1,5.") % {"weight": weight}, code="bad_weight"
        ) from None
    # Decimal accepts "nan" and "inf", and comparing a NaN raises instead of answering.
    if not w.is_finite():
        raise ServiceError(_("Вес «%(weight)s» — не число. Пример: 1 или 1,5.") % {"weight": weight}, code="bad_weight")
    if not (Decimal("0.1") <= w <= Decimal("9.9")) or w != w.quantize(Decimal("0.1")):
        raise ServiceError(_("Вес работы — число от 0,1 до 9,9 с одним знаком после запятой."), code="bad_weight")
    return w


def _work_type(lesson, work_type_id) -> WorkType:
    wt = WorkType.objects.filter(pk=work_type_id, school_id=_school(lesson).pk).first()
    if wt is None:
        raise ServiceError(_("Выберите вид работы из списка."), code="bad_work_type")
    return wt


def _assessment_state(a: Assessment) -> dict:
    return {
        "lesson": a.lesson_id,
        "work_type": a.work_type_id,
        "weight": str(a.weight),
        "description": a.description,
        "position": a.position,
    }


def _check_marks_allowed(lesson):
    if not rules.marks_allowed(lesson.assignment.school_class, _school(lesson)):
        raise ServiceError(
            _("В 1 классе отметки не выставляются: работы с отметками не добавляются."), code="no_marks_grade"
        )


def add_assessment(actor, *, lesson_id, work_type_id, weight=None, description="", now=None) -> Assessment:
    """Add a graded work to a lesson; the weight defaults to the work type's."""
    now = now or timezone.now()
    with audit.chain(actor.school_id):
        lesson = _locked_lesson(lesson_id)
        check_lesson_plannable(actor, lesson, now)
        _check_marks_allowed(lesson)
        wt = _work_type(lesson, work_type_id)
        position = (lesson.assessments.aggregate(m=Max("position"))["m"] or 0) + 1
        a = Assessment.objects.create(
            lesson=lesson,
            work_type=wt,
            weight=_parse_weight(weight, wt.weight),
            description=(description or "").strip()[:200],
            position=position,
        )
        audit.record(actor=actor, action="assessment.create", obj=a, school=_school(lesson), after=_assessment_state(a))
        return a


def ensure_default_assessment(actor, *, lesson_id, now=None) -> Assessment:
    """The lesson's first graded work, created with the school's first work type if there is none.

    The grid lets a teacher type a mark into a lesson that has no work yet.
    """
    with audit.chain(actor.school_id):
        lesson = _locked_lesson(lesson_id)
        first = lesson.assessments.order_by("position", "id").first()
        if first is not None:
            return first
        wt = WorkType.objects.filter(school_id=_school(lesson).pk).order_by("order", "name").first()
        if wt is None:
            raise ServiceError(_("В школе не заданы виды работ: обратитесь к администратору."), code="no_work_types")
        return add_assessment(actor, lesson_id=lesson_id, work_type_id=wt.pk, now=now)


def set_lesson_mark(
    actor, *, lesson_id, pupil_id, value, assessment_id=None, expected_version=None, reason="", now=None, lesson=None
):
    """set_mark into a given work, or into the lesson's first work (created when missing).

    `lesson`: the lesson, already loaded by the caller's access helper (spares a query)."""
    with audit.chain(actor.school_id):
        if not assessment_id:
            assessment_id = ensure_default_assessment(actor, lesson_id=lesson_id, now=now).pk
        return set_mark(
            actor,
            assessment_id=assessment_id,
            pupil_id=pupil_id,
            value=value,
            expected_version=expected_version,
            reason=reason,
            now=now,
            of_lesson=lesson_id,
            lesson=lesson if lesson is not None and lesson.pk == lesson_id else None,
        )


def change_assessment(actor, *, assessment_id, work_type_id, weight=None, description="", now=None) -> Assessment:
    """Change a work's type, weight or description (the marks stay)."""
    now = now or timezone.now()
    with audit.chain(actor.school_id):
        lesson_id = Assessment.objects.values_list("lesson_id", flat=True).get(pk=assessment_id)
        lesson = _locked_lesson(lesson_id)
        check_lesson_plannable(actor, lesson, now)
        a = Assessment.objects.get(pk=assessment_id)
        wt = _work_type(lesson, work_type_id)
        before = _assessment_state(a)
        weight = _parse_weight(weight, wt.weight if wt.pk != a.work_type_id else a.weight)
        a.work_type, a.weight, a.description = wt, weight, (description or "").strip()[:200]
        if _assessment_state(a) == before:
            return a
        a.save(update_fields=["work_type", "weight", "description"])
        audit.record(
            actor=actor,
            action="assessment.update",
            obj=a,
            school=_school(lesson),
            before=before,
            after=_assessment_state(a),
        )
        return a


def remove_assessment(actor, *, assessment_id, reason="", now=None) -> None:
    """Remove a work. With marks in it a reason is required; the marks are removed
    with it, each one kept in the audit history with that reason."""
    now = now or timezone.now()
    reason = clean_text(reason, max_length=REASON_MAX, field=_("Причина удаления"))
    with audit.chain(actor.school_id):
        lesson_id = Assessment.objects.values_list("lesson_id", flat=True).get(pk=assessment_id)
        lesson = _locked_lesson(lesson_id)
        check_lesson_plannable(actor, lesson, now)
        a = Assessment.objects.get(pk=assessment_id)
        school = _school(lesson)
        marks = list(Mark.objects.select_for_update().filter(assessment=a))
        if marks and not reason:
            raise ServiceError(
                ngettext(
                    "В этой работе %(count)s отм. Удалите их сначала или укажите причину: "
                    "отметки будут удалены, прежние значения останутся в истории.",
                    "В этой работе %(count)s отм. Удалите их сначала или укажите причину: "
                    "отметки будут удалены, прежние значения останутся в истории.",
                    len(marks),
                )
                % {"count": len(marks)},
                code="reason_required",
            )
        for m in marks:
            audit.record(
                actor=actor,
                action="mark.delete",
                object_type="journal.mark",
                object_id=m.pk,
                school=school,
                before=_mark_state(m),
                reason=reason,
            )
        Mark.objects.filter(pk__in=[m.pk for m in marks]).delete()
        before = _assessment_state(a)
        pk = a.pk
        a.delete()
        audit.record(
            actor=actor,
            action="assessment.delete",
            object_type="journal.assessment",
            object_id=pk,
            school=school,
            before=before,
            reason=reason,
        )


# --- homework --------------------------------------------------------------------------


def homework_deadline(lesson, school):
    """`homework_hours` after the end of the class's last lesson that day."""
    last_end = (
        Lesson.objects.filter(
            assignment__school_class_id=lesson.assignment.school_class_id,
            date=lesson.date,
            status=Lesson.Status.PLANNED,
        ).aggregate(m=Max("bell__ends"))["m"]
        or lesson.bell.ends
    )
    return rules.homework_deadline(lesson.date, last_end, school)


def _check_homework_allowed(lesson):
    if not rules.homework_allowed(lesson.assignment.school_class, _school(lesson)):
        raise ServiceError(_("В 1 классе домашние задания не задаются."), code="no_homework_grade")


def set_homework(actor, *, lesson_id, text, now=None) -> Homework | None:
    """Set the general homework; an empty text removes it. Late after the homework deadline."""
    now = now or timezone.now()
    text = clean_text(text, max_length=Homework.TEXT_MAX, field=_("Домашнее задание"))
    with audit.chain(actor.school_id):
        lesson = _locked_lesson(lesson_id)
        check_lesson_plannable(actor, lesson, now)
        school = _school(lesson)
        existing = Homework.objects.filter(lesson=lesson).first()
        if not text:
            if existing is None:
                return None
            before = {"text": existing.text, "is_late": existing.is_late}
            pk = existing.pk
            existing.delete()
            audit.record(
                actor=actor, action="homework.delete", object_type="journal.homework", object_id=pk,
                school=school, before=before,
            )  # fmt: skip
            return None
        _check_homework_allowed(lesson)
        late = now > homework_deadline(lesson, school)
        if existing is None:
            hw = Homework.objects.create(lesson=lesson, text=text, is_late=late)
            audit.record(
                actor=actor, action="homework.create", obj=hw, school=school, after={"text": text, "is_late": late}
            )
            return hw
        if existing.text == text:
            return existing
        before = {"text": existing.text, "is_late": existing.is_late}
        existing.text, existing.is_late = text, existing.is_late or late
        existing.save(update_fields=["text", "is_late", "updated_at"])
        audit.record(
            actor=actor,
            action="homework.update",
            obj=existing,
            school=school,
            before=before,
            after={"text": existing.text, "is_late": existing.is_late},
        )
        return existing


def _set_pupil_text(actor, model, action, *, lesson_id, pupil_id, text, now, homework):
    now = now or timezone.now()
    if model is IndividualHomework:
        text = clean_text(text, max_length=IndividualHomework.TEXT_MAX, field=_("Индивидуальное задание"))
    else:
        text = clean_text(text, max_length=COMMENT_MAX, field=_("Комментарий"))
    with audit.chain(actor.school_id):
        lesson = _locked_lesson(lesson_id)
        check_lesson_plannable(actor, lesson, now)
        school = _school(lesson)
        existing = model.objects.filter(lesson=lesson, pupil_id=pupil_id).first()
        if not text:
            if existing is None:
                return None
            before = {"pupil": pupil_id, "text": existing.text}
            pk = existing.pk
            existing.delete()
            audit.record(
                actor=actor,
                action=f"{action}.delete",
                object_type=model._meta.label_lower,
                object_id=pk,
                school=school,
                before=before,
            )
            return None
        if homework:
            _check_homework_allowed(lesson)
        check_pupil_in_lesson(pupil_id, lesson)
        if existing is None:
            obj = model.objects.create(lesson=lesson, pupil_id=pupil_id, text=text)
            audit.record(
                actor=actor, action=f"{action}.create", obj=obj, school=school, after={"pupil": pupil_id, "text": text}
            )
            return obj
        if existing.text == text:
            return existing
        before = {"pupil": pupil_id, "text": existing.text}
        existing.text = text
        existing.save(update_fields=["text", "updated_at"])
        audit.record(
            actor=actor,
            action=f"{action}.update",
            obj=existing,
            school=school,
            before=before,
            after={"pupil": pupil_id, "text": text},
        )
        return existing


def set_individual_homework(actor, *, lesson_id, pupil_id, text, now=None):
    """Homework for one pupil of the lesson; an empty text removes it."""
    return _set_pupil_text(
        actor, IndividualHomework, "individual_homework", lesson_id=lesson_id, pupil_id=pupil_id, text=text,
        now=now, homework=True,
    )  # fmt: skip


def set_comment(actor, *, lesson_id, pupil_id, text, now=None):
    """The teacher's comment on a pupil for this lesson; an empty text removes it."""
    return _set_pupil_text(
        actor, LessonComment, "lesson_comment", lesson_id=lesson_id, pupil_id=pupil_id, text=text,
        now=now, homework=False,
    )  # fmt: skip


class PupilNotesError(ServiceError):
    """Some pupils' comments or homework were refused; nothing was saved."""

    def __init__(self, errors: dict):
        super().__init__(_("Не сохранено: исправьте отмеченные строки."), code="pupil_notes")
        self.errors = errors


def save_pupil_notes(actor, *, lesson_id, notes: dict, now=None) -> int:
    """Comments and individual homework of many pupils at once, all or nothing.

    `notes`: {pupil_id: {"comment": text, "homework": text}} (a missing key is left as is).
    Returns how many records changed.
    """
    errors = {}
    changed = 0
    with audit.chain(actor.school_id):
        current_c = dict(LessonComment.objects.filter(lesson_id=lesson_id).values_list("pupil_id", "text"))
        current_h = dict(IndividualHomework.objects.filter(lesson_id=lesson_id).values_list("pupil_id", "text"))
        for pupil_id, fields in notes.items():
            try:
                with transaction.atomic():
                    if "comment" in fields and fields["comment"].strip() != current_c.get(pupil_id, ""):
                        set_comment(actor, lesson_id=lesson_id, pupil_id=pupil_id, text=fields["comment"], now=now)
                        changed += 1
                    if "homework" in fields and fields["homework"].strip() != current_h.get(pupil_id, ""):
                        set_individual_homework(
                            actor, lesson_id=lesson_id, pupil_id=pupil_id, text=fields["homework"], now=now
                        )
                        changed += 1
            except NotAllowed:
                raise
            except ServiceError as e:
                errors[pupil_id] = e.message
        if errors:
            raise PupilNotesError(errors)
    return changed
