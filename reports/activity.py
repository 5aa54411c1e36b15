"""The monthly activity report: built once per school and month, then announced by e-mail."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles as R
from accounts.models import RoleAssignment, School

from .builders.activity import compute
from .models import MonthlyActivity

log = logging.getLogger(__name__)


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def build_for_school(school, month: date):
    """(report, created). Concurrent or repeated runs build it once: advisory lock + unique constraint."""
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7306, school.pk])
        existing = MonthlyActivity.objects.filter(school=school, month=month).first()
        if existing:
            return existing, False
        obj, created = MonthlyActivity.objects.get_or_create(
            school=school, month=month, defaults={"data": compute(school, month)}
        )
        if created:
            transaction.on_commit(lambda: notify(obj))
        return obj, created


def notify(obj):
    """E-mail the school's deputies and director that the report is in the portal."""
    recipients = list(
        RoleAssignment.objects.filter(school_id=obj.school_id, role__in=R.WHOLE_SCHOOL_READERS)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("reports:activity_detail", args=[obj.pk])
    month = f"{obj.month:%m.%Y}"
    try:
        send_mail(
            _("Отчёт об активности пользователей за %(month)s") % {"month": month},
            _(
                "Сформирован отчёт об активности пользователей электронного журнала за %(month)s.\n"
                "Школа: %(school)s\nОтчёт в портале: %(link)s\n"
            )
            % {"month": month, "school": obj.school.full_name, "link": link},
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
    except Exception:  # noqa: BLE001 — the report stays in the portal when mail is down
        log.warning("could not e-mail the activity report %s", obj.pk, exc_info=True)


# A run that was missed (beat or worker down on the 1st) is made up by a later run for
# up to this many past months.
CATCH_UP_MONTHS = 3


def months_due(school, today: date) -> list[date]:
    """The months a run on `today` builds for `school`, oldest first.

    Always the past month. Of the months before it (within CATCH_UP_MONTHS), those
    after the school's first report: a school that had reports and missed some gets
    them, a school new to the portal starts with the past month only.
    """
    window = [previous_month(today)]
    while len(window) < CATCH_UP_MONTHS:
        window.append(previous_month(window[-1]))
    first = MonthlyActivity.objects.filter(school=school).order_by("month").values_list("month", flat=True).first()
    due = [window[0]] + [m for m in window[1:] if first is not None and m > first]
    have = set(MonthlyActivity.objects.filter(school=school, month__in=due).values_list("month", flat=True))
    return sorted(m for m in due if m not in have)


def build_monthly_activity(today: date | None = None) -> list:
    """Beat, on the 1st at 06:00 and daily to catch up: every school's missing past months.

    Idempotent: a month already built is never built or announced again.
    """
    today = today or timezone.localdate()
    created = []
    for school in School.objects.order_by("pk"):
        for month in months_due(school, today):
            obj, new = build_for_school(school, month)
            if new:
                created.append(obj)
    return created
