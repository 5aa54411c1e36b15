"""The journal grid page and the single-cell saves it sends (htmx)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal import params

from .. import access, services
from ..grid import Grid, attendance_cell, conflict_cell, error_cell, mark_cell, period_mark_cell, slot_headers
from ..models import Mark, PeriodMark, StudyPeriod, Subject
from ..rules import parse_attendance

# The grid's keys for a pass/fail subject: letters in a mark cell already mean attendance.
PASS_FAIL_KEYS = {"+": Mark.Value.PASS.value, "-": Mark.Value.FAIL.value}


def _current_period(assignment, periods):
    today = timezone.localdate()
    own = [p for p in periods if p.scheme != StudyPeriod.Scheme.YEAR] or list(periods)
    if not own:
        raise Http404
    for p in own:
        if p.covers(today):
            return p
    past = [p for p in own if p.end < today]
    return past[-1] if past else own[0]


@login_required
def grid(request, pk, period=None):
    assignment, can_write = access.get_assignment_for_user(request.user, pk)
    periods = list(access.journal_periods(assignment))
    if period is None:
        return redirect("journal:grid_period", pk=assignment.pk, period=_current_period(assignment, periods).pk)
    period = access.get_period_for_user(request.user, assignment, period, periods)
    school = assignment.school_class.year.school
    if request.user.school_id == school.pk:
        request.user.school = school  # already loaded with the assignment: spares the header a query
    g = Grid(
        assignment,
        period,
        periods,
        can_write=can_write,
        can_set_period_marks=access.can_set_period_marks(request.user, assignment),
    )
    return render(
        request,
        "journal/grid.html",
        {"g": g, "assignment": assignment, "period": period, "slot_headers": slot_headers(g.slots)},
    )


def _cell_response(html, status=200):
    return HttpResponse(html, status=status)


@login_required
@require_POST
def cell(request, pk):
    """Save one cell of a lesson (attendance or a mark) and answer with the cell's new HTML."""
    lesson, _can_write = access.get_lesson_for_user(request.user, pk)
    kind = request.POST.get("k")
    pupil_id = params.parse_id(request.POST.get("p"))
    version = params.parse_int(request.POST.get("v"), min_value=0)
    typed = (request.POST.get("value") or "").strip()
    reason = request.POST.get("reason", "")  # checked by the service (docs/DESIGN.md §3.24)
    slot = params.parse_id(request.POST.get("s"))
    if kind not in ("a", "m") or pupil_id is None or version is None:
        return _cell_response(error_cell(_("Неверный запрос: обновите страницу."), code="bad_request", text=typed), 422)
    try:
        if kind == "a":
            if typed:
                att = services.set_attendance(
                    request.user,
                    lesson_id=lesson.pk,
                    pupil_id=pupil_id,
                    code=parse_attendance(typed),
                    expected_version=version,
                    reason=reason,
                )
                return _cell_response(attendance_cell(att.code, att.version, att.is_late, "saved"))
            services.clear_attendance(
                request.user, lesson_id=lesson.pk, pupil_id=pupil_id, expected_version=version, reason=reason
            )
            return _cell_response(attendance_cell(state="saved"))
        if typed and lesson.assignment.subject.assessment == Subject.Assessment.PASS_FAIL:
            typed = PASS_FAIL_KEYS.get(typed, typed)
        if typed:
            mark = services.set_lesson_mark(
                request.user,
                lesson_id=lesson.pk,
                pupil_id=pupil_id,
                value=typed,
                assessment_id=slot,
                expected_version=version,
                reason=reason,
            )
            return _cell_response(mark_cell(mark.value, mark.version, mark.is_late, "saved", slot=mark.assessment_id))
        if slot:
            if not lesson.assessments.filter(pk=slot).exists():
                raise Http404
            services.clear_mark(
                request.user, assessment_id=slot, pupil_id=pupil_id, expected_version=version, reason=reason
            )
        return _cell_response(mark_cell(state="saved"))
    except services.Conflict as c:
        return _cell_response(
            conflict_cell(theirs=c.current_value, version=c.current_version, mine=typed, message=c.message), 409
        )
    except services.NotAllowed as e:
        return _cell_response(error_cell(e.message, code=e.code, text=typed, version=version), 403)
    except services.ServiceError as e:
        return _cell_response(error_cell(e.message, code=e.code, text=typed, version=version), 422)


@login_required
@require_POST
def period_mark(request, pk, period):
    """Save one period (year, exam, final) mark cell."""
    assignment, _can_write = access.get_assignment_for_user(request.user, pk)
    period = access.get_period_for_user(request.user, assignment, period)
    pupil_id = params.parse_id(request.POST.get("p"))
    version = params.parse_int(request.POST.get("v"), min_value=0)
    kind = request.POST.get("kind") or PeriodMark.Kind.PERIOD
    typed = (request.POST.get("value") or "").strip()
    if pupil_id is None or version is None:
        return _cell_response(error_cell(_("Неверный запрос: обновите страницу."), code="bad_request", text=typed), 422)
    args = {"assignment_id": assignment.pk, "pupil_id": pupil_id, "period_id": period.pk, "kind": kind}
    try:
        if typed:
            pm = services.set_period_mark(request.user, value=typed, expected_version=version, **args)
            return _cell_response(period_mark_cell(pm.value, pm.version, "saved"))
        services.clear_period_mark(request.user, expected_version=version, **args)
        return _cell_response(period_mark_cell(state="saved"))
    except services.Conflict as c:
        return _cell_response(
            conflict_cell(theirs=c.current_value, version=c.current_version, mine=typed, message=c.message), 409
        )
    except services.NotAllowed as e:
        return _cell_response(error_cell(e.message, code=e.code, text=typed, version=version), 403)
    except services.ServiceError as e:
        return _cell_response(error_cell(e.message, code=e.code, text=typed, version=version), 422)
