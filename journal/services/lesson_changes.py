"""Lesson changes by hand (issue 15, point 2): a one-off lesson, cancelling, moving;
and the deputy's decisions on the lessons the timetable sync could not change itself.

The deputy and the scheduler (access.can_change_lessons). Every change is audited in
its transaction and marks the lesson `manual`, so the sync (lesson_sync.py) leaves it
where a person put it; every change queues the school's sync on commit. A move or a
new lesson is refused when the teacher, the room or the class (a group and its whole
class) already has a lesson at that bell, with a message naming the clash.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from .. import access, rules
from ..calendar import is_public_holiday
from ..models import Bell, Lesson, LessonReview, Room, Substitution, TeachingAssignment
from ..models.groups import groups_sharing_pupils
from .errors import NotAllowed, ServiceError
from .lesson_sync import queue_sync

REASON_MAX = 300


def _state(lesson: Lesson) -> dict:
    return {
        "assignment": lesson.assignment_id,
        "date": lesson.date,
        "bell": lesson.bell_id,
        "room": lesson.room_id,
        "status": lesson.status,
        "cancel_reason": lesson.cancel_reason,
        "timetable_entry": lesson.timetable_entry_id,
        "scheduled_date": lesson.scheduled_date,
        "manual": lesson.manual,
    }


def _school_id(lesson_or_assignment) -> int:
    a = getattr(lesson_or_assignment, "assignment", lesson_or_assignment)
    return a.school_class.year.school_id


def _check_allowed(actor):
    if not access.can_change_lessons(actor):
        raise NotAllowed(_("Уроки переносят и отменяют заместитель директора и диспетчер расписания."))


def _reason(text, required=False) -> str:
    text = " ".join((text or "").split())
    if required and not text:
        raise ServiceError(_("Укажите причину."), code="reason_required")
    if len(text) > REASON_MAX:
        raise ServiceError(_("Причина — не больше %(max)s знаков.") % {"max": REASON_MAX}, code="too_long")
    return text


def _teacher_name(user) -> str:
    return getattr(user, "short_name", None) or user.get_full_name() or user.username


def _lesson_label(other: Lesson) -> str:
    a = other.assignment
    where = a.group if a.group_id else a.school_class
    return _("%(where)s · %(subject)s (%(teacher)s)") % {
        "where": where,
        "subject": a.subject,
        "teacher": _teacher_name(a.teacher),
    }


def check_day(assignment: TeachingAssignment, day: date, today: date):
    """A lesson goes on a school day of the class's year, not in the past."""
    year = assignment.school_class.year
    if day < today:
        raise ServiceError(_("Нельзя поставить урок в прошедший день."), code="past")
    if not (year.start <= day <= year.end):
        raise ServiceError(
            _("%(day)s — вне учебного года %(year)s.") % {"day": f"{day:%d.%m.%Y}", "year": year.name},
            code="outside_year",
        )
    if day.isoweekday() == 7:
        raise ServiceError(_("%(day)s — воскресенье.") % {"day": f"{day:%d.%m.%Y}"}, code="holiday")
    if is_public_holiday(day):
        raise ServiceError(_("%(day)s — праздничный день.") % {"day": f"{day:%d.%m.%Y}"}, code="holiday")
    grade = assignment.school_class.grade
    for h in year.holidays.all():
        if h.start <= day <= h.end and h.applies_to(grade):
            raise ServiceError(
                _("%(day)s — каникулы («%(name)s»).") % {"day": f"{day:%d.%m.%Y}", "name": h.name}, code="holiday"
            )


