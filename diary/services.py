"""State changes of the diary: threads, messages, announcements, read receipts,
e-mail preferences. Each public function: one transaction, permission check,
validation, write (and audit for what the school publishes).

Who writes to whom: a parent writes about own child to a teacher of the child's
class, to the class teacher or to the administration; school staff write to the
parents of pupils in their scope. Nobody else — in particular no parent writes to
another parent, whatever ids they send.
"""

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Guardianship, User
from ejournal import params
from journal import access as journal_access
from journal import roles as R
from journal.models import Enrollment, GroupMembership, SchoolClass, TeachingAssignment
from journal.services.errors import NotAllowed, ServiceError

from .access import receives_digests
from .models import BODY_MAX, SUBJECT_MAX, Announcement, EmailPreference, Message, Receipt, Thread

# Addresses of a new thread (`to`): "<kind>" or "<kind>:<user id>".
TO_CLASS_TEACHER = Thread.Kind.CLASS_TEACHER.value
TO_ADMINISTRATION = Thread.Kind.ADMINISTRATION.value
TO_TEACHER = Thread.Kind.TEACHER.value
TO_PARENT = R.PARENT
UNSUBSCRIBE_SALT = "diary.unsubscribe"


def _clean_text(value, *, field, max_len):
    """Required text within its limit, no NUL (docs/DESIGN.md §3.24)."""
    try:
        value = params.parse_text(value, max_length=max_len, field=field)
    except params.BadValue as exc:
        raise ServiceError(exc.message, code="too_long") from None
    if not value:
        raise ServiceError(_("Заполните поле «%(field)s».") % {"field": field}, code="required")
    return value


def current_enrollment(pupil_id, day=None):
    day = day or timezone.localdate()
    return Enrollment.objects.on(day).filter(pupil_id=pupil_id).select_related("school_class__year").first()


def teachers_of(pupil_id, day=None):
    """Staff a parent may write to about the pupil: teachers of the pupil's journals now."""
    enr = current_enrollment(pupil_id, day)
    if enr is None:
        return User.objects.none()
    groups = GroupMembership.objects.on(day or timezone.localdate()).group_ids(pupil_id)
    assignments = TeachingAssignment.objects.filter(school_class_id=enr.school_class_id, is_active=True).filter(
        Q(group__isnull=True) | Q(group_id__in=groups)
    )
    return User.objects.filter(pk__in=assignments.values("teacher_id")).order_by("last_name", "first_name")


def administration_of(school_id):
    return User.objects.filter(roles__school_id=school_id, roles__role__in=R.WHOLE_SCHOOL_READERS).distinct()


def _guardian_still(thread: Thread) -> bool:
    return Guardianship.objects.filter(parent_id=thread.parent_id, child_id=thread.pupil_id).exists()


def _recipients(thread: Thread, author) -> list[int]:
    if author.pk == thread.parent_id:
        if thread.kind == Thread.Kind.ADMINISTRATION:
            return list(administration_of(thread.school_id).values_list("pk", flat=True))
        return [thread.staff_id]
    return [thread.parent_id]


def _post(thread: Thread, author, body) -> Message:
    msg = Message.objects.create(thread=thread, author=author, body=body)
    Receipt.objects.bulk_create(
        [Receipt(recipient_id=uid, message=msg) for uid in _recipients(thread, author) if uid != author.pk],
        ignore_conflicts=True,
    )
    Thread.objects.filter(pk=thread.pk).update(last_message_at=msg.created_at)
    return msg


