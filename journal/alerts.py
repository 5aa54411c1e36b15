"""Alerts about the records themselves (backups, drills, the audit trail, the archive):
a portal notification and an e-mail to the school's administrators and director.

docs/DESIGN.md §3 "Retention and archive": a missed backup, a failed restore drill, a
damaged audit chain or archive item is never silent. The notification rows commit with
the caller's transaction; e-mails go after the commit, and one that cannot be sent is
logged (the portal notification stays).
"""

import logging

from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleAssignment, School

from .models import Notification

log = logging.getLogger(__name__)
HEADS = (RoleAssignment.Role.ADMIN, RoleAssignment.Role.DIRECTOR)


def recipients(school) -> list:
    return list(
        RoleAssignment.objects.filter(school=school, role__in=HEADS, user__is_active=True)
        .order_by("user_id")
        .distinct("user_id")
        .values_list("user", flat=True)
    )


def notify_heads(school, title: str, body: str) -> list[Notification]:
    """Tell the school's administrators and director. Returns the notifications."""
    now = timezone.now()
    users = recipients(school)
    notices = Notification.objects.bulk_create(
        [Notification(user_id=uid, school=school, title=title[:200], body=body, created_at=now) for uid in users]
    )
    ids = [n.pk for n in notices]
    transaction.on_commit(lambda: _email(ids))
    return notices


def notify_all_schools(title: str, body: str) -> list[Notification]:
    """For what concerns the whole deployment (a backup, a restore drill)."""
    out = []
    for school in School.objects.order_by("pk"):
        out += notify_heads(school, title, body)
    return out


def _email(ids):
    sent = []
    try:
        with mail.get_connection() as conn:
            for n in Notification.objects.filter(pk__in=ids).exclude(user__email="").select_related("user"):
                mail.EmailMessage(subject=n.title, body=n.body, to=[n.user.email], connection=conn).send()
                sent.append(n.pk)
    except Exception:  # noqa: BLE001 — the portal notification is there; the mail server is not
        log.exception("alert e-mails not sent")
    finally:
        if sent:
            Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
