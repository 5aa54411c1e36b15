"""E-mail to parents: the weekly digest and the daily summary of new marks.

Plain functions (build → render → send); diary/tasks.py wraps them for Celery.
Sending is idempotent: an EmailDelivery row per (parent, kind, period) is written in
the same transaction as the send, so a beat run twice or a retried task never sends
the same letter twice, and a failed send leaves no row (the retry sends it).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from journal.access import children_of
from journal.models import Mark

from .models import EmailDelivery, EmailPreference
from .services import unsubscribe_token
from .week import DiaryWeek, build_week, has_marks, monday_of, pupil_enrollments

DAILY_SEND_AT = time(20, 0)  # the daily summary covers the 24 h before this moment


@dataclass
class ChildWeek:
    pupil: User
    week: DiaryWeek

    @property
    def marks(self):
        return [(dl, m) for dl in self.week.lessons for m in dl.marks]

    @property
    def absences(self):
        return [dl for dl in self.week.lessons if dl.attendance]

    @property
    def homework(self):
        return [dl for dl in self.week.lessons if dl.homework or dl.own_homework]


def weekly_digest_data(parent, monday: date, today=None) -> list[ChildWeek]:
    """Each child's Monday–Saturday week: exactly what the diary shows for it."""
    today = today or timezone.localdate()
    out = []
    for child in children_of(parent).order_by("last_name", "first_name", "pk"):
        if child.pk == parent.pk:
            continue
        enrollments = pupil_enrollments(child)
        if not enrollments:
            continue
        out.append(ChildWeek(pupil=child, week=build_week(child, monday, enrollments, today=today)))
    return out


def _unsubscribe_url(user_id, kind):
    return settings.SITE_URL.rstrip("/") + reverse("diary:unsubscribe", args=[unsubscribe_token(user_id, kind)])


