"""History pages (docs/DESIGN.md §1, §3 "Corrections"): for the deputy and the director,
the history of a mark, an attendance entry, a lesson and a period mark, from the audit
trail; for the class teacher and the administrator, who opened a pupil's card.

Every object is resolved through journal.access first (out of scope: 404); then the
role decides (a reader of the object who is not deputy or director: 403)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts.models import CardView, User

from .. import access, history
from .. import roles as R
from ..models import Assessment, PeriodMark


def _check_controller(user):
    if not access.reads_whole_school(user):
        raise PermissionDenied


def _page(request, title, subtitle, events, back):
    return render(
        request,
        "journal/history/history.html",
        {"title": title, "subtitle": subtitle, "entries": history.entries(events), "back": back},
    )


def _pupil_of_lesson(user, lesson, pupil_id):
    pupil = access.pupils_readable(user).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404
    return pupil


@login_required
def mark_history(request, assessment, pupil):
    work = get_object_or_404(Assessment.objects.select_related("work_type"), pk=assessment)
    lesson, _w = access.get_lesson_for_user(request.user, work.lesson_id)
    pupil = _pupil_of_lesson(request.user, lesson, pupil)
    _check_controller(request.user)
    school = lesson.assignment.school_class.year.school_id
    subtitle = f"{pupil.full_name} · {lesson.assignment.subject} · {lesson.date:%d.%m.%Y} · {work.work_type}"
    return _page(request, _("История отметки"), subtitle, history.mark_events(school, work.pk, pupil.pk), lesson)


@login_required
def attendance_history(request, lesson, pupil):
    lesson, _w = access.get_lesson_for_user(request.user, lesson)
    pupil = _pupil_of_lesson(request.user, lesson, pupil)
    _check_controller(request.user)
    school = lesson.assignment.school_class.year.school_id
    subtitle = f"{pupil.full_name} · {lesson.assignment.subject} · {lesson.date:%d.%m.%Y}"
    return _page(
        request, _("История посещаемости"), subtitle, history.attendance_events(school, lesson.pk, pupil.pk), lesson
    )


@login_required
def lesson_history(request, pk):
    lesson, _w = access.get_lesson_for_user(request.user, pk)
    _check_controller(request.user)
    school = lesson.assignment.school_class.year.school_id
    subtitle = f"{lesson.assignment} · {lesson.date:%d.%m.%Y}"
    return _page(request, _("История урока"), subtitle, history.lesson_events(school, lesson), lesson)


@login_required
def period_mark_history(request, pk):
    pm = (
        PeriodMark.objects.filter(pk=pk, pupil__in=access.pupils_readable(request.user))
        .select_related("pupil", "subject", "period__year")
        .first()
    )
    if pm is None or pm.period.year.school_id != request.user.school_id:
        raise Http404
    _check_controller(request.user)
    subtitle = f"{pm.pupil.full_name} · {pm.subject} · {pm.period} · {pm.get_kind_display()}"
    return _page(
        request, _("История итоговой отметки"), subtitle, history.period_mark_events(pm.period.year.school_id, pm), None
    )


@login_required
def card_views(request, pk):
    """Who opened the pupil's card: the pupil's class teacher and the administrator."""
    user = request.user
    pupils = User.objects.filter(school_id=user.school_id, enrollments__isnull=False).distinct()
    is_admin = R.ADMIN in R.user_roles(user)
    pupil = (
        (pupils if is_admin else access.pupils_readable(user).filter(school_id=user.school_id)).filter(pk=pk).first()
    )
    if pupil is None:
        raise Http404
    if not access.can_read_card_views(user, pupil):
        raise PermissionDenied
    views = CardView.objects.filter(subject=pupil).select_related("viewer").order_by("-at")[:500]
    return render(request, "journal/history/card_views.html", {"pupil": pupil, "views": views})
