"""State changes of the diary: threads, messages, announcements, read receipts,
e-mail preferences. Each public function: one transaction, permission check,
validation, write (and audit for what the school publishes).

Who writes to whom (docs/DESIGN.md §1.5 "Messages"): a parent writes about own child
to a teacher of the child's class, to the class teacher or to the administration;
school staff write to the parents of pupils in their scope and to those pupils, the
class teacher (and the administration) to all parents of a class at once, and staff
to colleagues of their school. A pupil answers, never starts. Nobody else — in
particular no parent writes to another parent, whatever ids they send.
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
TO_PUPIL = "pupil"
TO_COLLEAGUE = Thread.Kind.COLLEAGUE.value
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
    if thread.kind == Thread.Kind.COLLEAGUE or thread.with_pupil:
        return True
    return Guardianship.objects.filter(parent_id=thread.parent_id, child_id=thread.pupil_id).exists()


def _recipients(thread: Thread, author) -> list[int]:
    if thread.kind == Thread.Kind.COLLEAGUE:
        return [thread.staff_id if author.pk == thread.created_by_id else thread.created_by_id]
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
    for staff: "parent:<user id>" (a parent of the pupil), "pupil:<pupil id>" (the pupil),
    or "colleague:<user id>" (then `pupil_id` is ignored).
    """
    subject = _clean_text(subject, field=_("Тема"), max_len=SUBJECT_MAX)
    body = _clean_text(body, field=_("Сообщение"), max_len=BODY_MAX)
    kind_name, _sep, raw_id = (to or "").partition(":")
    target_id = params.parse_id(raw_id)
    if kind_name == TO_COLLEAGUE:
        return _start_colleague_thread(actor, target_id, subject, body)
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
            if kind_name == TO_PUPIL and target_id == pupil_id:
                parent_id = pupil_id  # the pupil is the family side: docs/DESIGN.md §1.5
            elif (
                kind_name != TO_PARENT
                or not Guardianship.objects.filter(parent_id=target_id, child_id=pupil_id).exists()
            ):
                raise ServiceError(_("Выберите родителя этого ученика или самого ученика."), code="bad_recipient")
            else:
                parent_id = target_id
            kind, staff_id = _staff_side(actor, klass, pupil_id)
        return _create(actor, school_id, pupil_id, parent_id, staff_id, kind, subject, body)


def _staff_side(actor, klass, pupil_id):
    """(kind, staff) of a thread staff start: as the class teacher, as the pupil's teacher,
    or as the administration (a deputy or director who does not teach the pupil)."""
    if klass.class_teacher_id == actor.pk:
        return Thread.Kind.CLASS_TEACHER, actor.pk
    if R.user_roles(actor) & R.WHOLE_SCHOOL_READERS and not teachers_of(pupil_id).filter(pk=actor.pk).exists():
        return Thread.Kind.ADMINISTRATION, None
    return Thread.Kind.TEACHER, actor.pk


def _create(actor, school_id, pupil_id, parent_id, staff_id, kind, subject, body) -> Thread:
    thread = Thread.objects.create(
        school_id=school_id,
        pupil_id=pupil_id,
        parent_id=parent_id,
        staff_id=staff_id,
        kind=kind,
        subject=subject,
        created_by=actor,
        last_message_at=timezone.now(),
    )
    _post(thread, actor, body)
    return thread


def _start_colleague_thread(actor, colleague_id, subject, body) -> Thread:
    from .access import colleagues_of

    with transaction.atomic():
        if not R.user_roles(actor) & R.JOURNAL_STAFF:
            raise NotAllowed()
        if not colleague_id or not colleagues_of(actor).filter(pk=colleague_id).exists():
            raise ServiceError(_("Выберите коллегу из своей школы."), code="bad_recipient")
        return _create(actor, actor.school_id, None, None, colleague_id, Thread.Kind.COLLEAGUE, subject, body)