def find_clash(
    assignment: TeachingAssignment, day: date, bell: Bell, room: Room | None, exclude_pk=None, substitute=None
) -> str:
    """The first clash at (day, bell), as a Russian message naming it, or "". `substitute`:
    the lesson's active substitute, who must be free too."""
    others = list(
        Lesson.objects.filter(date=day, bell=bell, assignment__school_class__year__school_id=_school_id(assignment))
        .exclude(pk=exclude_pk)
        .select_related("assignment__school_class", "assignment__group", "assignment__subject", "assignment__teacher")
        .order_by("pk")
    )
    place = {"day": f"{day:%d.%m.%Y}", "bell": bell.number}
    for other in others:
        if other.assignment_id == assignment.pk:
            return _("У этого журнала уже есть урок %(day)s на %(bell)s уроке (%(status)s).") % {
                **place,
                "status": other.get_status_display(),
            }
    live = [o for o in others if o.status != Lesson.Status.CANCELLED]
    substitutes = dict(
        Substitution.objects.active().filter(lesson__in=[o.pk for o in live]).values_list("lesson_id", "substitute_id")
    )
    shared = sharing_groups(assignment, live, day, day)
    return clash_among(
        assignment, live, room, place, substitute=substitute, substitutes=substitutes, shared_groups=shared
    )


def sharing_groups(assignment, others, start, end) -> set:
    """The pairs of groups among `assignment`'s and the same class's `others` that share a
    pupil on some day of [start, end] (the dated memberships; clash_among's `shared_groups`)."""
    if not assignment.group_id:
        return set()
    ids = {o.assignment.group_id for o in others if o.assignment.school_class_id == assignment.school_class_id}
    return groups_sharing_pupils(ids | {assignment.group_id}, start, end)


def clash_among(
    assignment, others, room, place: dict, substitute=None, substitutes=None, shared_groups=frozenset()
) -> str:
    """The first clash of `assignment` (and `room`) with `others` at one place, or "".

    `others`: lessons or timetable lines at the same bell (each with `.pk`, `.assignment`
    and `.room_id`), other journals only; `place`: {"day": …, "bell": …} for the message.
    The class (a group and its whole class clash; two groups of one class do not, unless
    they have a pupil in common on those days: `shared_groups`, pairs of group ids from
    `sharing_groups`), the teacher (and the lesson's substitute, `substitutes`: {other pk:
    substitute id}), the room. Shared with the timetable editor (journal/services/timetable.py)."""
    substitutes = substitutes or {}
    for other in others:
        if other.assignment.school_class_id != assignment.school_class_id:
            continue
        mine, theirs = assignment.group_id, other.assignment.group_id
        if not mine or not theirs or mine == theirs:
            return _("У класса %(klass)s %(day)s на %(bell)s уроке уже есть урок: %(lesson)s.") % {
                **place,
                "klass": assignment.school_class,
                "lesson": _lesson_label(other),
            }
        if frozenset((mine, theirs)) in shared_groups:
            return _("У учеников группы %(group)s %(day)s на %(bell)s уроке уже есть урок: %(lesson)s.") % {
                **place,
                "group": assignment.group.name,
                "lesson": _lesson_label(other),
            }
    for teacher in (assignment.teacher, substitute):
        if teacher is None:
            continue
        for other in others:
            if teacher.pk in (other.assignment.teacher_id, substitutes.get(other.pk)):
                return _("Учитель %(teacher)s %(day)s на %(bell)s уроке уже ведёт урок: %(lesson)s.") % {
                    **place,
                    "teacher": _teacher_name(teacher),
                    "lesson": _lesson_label(other),
                }
    if room is not None:
        for other in others:
            if other.room_id == room.pk:
                return _("Кабинет %(room)s %(day)s на %(bell)s уроке занят: %(lesson)s.") % {
                    **place,
                    "room": room.number,
                    "lesson": _lesson_label(other),
                }
    return ""


def _bell_and_room(school_id, bell_id, room_id):
    bell = Bell.objects.filter(pk=bell_id, school_id=school_id).first()
    if bell is None:
        raise ServiceError(_("Выберите урок по расписанию звонков."), code="bad_bell")
    room = None
    if room_id:
        room = Room.objects.filter(pk=room_id, school_id=school_id).first()
        if room is None:
            raise ServiceError(_("Выберите кабинет из списка."), code="bad_room")
    return bell, room


def _resolve_open_review(lesson, actor, resolution, now) -> dict | None:
    review = LessonReview.objects.open().select_for_update().filter(lesson=lesson).first()
    if review is None:
        return None
    review.resolved_at, review.resolved_by, review.resolution = now, actor, resolution
    review.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return {"review": review.pk, "resolution": resolution}


