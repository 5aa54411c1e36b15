"""Deadline control pages: the deputy's control page, the class teacher's page, a violation."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from ejournal import params

from .. import access
from ..control import report as control
from ..control.describe import describe, lesson_url
from ..models import StudyPeriod


def _described(violations):
    return [
        {"v": v, "text": describe(v), "lesson_url": lesson_url(v.lesson_id) if v.lesson_id else None}
        for v in violations
    ]


def _range(request, school, today):
    """The period chosen with ?period=<id> (of the current year), else the current one."""
    start, end, period = control.control_range(school, today)
    year = access.current_year(school, today)
    periods = list(StudyPeriod.objects.filter(year=year).order_by("start", "scheme")) if year else []
    wanted = params.parse_id(request.GET.get("period"))
    chosen = next((p for p in periods if p.pk == wanted), None)
    if chosen is not None:
        start, end, period = chosen.start, chosen.end, chosen
    return start, end, period, periods


@login_required
def violation(request, pk):
    v, _writable = access.get_violation_for_user(request.user, pk)
    item = _described([v])[0]
    return render(request, "journal/control/violation.html", {"item": item, "v": v})


@login_required
def school_control(request):
    """The deputy's page: the school's journals per teacher and per class, and open violations."""
    if not access.control_allowed(request.user):
        raise PermissionDenied
    school = request.user.school
    now = timezone.now()
    start, end, period, periods = _range(request, school, timezone.localdate(now))
    stats = control.journal_stats(school, start, end, now)
    ctx = {
        "start": start,
        "end": end,
        "period": period,
        "periods": periods,
        "teachers": control.by_teacher(stats),
        "classes": control.by_class(stats),
        "violations": _described(control.open_violations(school, limit=200)),
    }
    return render(request, "journal/control/school.html", ctx)


@login_required
def class_control(request, pk):
    """The class teacher's page: the class's journals, open items and risk group."""
    klass, _writable = access.get_class_control_for_user(request.user, pk)
    school = klass.year.school
    now = timezone.now()
    start, end, period, periods = _range(request, school, timezone.localdate(now))
    ctx = {
        "klass": klass,
        "start": start,
        "end": end,
        "period": period,
        "periods": periods,
        "journals": control.journal_stats(school, start, end, now, school_class=klass),
        "violations": _described(control.open_violations(school, school_class=klass, limit=200)),
        "risk": control.risk_group(klass, start, end, now),
        "thresholds": {
            "average": control.RISK_LOW_AVERAGE,
            "absences": int(control.RISK_ABSENCE_SHARE * 100),
            "min_marks": school.min_marks,
        },
    }
    return render(request, "journal/control/class.html", ctx)
