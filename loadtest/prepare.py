"""The people of the evening peak, signed in: who reads or writes what (loadtest/peak.py).

Sessions are made directly (as a signed-in browser has them) rather than through the
login form, which hashes with Argon2 on purpose: the peak is about reading diaries and
saving marks, not about logging in. Runs with the district demo's database.
"""

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import roles as R
from accounts.models import User


def _cookies(user) -> dict:
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def _families(limit: int) -> list:
    from accounts.models import Guardianship

    out = []
    links = Guardianship.objects.select_related("parent", "child").order_by("parent_id", "child_id")
    seen = set()
    for link in links:
        if link.parent_id in seen:
            continue
        seen.add(link.parent_id)
        child = link.child.pk
        out.append(
            {
                "cookies": _cookies(link.parent),
                "week": reverse("diary:week", kwargs={"pupil_id": child}),
                "marks": reverse("diary:marks", kwargs={"pupil_id": child}),
            }
        )
        if len(out) >= limit:
            break
    return out


def _started(lesson) -> bool:
    return timezone.make_aware(datetime.combine(lesson.date, lesson.bell.starts)) <= timezone.now()


def _teachers(limit: int) -> list:
    """Each teacher with a graded work in a lesson of the last days she may still change:
    her grade page, that lesson's page, and the cells of its pupils to save marks in."""
    from journal import rules
    from journal.access import journal_periods
    from journal.models import Assessment, Enrollment, Mark

    today = timezone.localdate()
    works = (
        Assessment.objects.filter(
            lesson__date__range=(today - timedelta(days=4), today),
            lesson__assignment__school_class__grade__gt=1,
            lesson__assignment__group__isnull=True,
        )
        .exclude(Q(lesson__status="cancelled"))
        .select_related("lesson__assignment__teacher", "lesson__assignment__school_class__year__school", "lesson__bell")
        .order_by("-lesson__date", "pk")
    )
    out, seen = [], set()
    for work in works.iterator():
        lesson = work.lesson
        a = lesson.assignment
        if a.teacher_id in seen or not _started(lesson) or rules.is_locked(lesson, a.school_class.year.school):
            continue
        period = next(
            (p for p in journal_periods(a) if p.start <= lesson.date <= p.end and p.scheme != "year"),
            None,
        )
        if period is None:
            continue
        seen.add(a.teacher_id)
        pupils = list(
            Enrollment.objects.on(lesson.date).filter(school_class=a.school_class).values_list("pupil_id", flat=True)
        )
        versions = dict(Mark.objects.filter(assessment=work).values_list("pupil_id", "version"))
        out.append(
            {
                "cookies": _cookies(a.teacher),
                "grid": reverse("journal:grid_period", kwargs={"pk": a.pk, "period": period.pk}),
                "lesson": reverse("journal:lesson", kwargs={"pk": lesson.pk}),
                "cell": reverse("journal:cell", kwargs={"pk": lesson.pk}),
                "work": work.pk,
                "period": period.pk,
                "versions": {str(p): versions.get(p, 0) for p in pupils},
            }
        )
        if len(out) >= limit:
            break
    return out


def _deputies() -> list:
    from journal.models import SchoolClass

    out = []
    for user in User.objects.filter(roles__role=R.DEPUTY).distinct().order_by("pk"):
        klass = SchoolClass.objects.filter(year__school_id=user.school_id, grade__gt=1).order_by("grade", "pk").first()
        out.append(
            {
                "cookies": _cookies(user),
                "pages": [
                    reverse("reports:index"),
                    reverse("journal:control"),
                    reverse("reports:class_report", kwargs={"pk": klass.pk, "kind": "summary_marks"}),
                ],
            }
        )
    return out


def write(path, *, families: int, teachers: int) -> dict:
    people = {"families": _families(families), "teachers": _teachers(teachers), "deputies": _deputies()}
    path.write_text(json.dumps(people))
    return {k: len(v) for k, v in people.items()}