def _message(parent, subject, template, ctx, kind) -> EmailMultiAlternatives:
    unsubscribe_url = _unsubscribe_url(parent.pk, kind)
    ctx = dict(ctx, parent=parent, unsubscribe_url=unsubscribe_url, site_url=settings.SITE_URL.rstrip("/"))
    with translation.override("ru"):
        text = render_to_string(f"diary/email/{template}.txt", ctx)
        html = render_to_string(f"diary/email/{template}.html", ctx)
    msg = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[parent.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    msg.attach_alternative(html, "text/html")
    return msg


def build_weekly_email(parent, monday: date, today=None) -> EmailMultiAlternatives | None:
    if not parent.email:
        return None
    children = weekly_digest_data(parent, monday, today)
    if not children:
        return None
    saturday = monday + timedelta(days=5)
    with translation.override("ru"):  # the letters are in Russian, like their templates
        subject = _("Дневник: неделя %(monday)s–%(saturday)s") % {
            "monday": f"{monday:%d.%m}",
            "saturday": f"{saturday:%d.%m.%Y}",
        }
    return _message(parent, subject, "weekly", {"children": children, "monday": monday, "saturday": saturday}, "weekly")


def _send_once(parent, kind, period_start, build) -> bool:
    with transaction.atomic():
        _delivery, created = EmailDelivery.objects.get_or_create(user=parent, kind=kind, period_start=period_start)
        if not created:
            return False
        msg = build()
        if msg is None:
            transaction.set_rollback(True)
            return False
        # An exception here rolls the delivery row back, so the task's retry sends again.
        msg.send(fail_silently=False)
        return True


def send_weekly_digest(parent_id: int, monday_iso: str) -> bool:
    parent = User.objects.filter(pk=parent_id, is_active=True).first()
    pref = EmailPreference.objects.filter(user_id=parent_id, weekly_digest=True).first()
    if parent is None or pref is None:
        return False
    monday = date.fromisoformat(monday_iso)
    return _send_once(parent, EmailDelivery.Kind.WEEKLY, monday, lambda: build_weekly_email(parent, monday))


def daily_window(day: date):
    end = timezone.make_aware(datetime.combine(day, DAILY_SEND_AT))
    return end - timedelta(days=1), end


def new_marks(parent, day: date):
    """Marks given to the parent's children in the 24 h before DAILY_SEND_AT on `day` (grade 1 has none)."""
    start, end = daily_window(day)
    marks = (
        Mark.objects.filter(
            pupil__in=children_of(parent).exclude(pk=parent.pk), created_at__gte=start, created_at__lt=end
        )
        .select_related(
            "pupil",
            "assessment__work_type",
            "assessment__lesson__assignment__subject",
            "assessment__lesson__assignment__school_class__year__school",
        )
        .order_by("pupil__last_name", "pupil__first_name", "assessment__lesson__date", "created_at")
    )
    return [m for m in marks if has_marks(m.assessment.lesson.assignment.school_class)]


def build_daily_email(parent, day: date) -> EmailMultiAlternatives | None:
    if not parent.email:
        return None
    marks = new_marks(parent, day)
    if not marks:
        return None
    with translation.override("ru"):
        subject = _("Дневник: новые отметки на %(day)s") % {"day": f"{day:%d.%m.%Y}"}
    return _message(parent, subject, "daily", {"marks": marks, "day": day}, "daily")


def send_daily_marks(parent_id: int, day_iso: str) -> bool:
    parent = User.objects.filter(pk=parent_id, is_active=True).first()
    pref = EmailPreference.objects.filter(user_id=parent_id, daily_marks=True).first()
    if parent is None or pref is None:
        return False
    day = date.fromisoformat(day_iso)
    return _send_once(parent, EmailDelivery.Kind.DAILY, day, lambda: build_daily_email(parent, day))


# --- new-message notices (docs/DESIGN.md §1.5 "Messages") ---------------------------
# A message unread this long gets a letter; at most one letter a day (EmailDelivery).
NOTICE_DELAY = timedelta(minutes=15)


def unread_threads(user, now=None):
    """[(thread, unread count)] of messages to `user` unread for NOTICE_DELAY, in threads
    the user still sees (a removed guardian gets no notice)."""
    from django.db.models import Count

    from .access import threads_visible

    now = now or timezone.now()
    threads = (
        threads_visible(user)
        .filter(
            messages__receipts__recipient=user,
            messages__receipts__read_at__isnull=True,
            messages__receipts__delivered_at__lte=now - NOTICE_DELAY,
        )
        .annotate(n=Count("messages__receipts"))
        .order_by("-last_message_at")
    )
    return [(t, t.n) for t in threads]


def build_message_notice(user, now=None) -> EmailMultiAlternatives | None:
    if not user.email:
        return None
    threads = unread_threads(user, now)
    if not threads:
        return None
    with translation.override("ru"):
        subject = _("Дневник: новые сообщения")
    return _message(user, subject, "messages", {"threads": threads}, "messages")


def send_message_notice(user_id: int, day_iso: str) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    pref = EmailPreference.objects.filter(user_id=user_id, new_messages=True).first()
    if user is None or pref is None:
        return False
    day = date.fromisoformat(day_iso)
    return _send_once(user, EmailDelivery.Kind.MESSAGES, day, lambda: build_message_notice(user))


def queue_message_notices(task, now=None) -> int:
    """Beat (every 15 minutes by day): a task per subscriber with a message unread for
    NOTICE_DELAY and no notice yet today — the throttle is the EmailDelivery row."""
    from .models import Receipt

    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = list(
        EmailPreference.objects.filter(new_messages=True, user__is_active=True)
        .exclude(user__email="")
        .filter(
            user_id__in=Receipt.objects.filter(
                message__isnull=False, read_at__isnull=True, delivered_at__lte=now - NOTICE_DELAY
            ).values("recipient_id")
        )
        .exclude(
            user_id__in=EmailDelivery.objects.filter(kind=EmailDelivery.Kind.MESSAGES, period_start=today).values(
                "user_id"
            )
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    for uid in ids:
        task.apply_async(args=[uid, today.isoformat()])
    return len(ids)


# --- the weekly paper copies (docs/DESIGN.md §4.4) -----------------------------------


def paper_classes(today=None):
    """{class teacher id: [classes]} of the classes with open paper requests of current pupils."""
    from journal.models import Enrollment, SchoolClass

    from .models import PaperRequest

    pupils = PaperRequest.objects.filter(withdrawn_at__isnull=True).values("pupil_id")
    classes = (
        SchoolClass.objects.filter(
            class_teacher__isnull=False,
            year__is_closed=False,
            pk__in=Enrollment.objects.current().filter(pupil_id__in=pupils).values("school_class_id"),
        )
        .select_related("class_teacher", "year__school")
        .order_by("grade", "letter")
    )
    out: dict[int, list] = {}
    for k in classes:
        out.setdefault(k.class_teacher_id, []).append(k)
    return out


def send_paper_copies(teacher_id: int, monday_iso: str) -> bool:
    """One letter to the class teacher with one PDF per class: the week's diaries of the
    pupils whose parents asked for paper. Once per teacher and week (EmailDelivery)."""
    from .printing import class_week_pdf

    teacher = User.objects.filter(pk=teacher_id, is_active=True).exclude(email="").first()
    classes = paper_classes().get(teacher_id, [])
    if teacher is None or not classes:
        return False
    monday = date.fromisoformat(monday_iso)

    def build():
        with translation.override("ru"):
            subject = _("Бумажные дневники на неделю %(monday)s") % {"monday": f"{monday:%d.%m.%Y}"}
            body = _("Во вложении дневники за неделю для семей, которые просили бумажную копию.")
        msg = EmailMultiAlternatives(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[teacher.email]
        )
        for k in classes:
            msg.attach(
                f"diary-{k}-{monday:%Y-%m-%d}.pdf", class_week_pdf(k, monday, only_requested=True), "application/pdf"
            )
        return msg

    return _send_once(teacher, EmailDelivery.Kind.PAPER, monday, build)


def queue_paper_copies(task, today=None) -> int:
    """Beat (Friday): a task per class teacher with paper requests in her classes."""
    today = today or timezone.localdate()
    ids = sorted(paper_classes())
    for tid in ids:
        task.apply_async(args=[tid, monday_of(today).isoformat()])
    return len(ids)


def subscribers(kind) -> list[int]:
    flag = {"weekly": "weekly_digest", "daily": "daily_marks", "messages": "new_messages"}[kind]
    return list(
        EmailPreference.objects.filter(**{flag: True}, user__is_active=True)
        .exclude(user__email="")
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def queue_weekly(task, today=None) -> int:
    """Beat (Sunday): one task per subscribed parent for the week that just ended."""
    today = today or timezone.localdate()
    monday = monday_of(today - timedelta(days=1)) if today.weekday() == 6 else monday_of(today)
    ids = subscribers("weekly")
    for pid in ids:
        task.apply_async(args=[pid, monday.isoformat()])
    return len(ids)


def queue_daily(task, today=None) -> int:
    today = today or timezone.localdate()
    ids = subscribers("daily")
    for pid in ids:
        task.apply_async(args=[pid, today.isoformat()])
    return len(ids)