def start_thread(actor, *, pupil_id, to, subject, body) -> Thread:
    """Open a thread about `pupil_id`.

    `to` for a parent: "class_teacher", "administration" or "teacher:<user id>";
    for staff: "parent:<user id>" (a parent of the pupil).
    """
    subject = _clean_text(subject, field=_("Тема"), max_len=SUBJECT_MAX)
    body = _clean_text(body, field=_("Сообщение"), max_len=BODY_MAX)
    kind_name, _sep, raw_id = (to or "").partition(":")
    target_id = params.parse_id(raw_id)
    with transaction.atomic():
        enr = current_enrollment(pupil_id)
        if enr is None:
            raise ServiceError(_("Ученик сейчас не числится в школе."), code="not_enrolled")
        klass = enr.school_class
        school_id = klass.year.school_id
        is_parent = Guardianship.objects.filter(parent=actor, child_id=pupil_id).exists()
        if is_parent:
            parent_id = actor.pk
            if kind_name == TO_CLASS_TEACHER:
                if klass.class_teacher_id is None:
                    raise ServiceError(_("У класса нет классного руководителя."), code="no_class_teacher")
                kind, staff_id = Thread.Kind.CLASS_TEACHER, klass.class_teacher_id
            elif kind_name == TO_ADMINISTRATION:
                kind, staff_id = Thread.Kind.ADMINISTRATION, None
            elif kind_name == TO_TEACHER and target_id and teachers_of(pupil_id).filter(pk=target_id).exists():
                kind, staff_id = Thread.Kind.TEACHER, target_id
            else:
                # Another parent, a stranger, a teacher of another class: not a correspondent.
                raise NotAllowed(_("Писать можно только учителям ребёнка, классному руководителю и администрации."))
        else:
            roles = R.user_roles(actor)
            in_scope = roles & R.JOURNAL_STAFF and journal_access.pupils_readable(actor).filter(pk=pupil_id).exists()
            if not in_scope:
                raise NotAllowed()
            if (
                kind_name != TO_PARENT
                or not Guardianship.objects.filter(parent_id=target_id, child_id=pupil_id).exists()
            ):
                raise ServiceError(_("Выберите родителя этого ученика."), code="bad_recipient")
            parent_id = target_id
            if klass.class_teacher_id == actor.pk:
                kind, staff_id = Thread.Kind.CLASS_TEACHER, actor.pk
            elif roles & R.WHOLE_SCHOOL_READERS and not teachers_of(pupil_id).filter(pk=actor.pk).exists():
                kind, staff_id = Thread.Kind.ADMINISTRATION, None
            else:
                kind, staff_id = Thread.Kind.TEACHER, actor.pk
        now = timezone.now()
        thread = Thread.objects.create(
            school_id=school_id,
            pupil_id=pupil_id,
            parent_id=parent_id,
            staff_id=staff_id,
            kind=kind,
            subject=subject,
            created_by=actor,
            last_message_at=now,
        )
        _post(thread, actor, body)
        return thread


def reply(actor, thread: Thread, body) -> Message:
    """Answer in a thread the actor sees (resolved by diary.access.get_thread_for_user)."""
    body = _clean_text(body, field=_("Сообщение"), max_len=BODY_MAX)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        is_admin = thread.kind == Thread.Kind.ADMINISTRATION and R.user_roles(actor) & R.WHOLE_SCHOOL_READERS
        if actor.pk not in (thread.parent_id, thread.staff_id) and not (
            is_admin and actor.school_id == thread.school_id
        ):
            raise NotAllowed()
        # A removed guardian's threads end: nothing more from them, nothing more to them.
        if not _guardian_still(thread):
            if actor.pk == thread.parent_id:
                raise NotAllowed()
            raise ServiceError(
                _("Переписка закрыта: %(name)s больше не законный представитель ученика.")
                % {"name": thread.parent.full_name},
                code="thread_closed",
            )
        return _post(thread, actor, body)


