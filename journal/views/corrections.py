from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, rules
from ..forms import DecisionForm, ReasonsForm, UnlockForm
from ..models import CorrectionChange, CorrectionRequest, PeriodMark, StudyPeriod
from ..printing import pdf_response, render_pdf
from ..services import corrections
from ..services.errors import ServiceError
from .common import staff_required


@staff_required(access.can_read_corrections)
def correction_list(request):
    qs = access.corrections_readable(request.user).select_related("teacher", "school_class", "subject", "decided_by")
    status = request.GET.get("status")
    if status in CorrectionRequest.Status.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "journal/records/corrections.html",
        {"requests": qs[:200], "status": status, "statuses": CorrectionRequest.Status.choices},
    )


@login_required
def correction_lesson_new(request, pk):
    """The teacher's form for a locked lesson: current values, and a field for the new one."""
    lesson, _writable = access.get_lesson_for_user(request.user, pk)
    if lesson.assignment.teacher_id != request.user.pk:
        raise Http404
    school = lesson.assignment.school_class.year.school
    snap = corrections.lesson_snapshot(lesson)
    form = ReasonsForm(request.POST or None)
    typed = request.POST if request.method == "POST" else {}
    rows = []
    for p in snap.pupils:
        att = snap.attendance.get(p.pk)
        cells = []
        for a in snap.assessments:
            m = snap.marks.get((a.pk, p.pk))
            name = f"mark-{a.pk}-{p.pk}"
            cells.append(
                {"name": name, "current": m.value if m else "", "value": typed.get(name, m.value if m else "")}
            )
        att_name = f"att-{p.pk}"
        rows.append(
            {
                "pupil": p,
                "marks": cells,
                "att": {
                    "name": att_name,
                    "current": att.code if att else "",
                    "value": typed.get(att_name, att.code if att else ""),
                },
            }
        )
    locked = rules.is_locked(lesson, school)
    if request.method == "POST" and form.is_valid():
        changes = []
        for row in rows:
            for a, cell in zip(snap.assessments, row["marks"], strict=True):
                if cell["value"].strip().lower() != cell["current"]:
                    changes.append(
                        {
                            "kind": CorrectionChange.Kind.MARK,
                            "pupil_id": row["pupil"].pk,
                            "assessment_id": a.pk,
                            "new_value": cell["value"],
                        }
                    )
            if row["att"]["value"].strip().lower() != row["att"]["current"]:
                changes.append(
                    {
                        "kind": CorrectionChange.Kind.ATTENDANCE,
                        "pupil_id": row["pupil"].pk,
                        "new_value": row["att"]["value"],
                    }
                )
        filed = _file(
            request,
            form,
            corrections.create_lesson_request,
            lesson_id=lesson.pk,
            changes=changes,
            reasons=form.cleaned_data["reasons"],
        )
        if filed:
            return filed
    ctx = {
        "lesson": lesson,
        "snap": snap,
        "rows": rows,
        "form": form,
        "locked": locked,
        "codes": ["", *rules.attendance_codes()],
    }
    return render(request, "journal/records/correction_lesson_new.html", ctx)


@login_required
def correction_period_new(request, pk, period):
    assignment, _writable = access.get_assignment_for_user(request.user, pk)
    if not access.can_set_period_marks(request.user, assignment):
        raise Http404
    period_obj = StudyPeriod.objects.filter(pk=period, year_id=assignment.school_class.year_id).first()
    if period_obj is None:
        raise Http404
    kind = request.POST.get("kind") or request.GET.get("kind") or PeriodMark.Kind.PERIOD
    if kind not in PeriodMark.Kind.values:
        kind = PeriodMark.Kind.PERIOD
    pupils = list(corrections.class_pupils_on(assignment, period_obj.end))
    current = {
        pm.pupil_id: pm.value
        for pm in PeriodMark.objects.filter(subject=assignment.subject, period=period_obj, kind=kind, pupil__in=pupils)
    }
    typed = request.POST if request.method == "POST" else {}
    rows = [
        {
            "pupil": p,
            "name": f"pm-{p.pk}",
            "current": current.get(p.pk, ""),
            "value": typed.get(f"pm-{p.pk}", current.get(p.pk, "")),
        }
        for p in pupils
    ]
    form = ReasonsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        changes = [
            {"pupil_id": r["pupil"].pk, "new_value": r["value"]}
            for r in rows
            if r["value"].strip().lower() != r["current"]
        ]
        filed = _file(
            request,
            form,
            corrections.create_period_request,
            assignment_id=assignment.pk,
            period_id=period_obj.pk,
            kind=kind,
            changes=changes,
            reasons=form.cleaned_data["reasons"],
        )
        if filed:
            return filed
    ctx = {
        "assignment": assignment,
        "period": period_obj,
        "kind": kind,
        "kinds": PeriodMark.Kind.choices,
        "rows": rows,
        "form": form,
        "values": [""] + PeriodMark.Value.values,
    }
    return render(request, "journal/records/correction_period_new.html", ctx)


@login_required
def correction_detail(request, pk):
    req, can_decide = access.get_correction_for_user(request.user, pk)
    changes = req.changes.select_related("pupil", "assessment__work_type")
    return render(
        request,
        "journal/records/correction.html",
        {
            "req": req,
            "changes": changes,
            "can_decide": can_decide and req.status == CorrectionRequest.Status.PENDING,
            "form": DecisionForm(),
        },
    )


def _decide(request, pk, fn):
    req, can_decide = access.get_correction_for_user(request.user, pk)
    if not can_decide:
        raise Http404
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        fn(request.user, request_id=req.pk, comment=form.cleaned_data.get("comment", ""))
    except ServiceError as e:
        messages.error(request, e.message)
    return redirect("journal:correction", pk=req.pk)


@require_POST
@login_required
def correction_approve(request, pk):
    return _decide(request, pk, corrections.approve)


@require_POST
@login_required
def correction_reject(request, pk):
    return _decide(request, pk, corrections.reject)


@login_required
def correction_pdf(request, pk):
    req, _writable = access.get_correction_for_user(request.user, pk)
    changes = req.changes.select_related("pupil", "assessment__work_type")
    pdf = render_pdf("journal/records/correction_pdf.html", {"req": req, "changes": changes}, request)
    return pdf_response(pdf, f"obyasnitelnaya-{req.pk}.pdf")


@login_required
def lesson_unlock(request, pk):
    """The deputy reopens a locked lesson for its teacher for a few hours (audited)."""
    lesson, _writable = access.get_lesson_for_user(request.user, pk)
    if not access.is_deputy(request.user):
        raise Http404
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = corrections.unlock_lesson(request.user, lesson_id=lesson.pk, **form.cleaned_data)
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Урок открыт для исправлений учителем."))
            return redirect("journal:lesson_unlock", pk=lesson.pk)
    school = lesson.assignment.school_class.year.school
    return render(
        request,
        "journal/records/lesson_unlock.html",
        {"lesson": lesson, "form": form, "locked": rules.is_locked(lesson, school)},
    )


def _file(request, form, create, **request_fields):
    """File an explanatory note with `create`: the redirect to it, or None with the refusal in the form."""
    try:
        req = create(request.user, **request_fields)
    except ServiceError as e:
        form.add_error(None, e.message)
        return None
    messages.success(request, _("Объяснительная № %(number)s подана заместителю директора.") % {"number": req.pk})
    return redirect("journal:correction", pk=req.pk)
