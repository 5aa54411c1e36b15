"""The journal grid page (the register, journal/register.py) and the single-cell saves
it and the lesson page send.

A cell save that names the grid's period (`g`) is answered with the register's cell and
the row's figures out of band; without it, with the lesson page's sub-column cell.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal import params

from .. import access, services
from ..grid import attendance_cell, conflict_cell, error_cell, mark_cell, period_mark_cell
from ..models import Mark, PeriodMark, StudyPeriod, Subject
from ..register import Register, legend_html, saved_cell
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
    # A closed year's journal opens read-only (docs/DESIGN.md §3.25; PostgreSQL refuses its writes too).
    year_open = access.year_open(assignment.school_class.year)
    g = Register(
        assignment,
        period,
        periods,
        can_write=can_write and year_open,
        can_set_period_marks=year_open and access.can_set_period_marks(request.user, assignment),
    )
    return render(
        request,
        "journal/grid.html",
        {
            "g": g,
            "assignment": assignment,
            "period": period,
            "year_closed": not year_open,
            "legend": legend_html(g.legend),
            "idle_timeout": settings.SESSION_IDLE_TIMEOUT,
            "grid_strings": grid_strings(assignment.subject),
            "resumed_url": reverse("accounts:session_resumed"),
        },
    )


def grid_strings(subject):
    """What static/js/register.js says, translated."""
    return {
        "saved": _("Сохранено."),
        "saved_late": _("Сохранено (внесено с опозданием)."),
        "unsaved": _("не сохранено"),
        "queued": _("Не сохранено: сеанс завершён. Введённое ждёт на странице и отправится после входа."),
        "offline": _("Не сохранено: нет связи с сервером. Повторим отправку через несколько секунд."),
        "bad_answer": _("Не сохранено: сервер ответил не клеткой журнала. Повторим отправку."),
        "ro": _("Эту клетку вы можете только просматривать."),
        "off": _("Ученик не числится в классе на дату урока."),
        "codes": _("Посещаемость: н, б, уп, нп, оп."),
        "palette": _("Отметка: %(who)s, %(day)s"),
        "clear": _("Очистить"),
        "close": _("Закрыть"),
        "no_works": _("работ пока нет"),
        "lesson_link": _("Открыть урок"),
        "topic": _("Тема"),
        "no_topic": _("тема не указана"),
        "work": _("Работа"),
        "pass_fail": subject.assessment == Subject.Assessment.PASS_FAIL,
        "pass": Mark.Value.PASS.value,
        "fail": Mark.Value.FAIL.value,
    }


def _cell_response(html, status=200):
    return HttpResponse(html, status=status)


def _register_period(request, lesson):
    """The grid's period (`g`) when the register sent the save; None from the lesson page.

    Only its id: the row's figures are read for it in the cell's own query, confined to
    the lesson's journal and year (journal/register.py saved_cell)."""
    return params.parse_id(request.POST.get("g"))


def _register_answer(lesson, pupil_id, period, status=200, **kw):
    return _cell_response(saved_cell(lesson, pupil_id, period, **kw), status)


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
    period = _register_period(request, lesson)
    if kind not in ("a", "m") or pupil_id is None or version is None:
        return _cell_response(error_cell(_("Неверный запрос: обновите страницу."), code="bad_request", text=typed), 422)
    try:
        saved = _save(request, lesson, kind, pupil_id, version, typed, reason, slot)
    except services.Conflict as c:
        if period is not None:
            return _register_answer(lesson, pupil_id, period, 409, state="conflict", message=c.message, code="conflict")
        return _cell_response(
            conflict_cell(theirs=c.current_value, version=c.current_version, mine=typed, message=c.message), 409
        )
    except services.ServiceError as e:
        status = 403 if isinstance(e, services.NotAllowed) else 422
        if period is not None:
            return _register_answer(lesson, pupil_id, period, status, state="err", message=e.message, code=e.code)
        return _cell_response(error_cell(e.message, code=e.code, text=typed, version=version), status)
    if period is not None:
        late = getattr(saved, "is_late", False)
        return _register_answer(lesson, pupil_id, period, state="saved late-save" if late else "saved")
    return _cell_response(_legacy_cell(kind, saved))


def _save(request, lesson, kind, pupil_id, version, typed, reason, slot):
    """The service call of a cell save: the saved record, or (kind, None) when cleared."""
    if kind == "a":
        if typed:
            return services.set_attendance(
                request.user,
                lesson_id=lesson.pk,
                pupil_id=pupil_id,
                code=parse_attendance(typed),
                expected_version=version,
                reason=reason,
            )
        services.clear_attendance(
            request.user, lesson_id=lesson.pk, pupil_id=pupil_id, expected_version=version, reason=reason
        )
        return None
    if typed and lesson.assignment.subject.assessment == Subject.Assessment.PASS_FAIL:
        typed = PASS_FAIL_KEYS.get(typed, typed)
    if typed:
        return services.set_lesson_mark(
            request.user,
            lesson=lesson,
            lesson_id=lesson.pk,
            pupil_id=pupil_id,
            value=typed,
            assessment_id=slot,
            expected_version=version,
            reason=reason,
        )
    if slot:
        if not lesson.assessments.filter(pk=slot).exists():
            raise Http404
        services.clear_mark(
            request.user, assessment_id=slot, pupil_id=pupil_id, expected_version=version, reason=reason
        )
    return None


def _legacy_cell(kind, saved):
    """The lesson page's sub-column cell (journal/grid.py)."""
    if kind == "a":
        if saved is None:
            return attendance_cell(state="saved")
        return attendance_cell(saved.code, saved.version, saved.is_late, "saved")
    if saved is None:
        return mark_cell(state="saved")
    return mark_cell(saved.value, saved.version, saved.is_late, "saved", slot=saved.assessment_id)


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