def write_to_class_parents(actor, *, class_id, subject, body) -> list[Thread]:
    """One message to every parent of the pupils now in the class; each parent of each
    pupil gets a thread of their own, so replies stay within the family (docs/DESIGN.md
    §1.5 "Messages"). The class teacher and the administration only; audited like an
    announcement, the school speaking to a whole class."""
    from .access import can_write_class_parents

    subject = _clean_text(subject, field=_("Тема"), max_len=SUBJECT_MAX)
    body = _clean_text(body, field=_("Сообщение"), max_len=BODY_MAX)
    with audit.chain(actor.school_id):
        klass = SchoolClass.objects.select_related("year").filter(pk=class_id, year__school_id=actor.school_id).first()
        if klass is None or not can_write_class_parents(actor, klass):
            raise NotAllowed(_("Всем родителям класса пишут классный руководитель и администрация."))
        pupils = Enrollment.objects.current().filter(school_class=klass).values("pupil_id")
        pairs = list(
            Guardianship.objects.filter(child_id__in=pupils)
            .exclude(parent_id=actor.pk)
            .order_by("child_id", "parent_id")
            .values_list("child_id", "parent_id")
        )
        if not pairs:
            raise ServiceError(_("У учеников класса нет родителей с учётными записями."), code="no_parents")
        threads = []
        for pupil_id, parent_id in pairs:
            kind, staff_id = _staff_side(actor, klass, pupil_id)
            threads.append(_create(actor, klass.year.school_id, pupil_id, parent_id, staff_id, kind, subject, body))
        audit.record(
            actor=actor,
            action="message.class_parents",
            obj=klass,
            school=actor.school_id,
            after={"subject": subject, "threads": len(threads)},
        )
        return threads


def reply(actor, thread: Thread, body) -> Message:
    """Answer in a thread the actor sees (resolved by diary.access.get_thread_for_user)."""
    body = _clean_text(body, field=_("Сообщение"), max_len=BODY_MAX)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        is_admin = thread.kind == Thread.Kind.ADMINISTRATION and R.user_roles(actor) & R.WHOLE_SCHOOL_READERS
        is_colleague = thread.kind == Thread.Kind.COLLEAGUE and actor.pk == thread.created_by_id
        if actor.pk not in (thread.parent_id, thread.staff_id) and not (
            (is_admin and actor.school_id == thread.school_id) or is_colleague
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


def set_email_preferences(
    actor, *, weekly_digest: bool, daily_marks: bool, new_messages: bool = False
) -> EmailPreference:
    if not receives_digests(actor):
        raise NotAllowed(_("Рассылку настраивают родители."))
    if (weekly_digest or daily_marks or new_messages) and not actor.email:
        raise ServiceError(
            _("В вашей учётной записи нет адреса e-mail. Попросите классного руководителя внести его."),
            code="no_email",
        )
    with transaction.atomic():
        pref, _created = EmailPreference.objects.select_for_update().get_or_create(user=actor)
        pref.weekly_digest = bool(weekly_digest)
        pref.daily_marks = bool(daily_marks)
        pref.new_messages = bool(new_messages)
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
    if kind not in ("weekly", "daily", "messages", "all"):
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
        if kind in ("messages", "all"):
            pref.new_messages = False
        pref.save()
        return pref


# --- paper copies (docs/DESIGN.md §4.4) -----------------------------------------------


def set_paper_request(actor, *, pupil_id, parent_id, wanted: bool):
    """Record (or withdraw) a parent's request for the weekly printed diary of a child: the
    parent for own child, or the class teacher of the child's class for the parent. Audited:
    the request stands for the written one of the regulation."""
    from .access import can_record_paper_request
    from .models import PaperRequest

    with audit.chain(actor.school_id):
        if not Guardianship.objects.filter(parent_id=parent_id, child_id=pupil_id).exists():
            raise NotAllowed()
        if not can_record_paper_request(actor, pupil_id, parent_id):
            raise NotAllowed()
        current = (
            PaperRequest.objects.select_for_update()
            .filter(pupil_id=pupil_id, parent_id=parent_id, withdrawn_at__isnull=True)
            .first()
        )
        if wanted and current is None:
            current = PaperRequest.objects.create(pupil_id=pupil_id, parent_id=parent_id, recorded_by=actor)
            action = "paper_request.record"
        elif not wanted and current is not None:
            current.withdrawn_at = timezone.now()
            current.save(update_fields=["withdrawn_at"])
            action = "paper_request.withdraw"
        else:
            return current
        audit.record(
            actor=actor,
            action=action,
            obj=current,
            school=actor.school_id,
            after={"pupil": pupil_id, "parent": parent_id},
        )
        return current