def mark_thread_read(user, thread: Thread, now=None) -> int:
    return Receipt.objects.filter(recipient=user, message__thread=thread, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def mark_announcement_read(user, announcement: Announcement, now=None) -> int:
    return Receipt.objects.filter(recipient=user, announcement=announcement, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


# --- announcements ----------------------------------------------------------------


def announcement_classes(actor):
    """Classes the actor may address: own classes (class teacher); every class of the school (administration)."""
    classes = SchoolClass.objects.filter(year__school_id=actor.school_id, year__is_closed=False)
    if can_announce_school(actor):
        return classes
    return classes.filter(class_teacher=actor)


def can_announce_school(actor) -> bool:
    return bool(R.user_roles(actor) & R.ANNOUNCERS)


def publish_announcement(actor, *, school_class_id=None, audience, title, body) -> Announcement:
    title = _clean_text(title, field=_("Заголовок"), max_len=SUBJECT_MAX)
    body = _clean_text(body, field=_("Текст"), max_len=BODY_MAX)
    if audience not in Announcement.Audience.values:
        raise ServiceError(_("Выберите, кому адресовано объявление."), code="bad_audience")
    with audit.chain(actor.school_id):
        if school_class_id:
            klass = announcement_classes(actor).filter(pk=school_class_id).first()
            if klass is None:
                raise NotAllowed(_("Объявление можно адресовать только своему классу."))
            classes = [klass.pk]
        else:
            if not can_announce_school(actor):
                raise NotAllowed(_("Объявление для всей школы публикует администрация."))
            classes = list(announcement_classes(actor).values_list("pk", flat=True))
        ann = Announcement.objects.create(
            school_id=actor.school_id,
            school_class_id=school_class_id or None,
            audience=audience,
            author=actor,
            title=title,
            body=body,
        )
        pupils = Enrollment.objects.current().filter(school_class_id__in=classes)
        recipients: set[int] = set()
        if audience in (Announcement.Audience.PUPILS, Announcement.Audience.BOTH):
            recipients |= set(pupils.values_list("pupil_id", flat=True))
        if audience in (Announcement.Audience.PARENTS, Announcement.Audience.BOTH):
            recipients |= set(
                Guardianship.objects.filter(child_id__in=pupils.values("pupil_id")).values_list("parent_id", flat=True)
            )
        recipients.discard(actor.pk)
        Receipt.objects.bulk_create(
            [Receipt(recipient_id=uid, announcement=ann) for uid in sorted(recipients)], batch_size=2000
        )
        audit.record(
            actor=actor,
            action="announcement.publish",
            obj=ann,
            school=actor.school_id,
            after={"class": school_class_id, "audience": audience, "title": title, "recipients": len(recipients)},
        )
        return ann


# --- e-mail -------------------------------------------------------------------------


def set_email_preferences(actor, *, weekly_digest: bool, daily_marks: bool) -> EmailPreference:
    if not receives_digests(actor):
        raise NotAllowed(_("Рассылку настраивают родители."))
    if (weekly_digest or daily_marks) and not actor.email:
        raise ServiceError(
            _("В вашей учётной записи нет адреса e-mail. Попросите классного руководителя внести его."),
            code="no_email",
        )
    with transaction.atomic():
        pref, _created = EmailPreference.objects.select_for_update().get_or_create(user=actor)
        pref.weekly_digest = bool(weekly_digest)
        pref.daily_marks = bool(daily_marks)
        pref.save()
        return pref


def unsubscribe_token(user_id: int, kind: str) -> str:
    """A signed, non-expiring token: one click in the letter, no login."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) of a genuine unsubscribe link; ServiceError for a damaged one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, kind = int(data["u"]), data["k"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ServiceError(_("Ссылка для отписки повреждена."), code="bad_token") from None
    if kind not in ("weekly", "daily", "all"):
        raise ServiceError(_("Ссылка для отписки повреждена."), code="bad_token")
    return user_id, kind


def unsubscribe(token: str) -> EmailPreference:
    user_id, kind = read_unsubscribe_token(token)
    with transaction.atomic():
        pref = EmailPreference.objects.select_for_update().filter(user_id=user_id).first()
        if pref is None:
            if not User.objects.filter(pk=user_id).exists():
                raise ServiceError(_("Ссылка для отписки повреждена."), code="bad_token")
            pref = EmailPreference(user_id=user_id)
        if kind in ("weekly", "all"):
            pref.weekly_digest = False
        if kind in ("daily", "all"):
            pref.daily_marks = False
        pref.save()
        return pref
