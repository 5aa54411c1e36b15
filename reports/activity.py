"""The monthly activity report: built once per school and month, then announced by e-mail."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

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
        RoleAssignment.objects.filter(
            school_id=obj.school_id, role__in=[RoleAssignment.Role.DEPUTY, RoleAssignment.Role.DIRECTOR]
        )
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
            f"Отчёт об активности пользователей за {month}",
            f"Сформирован отчёт об активности пользователей электронного журнала за {month}.\n"
            f"Школа: {obj.school.full_name}\nОтчёт в портале: {link}\n",
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
    except Exception:  # noqa: BLE001 — the report stays in the portal when mail is down
        log.warning("could not e-mail the activity report %s", obj.pk, exc_info=True)


def build_monthly_activity(today: date | None = None) -> list:
    """Beat, on the 1st at 06:00: the past month's report for every school."""
    today = today or timezone.localdate()
    month = previous_month(today)
    created = []
    for school in School.objects.order_by("pk"):
        obj, new = build_for_school(school, month)
        if new:
            created.append(obj)
    return created