def _locked(lesson_id, actor) -> Lesson:
    lesson = (
        Lesson.objects.select_for_update(of=("self",))
        .select_related("assignment__school_class__year", "assignment__teacher", "assignment__subject")
        .filter(pk=lesson_id, assignment__school_class__year__school_id=actor.school_id)
        .first()
    )
    if lesson is None:
        raise ServiceError(_("Урок не найден."), code="not_found")
    return lesson


def add_lesson(actor, *, assignment_id, day: date, bell_id, room_id=None, reason="", now=None) -> Lesson:
    """A one-off lesson of a journal (not from the timetable)."""
    now = now or timezone.now()
    _check_allowed(actor)
    reason = _reason(reason)
    with audit.chain(actor.school_id):
        assignment = (
            TeachingAssignment.objects.select_related("school_class__year", "teacher", "subject", "group")
            .filter(pk=assignment_id, school_class__year__school_id=actor.school_id, is_active=True)
            .first()
        )
        if assignment is None:
            raise ServiceError(_("Выберите журнал из списка."), code="bad_assignment")
        bell, room = _bell_and_room(actor.school_id, bell_id, room_id)
        check_day(assignment, day, timezone.localdate(now))
        clash = find_clash(assignment, day, bell, room)
        if clash:
            raise ServiceError(clash, code="clash")
        lesson = Lesson.objects.create(assignment=assignment, date=day, bell=bell, room=room, manual=True)
        audit.record(
            actor=actor, action="lesson.add", obj=lesson, school=actor.school_id, after=_state(lesson), reason=reason
        )
        queue_sync(actor.school_id, actor)
        return lesson


def cancel_lesson(actor, *, lesson_id, reason, now=None) -> Lesson:
    """Cancel a lesson (the reason shows in the diary); what it holds is kept."""
    now = now or timezone.now()
    _check_allowed(actor)
    reason = _reason(reason, required=True)
    with audit.chain(actor.school_id):
        lesson = _locked(lesson_id, actor)
        if lesson.status == Lesson.Status.CANCELLED:
            raise ServiceError(_("Урок уже отменён."), code="cancelled")
        if lesson.date < timezone.localdate(now) and (lesson.topic or lesson.attendance.exists()):
            raise ServiceError(_("Урок уже проведён и заполнен: отменить его нельзя."), code="held")
        before = _state(lesson)
        lesson.status, lesson.cancel_reason, lesson.manual = Lesson.Status.CANCELLED, reason, True
        lesson.version += 1
        lesson.save(update_fields=["status", "cancel_reason", "manual", "version"])
        after = _state(lesson)
        review = _resolve_open_review(lesson, actor, LessonReview.Resolution.CANCEL, now)
        if review:
            after.update(review)
        audit.record(
            actor=actor, action="lesson.cancel", obj=lesson, school=_school_id(lesson), before=before, after=after,
            reason=reason,
        )  # fmt: skip
        queue_sync(_school_id(lesson), actor)
        return lesson


