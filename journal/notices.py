"""Notices of the records procedures (issue 14): a new объяснительная tells the school's
deputies, who decide it (docs/DESIGN.md §3.10); a substitution tells the substitute
which lessons she gives (docs/DESIGN.md §3.17).

Each notice is a portal Notification (the menu's «Уведомления», like the deadline
checks' notices, journal/control/notify.py), written in the transaction of the change
it announces, so a change and its notice commit or roll back together. The e-mail goes
after the commit through a Celery task (`journal.send_notices`); each notice is claimed
(`emailed_at`) before it is sent, so two senders never send it twice, and a notice whose
sending failed is released for the retry.
"""

import logging

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import RoleAssignment
from ejournal.queue import enqueue

from .models import Bell, Notification

log = logging.getLogger(__name__)


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _journal_name(assignment) -> str:
    where = assignment.group if assignment.group_id else assignment.school_class
    return f"{where} · {assignment.subject}"


def _queue_emails(notices):
    from .tasks import send_notices

    ids = [n.pk for n in notices]
    if ids:
        enqueue(send_notices, ids)


def correction_filed(req, now=None) -> list[Notification]:
    """Tell every deputy of the school about a new correction request (inside its transaction)."""
    now = now or timezone.now()
    deputies = RoleAssignment.objects.filter(school_id=req.school_id, role=RoleAssignment.Role.DEPUTY).values_list(
        "user_id", flat=True
    )
    what = req.lesson.date.strftime("%d.%m.%Y") if req.lesson_id else str(req.period)
    title = _("Новая объяснительная № %(n)d: %(teacher)s, %(klass)s, %(subject)s") % {
        "n": req.pk,
        "teacher": req.teacher.short_name,
        "klass": req.school_class,
        "subject": req.subject,
    }
    body = "\n".join(
        [
            _("Учитель: %(name)s") % {"name": req.teacher.full_name},
            _("Журнал: %(journal)s") % {"journal": _journal_name(req.assignment)},
            _("Что исправить: %(target)s, %(what)s") % {"target": req.get_target_display(), "what": what},
            _("Причины: %(reasons)s") % {"reasons": req.reasons},
            "",
            _("Рассмотреть: %(url)s") % {"url": _site() + reverse("journal:correction", args=[req.pk])},
        ]
    )
    notices = Notification.objects.bulk_create(
        [Notification(user_id=uid, school_id=req.school_id, title=title, body=body, created_at=now) for uid in deputies]
    )
    _queue_emails(notices)
    return notices


def substitution_assigned(subs, assignment, now=None) -> Notification | None:
    """Tell the substitute which lessons of `assignment` she now gives (one notice for the batch)."""
    if not subs:
        return None
    now = now or timezone.now()
    first = subs[0]
    substitute, school = first.substitute, assignment.school_class.year.school
    bells = Bell.objects.in_bulk({sub.lesson.bell_id for sub in subs})
    title = ngettext(
        "Вам назначена замена: %(journal)s, %(n)d урок",
        "Вам назначена замена: %(journal)s, %(n)d уроков",
        len(subs),
    ) % {"journal": _journal_name(assignment), "n": len(subs)}
    lines = [
        _("Вместо: %(name)s") % {"name": assignment.teacher.full_name},
        _("Причина: %(reason)s") % {"reason": first.reason},
        "",
    ]
    for sub in subs:
        lesson = sub.lesson
        lines.append(
            _("• %(day)s, %(n)d урок: %(url)s")
            % {
                "day": lesson.date.strftime("%d.%m.%Y"),
                "n": bells[lesson.bell_id].number,
                "url": _site() + reverse("journal:lesson", args=[lesson.pk]),
            }
        )
    lines += ["", _("Все ваши журналы и замены: %(url)s") % {"url": _site() + reverse("journal:my_journals")}]
    notice = Notification.objects.create(
        user=substitute, school=school, title=title, body="\n".join(lines), created_at=now
    )
    _queue_emails([notice])
    return notice


def send(ids, now=None) -> int:
    """E-mail the notices `ids` not yet e-mailed (recipients with an address). Returns how many were sent.

    A broken mail server raises (the task retries); the notices not sent are released.
    """
    now = now or timezone.now()
    # Claim them first (committed before sending): a second sender skips what is claimed.
    with transaction.atomic():
        pks = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, emailed_at__isnull=True)
            .exclude(user__email="")
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=pks).update(emailed_at=now)
    if not pks:
        return 0
    notices = list(Notification.objects.filter(pk__in=pks).select_related("user").order_by("id"))
    sent = []
    try:
        mail_notices(notices, sent)
    finally:
        unsent = [n.pk for n in notices if n.pk not in sent]
        if unsent:
            Notification.objects.filter(pk__in=unsent).update(emailed_at=None)
    return len(sent)


def mail_notices(notices, sent: list) -> None:
    """E-mail each notice over one connection, appending its pk to `sent` once it is sent,
    so a caller whose mail server breaks halfway knows which ones went."""
    with mail.get_connection() as conn:
        for n in notices:
            greeting = _("Здравствуйте, %(name)s!") % {
                "name": " ".join(p for p in (n.user.first_name, n.user.patronymic) if p)
            }
            mail.EmailMessage(
                subject=n.title, body=f"{greeting}\n\n{n.body}\n", to=[n.user.email], connection=conn
            ).send()
            sent.append(n.pk)
