"""Notices about new violations: one portal notification and one e-mail per person per run.

Who hears about a violation:
- the responsible person (the journal's teacher; for absence reasons the class
  teacher), or the school's deputies when nobody is responsible;
- escalation (ESCALATE): locked unfilled lessons → deputy; tests without marks →
  class teacher; period marks overdue → class teacher and deputy; plan hours and
  temporary journals → deputy.
Reminders (Violation.REMINDERS) go to the responsible person before the deadline.

Each violation is announced once (`notified_at`), inside the run's transaction,
so a second run announces nothing. E-mails are sent after the commit; one that
fails stays `emailed_at IS NULL` and is sent by the next run.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import RoleAssignment

from .. import roles as R
from ..models import Notification, Violation
from ..notices import mail_notices
from .describe import DESCRIBE_RELATED, describe, violation_url

log = logging.getLogger(__name__)
K = Violation.Kind

CLASS_TEACHER = R.CLASS_TEACHER
DEPUTY = R.DEPUTY
ESCALATE = {
    K.LESSON_LOCKED: (DEPUTY,),
    K.TEST_MARKS: (CLASS_TEACHER,),
    K.PERIOD_MARKS_OVERDUE: (CLASS_TEACHER, DEPUTY),
    K.PLAN_HOURS: (DEPUTY,),
    K.TEMP_JOURNAL: (DEPUTY,),
}
MAX_LINES = 30  # per section of one message; the rest is on the portal
EMAIL_RETRY_WINDOW = timedelta(days=3)

OWN, REMINDER, ESCALATED = "own", "reminder", "escalated"
SECTION_TITLES = {
    OWN: gettext_lazy("Нарушены сроки заполнения журнала"),
    REMINDER: gettext_lazy("Напоминания о сроках"),
    ESCALATED: gettext_lazy("Для контроля (нарушения в ваших классах и у коллег)"),
}


def _recipients(v: Violation, deputies):
    """(user_id, section) pairs for one violation, without duplicates."""
    own = [v.responsible_id] if v.responsible_id else list(deputies)
    section = REMINDER if v.kind in Violation.REMINDERS else OWN
    out = {uid: section for uid in own}
    for target in ESCALATE.get(v.kind, ()):
        ids = deputies if target == DEPUTY else [v.school_class.class_teacher_id] if v.school_class_id else []
        for uid in ids:
            if uid and uid not in out:
                out[uid] = ESCALATED
    return out.items()


def _body(sections, site):
    lines = []
    for key in (OWN, REMINDER, ESCALATED):
        items = sections.get(key)
        if not items:
            continue
        lines.append(f"{SECTION_TITLES[key]}:")
        for v in items[:MAX_LINES]:
            lines.append(f"• {describe(v)}\n  {site}{violation_url(v)}")
        if len(items) > MAX_LINES:
            rest = len(items) - MAX_LINES
            lines.append(ngettext("…и ещё %(n)d", "…и ещё %(n)d", rest) % {"n": rest})
        lines.append("")
    return "\n".join(lines)


def collect(school, now) -> list[Notification]:
    """Create this run's notifications for the violations nobody has been told about yet."""
    pending = list(
        Violation.objects.filter(school=school, notified_at__isnull=True, resolved_at__isnull=True)
        .select_related(*DESCRIBE_RELATED)
        .order_by("kind", "day", "id")
    )
    if not pending:
        return []
    deputies = list(RoleAssignment.objects.filter(school=school, role=R.DEPUTY).values_list("user_id", flat=True))
    per_user: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for v in pending:
        for uid, section in _recipients(v, deputies):
            per_user[uid][section].append(v)
    site = settings.SITE_URL.rstrip("/")
    notices = []
    for uid, sections in per_user.items():
        count = sum(len(items) for items in sections.values())
        title = ngettext(
            "Электронный журнал: %(n)d напоминание или нарушение срока",
            "Электронный журнал: %(n)d напоминаний и нарушений сроков",
            count,
        ) % {"n": count}
        body = _body(sections, site) + _("Все уведомления: %(url)s") % {"url": site + reverse("journal:notifications")}
        notices.append(Notification(user_id=uid, school=school, title=title, body=body, created_at=now))
    Notification.objects.bulk_create(notices)
    links = [
        Notification.violations.through(notification_id=n.pk, violation_id=v.pk)
        for n, sections in zip(notices, per_user.values(), strict=True)
        for items in sections.values()
        for v in items
    ]
    Notification.violations.through.objects.bulk_create(links, ignore_conflicts=True)
    Violation.objects.filter(pk__in=[v.pk for v in pending]).update(notified_at=now)
    return notices


def send_emails(school, now) -> int:
    """E-mail the school's notifications not yet e-mailed. Returns how many were sent.

    A broken mail server raises (the Celery task retries with backoff); what was
    sent before the failure is marked and not sent twice.
    """
    unsent = list(
        Notification.objects.filter(school=school, emailed_at__isnull=True, created_at__gte=now - EMAIL_RETRY_WINDOW)
        # Only the checks' own notices: those of the records procedures (journal/notices.py) have their own sender.
        .filter(Exists(Notification.violations.through.objects.filter(notification_id=OuterRef("pk"))))
        .exclude(user__email="")
        .select_related("user")
        .order_by("id")
    )
    if not unsent:
        return 0
    sent = []
    try:
        mail_notices(unsent, sent)
    finally:
        if sent:
            Notification.objects.filter(pk__in=sent).update(emailed_at=now)
    return len(sent)
