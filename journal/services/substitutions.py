"""Substitutions: the deputy or the scheduler gives lessons to a substitute teacher.

Each lesson gets its own Substitution row (the log: who assigned whom, when, which
lessons, why). The substitute may fill exactly those lessons until `ends_at`, which by
default is the moment the lesson locks for its own teacher; revoking ends it at once.
"""

import uuid
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import RoleAssignment

from .. import access, notices, rules
from .. import roles as R
from ..models import Lesson, Substitution, TeachingAssignment
from .errors import NotAllowed, ServiceError
from .limits import REASON_MAX, clean_text

MAX_DAYS = 120


def _state(sub: Substitution) -> dict:
    return {
        "lesson": sub.lesson_id,
        "substitute": sub.substitute_id,
        "ends_at": sub.ends_at,
        "reason": sub.reason,
        "batch": str(sub.batch),
        "revoked_at": sub.revoked_at,
    }


def eligible_substitutes(school):
    """Staff of the school who may substitute: teachers and the administration."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    teachers = TeachingAssignment.objects.filter(school_class__year__school=school).values("teacher_id")
    staff = RoleAssignment.objects.filter(school=school, role__in=R.WHOLE_SCHOOL_READERS).values("user_id")
    return (
        User.objects.filter(school=school, is_active=True)
        .filter(pk__in=teachers.union(staff))
        .order_by("last_name", "first_name")
    )


def assign(
    actor,
    *,
    assignment_id,
    substitute_id,
    date_from: date,
    date_to: date | None = None,
    reason,
    lesson_ids=None,
    now=None,
) -> list[Substitution]:
    """Give the substitute every lesson of the journal from date_from to date_to (inclusive),
    or only `lesson_ids` among them. Returns the created rows (one batch)."""
    now = now or timezone.now()
    if not access.can_assign_substitutes(actor):
        raise NotAllowed(_("Замены назначают заместитель директора и диспетчер расписания."))
    reason = clean_text(reason, max_length=Substitution._meta.get_field("reason").max_length, field=_("Причина"))
    if not reason:
        raise ServiceError(_("Укажите причину замены."), code="reason_required")
    date_to = date_to or date_from
    if date_to < date_from:
        raise ServiceError(_("Дата окончания раньше даты начала."), code="bad_range")
    if (date_to - date_from).days > MAX_DAYS:
        raise ServiceError(_("Период замены — не больше %(max)s дней.") % {"max": MAX_DAYS}, code="bad_range")
    with audit.chain(actor.school_id):
        assignment = (
            TeachingAssignment.objects.select_related("school_class__year__school")
            .filter(pk=assignment_id, school_class__year__school_id=actor.school_id)
            .first()
        )
        if assignment is None:
            raise NotAllowed(_("Нагрузка не найдена."))
        school = assignment.school_class.year.school
        substitute = eligible_substitutes(school).filter(pk=substitute_id).first()
        if substitute is None:
            raise ServiceError(_("Заменять может только учитель или администрация этой школы."), code="bad_substitute")
        if substitute.pk == assignment.teacher_id:
            raise ServiceError(_("Учитель не может заменять сам себя."), code="self")
        lessons = (
            Lesson.objects.select_for_update()
            .filter(assignment=assignment, date__gte=date_from, date__lte=date_to)
            .exclude(status=Lesson.Status.CANCELLED)
        )
        if lesson_ids is not None:
            lessons = lessons.filter(pk__in=lesson_ids)
        lessons = list(lessons.order_by("date", "bell__number"))
        if not lessons:
            raise ServiceError(_("В эти даты у этого класса нет уроков по предмету."), code="no_lessons")
        batch = uuid.uuid4()
        created = []
        for lesson in lessons:
            ends_at = rules.lock_moment(lesson, school)
            if ends_at <= now:
                raise ServiceError(
                    _("Урок %(date)s уже закрыт: замену на него назначить нельзя.")
                    % {"date": f"{lesson.date:%d.%m.%Y}"},
                    code="locked",
                )
            previous = Substitution.objects.select_for_update().filter(lesson=lesson, revoked_at__isnull=True).first()
            if previous is not None:
                _revoke(actor, previous, now, _("Новая замена: %(reason)s") % {"reason": reason}, school)
            sub = Substitution.objects.create(
                lesson=lesson, substitute=substitute, reason=reason, batch=batch, assigned_by=actor, ends_at=ends_at
            )
            audit.record(
                actor=actor, action="substitution.assign", obj=sub, school=school, after=_state(sub), reason=reason
            )
            created.append(sub)
        notices.substitution_assigned(created, assignment, now)
        return created


def _revoke(actor, sub, now, reason, school):
    before = _state(sub)
    sub.revoked_at, sub.revoked_by = now, actor
    sub.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        action="substitution.revoke",
        obj=sub,
        school=school,
        before=before,
        after=_state(sub),
        reason=reason,
    )


def revoke(actor, *, substitution_id, reason="", now=None) -> Substitution:
    now = now or timezone.now()
    if not access.can_assign_substitutes(actor):
        raise NotAllowed(_("Замены отменяют заместитель директора и диспетчер расписания."))
    with audit.chain(actor.school_id):
        sub = (
            Substitution.objects.select_for_update()
            .filter(pk=substitution_id, lesson__assignment__school_class__year__school_id=actor.school_id)
            .first()
        )
        if sub is None:
            raise NotAllowed(_("Замена не найдена."))
        if sub.revoked_at is not None:
            raise ServiceError(_("Замена уже отменена."), code="revoked")
        _revoke(actor, sub, now, clean_text(reason, max_length=REASON_MAX, field=_("Причина")), actor.school_id)
        return sub