def move_lesson(
    actor, *, lesson_id, day: date, bell_id, room_id=None, reason="", to_timetable=None, now=None
) -> Lesson:
    """Move a lesson to another day, bell or room; it keeps everything it holds, and its
    substitution stays with it (extended to the new day's lock moment when it ran to the old one).
    `to_timetable` = (entry id, day): the move puts it where the timetable wants it."""
    now = now or timezone.now()
    _check_allowed(actor)
    reason = _reason(reason)
    with audit.chain(actor.school_id):
        lesson = _locked(lesson_id, actor)
        today = timezone.localdate(now)
        if lesson.status == Lesson.Status.CANCELLED:
            raise ServiceError(_("Урок отменён: перенести его нельзя."), code="cancelled")
        if lesson.date < today:
            raise ServiceError(_("Урок уже прошёл: перенести его нельзя."), code="past")
        bell, room = _bell_and_room(_school_id(lesson), bell_id, room_id)
        if (lesson.date, lesson.bell_id, lesson.room_id) == (day, bell.pk, room.pk if room else None):
            raise ServiceError(_("Урок уже стоит здесь: измените день, урок или кабинет."), code="unchanged")
        check_day(lesson.assignment, day, today)
        active = Substitution.objects.active(now).filter(lesson=lesson).select_related("substitute").first()
        clash = find_clash(
            lesson.assignment, day, bell, room, exclude_pk=lesson.pk, substitute=active.substitute if active else None
        )
        if clash:
            raise ServiceError(clash, code="clash")
        school = lesson.assignment.school_class.year.school
        old_lock = rules.lock_moment(lesson, school)
        before = _state(lesson)
        lesson.date, lesson.bell, lesson.room = day, bell, room
        if to_timetable:
            lesson.timetable_entry_id, lesson.scheduled_date = to_timetable
            lesson.manual = False
        else:
            lesson.manual = True
        lesson.version += 1
        lesson.save(update_fields=["date", "bell", "room", "timetable_entry", "scheduled_date", "manual", "version"])
        new_lock = rules.lock_moment(lesson, school)
        for sub in Substitution.objects.active(now).select_for_update().filter(lesson=lesson, ends_at=old_lock):
            sub_before = {"ends_at": sub.ends_at}
            sub.ends_at = new_lock
            sub.save(update_fields=["ends_at"])
            audit.record(
                actor=actor, action="substitution.extend", obj=sub, school=school, before=sub_before,
                after={"ends_at": sub.ends_at}, reason=_("Урок перенесён"),
            )  # fmt: skip
        after = _state(lesson)
        review = _resolve_open_review(lesson, actor, LessonReview.Resolution.MOVE, now)
        if review:
            after.update(review)
        audit.record(
            actor=actor, action="lesson.move", obj=lesson, school=school, before=before, after=after, reason=reason
        )
        queue_sync(school.pk, actor)
        return lesson


# --- the deputy's decisions on the sync's list ----------------------------------------------


def _open_review(actor, review_id) -> LessonReview:
    review = (
        LessonReview.objects.open()
        .select_for_update(of=("self",))
        .select_related("lesson")
        .filter(pk=review_id, school_id=actor.school_id)
        .first()
    )
    if review is None:
        raise ServiceError(_("Этот урок уже решён."), code="resolved")
    return review


def move_to_timetable(actor, *, review_id, now=None) -> Lesson:
    """Move the listed lesson where the timetable now wants it (with all it holds)."""
    _check_allowed(actor)
    with audit.chain(actor.school_id):
        review = _open_review(actor, review_id)
        if review.target_date is None or review.target_bell_id is None:
            raise ServiceError(
                _("В расписании для этого урока нового места нет: выберите день и урок сами."), code="no_target"
            )
        return move_lesson(
            actor,
            lesson_id=review.lesson_id,
            day=review.target_date,
            bell_id=review.target_bell_id,
            room_id=review.target_room_id,
            reason=_("Перенесён по новому расписанию"),
            to_timetable=(review.target_entry_id, review.target_date) if review.target_entry_id else None,
            now=now,
        )


def keep_lesson(actor, *, review_id, now=None) -> Lesson:
    """Keep the listed lesson where it is; it stands for its week's new timetable place."""
    now = now or timezone.now()
    _check_allowed(actor)
    with audit.chain(actor.school_id):
        review = _open_review(actor, review_id)
        lesson = _locked(review.lesson_id, actor)
        before = _state(lesson)
        lesson.manual = True
        if review.target_entry_id and review.target_date:
            lesson.timetable_entry_id, lesson.scheduled_date = review.target_entry_id, review.target_date
        lesson.save(update_fields=["manual", "timetable_entry", "scheduled_date"])
        review.resolved_at, review.resolved_by, review.resolution = now, actor, LessonReview.Resolution.KEEP
        review.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        audit.record(
            actor=actor, action="lesson.keep", obj=lesson, school=actor.school_id, before=before,
            after={**_state(lesson), "review": review.pk, "resolution": review.resolution},
        )  # fmt: skip
        return lesson
