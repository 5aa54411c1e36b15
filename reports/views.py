"""Thin views: access helper → builder → one renderer per format."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ejournal.downloads import file_response
from ejournal.params import id_or_404
from journal.access import years_of

from . import access, jobs, registry
from .builders.activity import activity_report
from .params import NO_PERIODS, parse
from .render.html import render_body


def _file_response(report, fmt):
    if fmt == "pdf":
        from .render.pdf import render_pdf

        content = render_pdf(report)
    else:
        from .render.xlsx import render_xlsx

        content = render_xlsx(report)
    return file_response(content, f"{report.filename}.{fmt}")


def _respond(request, kind, obj, params, choices, errors, *, fmt, ctx):
    if kind.long:
        if fmt != "html":
            raise Http404  # big documents are built by a job, never inside a request
        ctx["jobs"] = access.jobs_readable(request.user).filter(kind=kind.code, params__object=obj.pk)[:10]
        report = None
    else:
        report = kind.build(obj, params) if not any(e.code == NO_PERIODS for e in errors) else None
        if fmt != "html":
            if report is None or (fmt == "xlsx" and not kind.table):
                raise Http404
            return _file_response(report, fmt)
    for e in errors:
        messages.error(request, e.message)
    query = request.GET.urlencode()
    ctx.update(
        {
            "kind": kind,
            "obj": obj,
            "params": params,
            "choices": choices,
            "report": report,
            "body": render_body(report) if report else "",
            "query": f"?{query}" if query else "",
            "is_staff": access.is_school_staff(request.user),
        }
    )
    return render(request, "reports/report.html", ctx)


@login_required
def index(request):
    access.check_index(request.user)
    user = request.user
    year = access.report_year(request)  # a past year stays readable (docs/DESIGN.md §4.6)
    staff = access.is_school_staff(user)
    ctx = {
        "year": year,
        "years": years_of(user),
        "staff": staff,
        "own_classes": access.own_classes(user, year),
        "own_assignments": access.own_assignments(user, year),
        "class_kinds": [k for k in registry.kinds_for(registry.CLASS) if registry.R.CLASS_TEACHER in k.roles],
        "staff_class_kinds": registry.kinds_for(registry.CLASS),
        "assignment_kinds": registry.kinds_for(registry.ASSIGNMENT),
        "school_kinds": registry.kinds_for(registry.SCHOOL),
        "school_classes": year.classes.select_related("class_teacher").order_by("grade", "letter")
        if staff and year
        else [],
        "recent_jobs": access.jobs_readable(user).select_related("created_by")[:10],
    }
    return render(request, "reports/index.html", ctx)


@login_required
def class_report(request, pk, kind, fmt="html"):
    kind, klass = access.get_class_report(request.user, pk, kind)
    params, choices, errors = parse(kind, request.GET, year=klass.year, scheme=klass.period_scheme)
    ctx = {
        "scope_label": str(klass),
        "base_url": reverse("reports:class_report", args=[klass.pk, kind.code]),
        "back_year": klass.year_id,
    }
    return _respond(request, kind, klass, params, choices, errors, fmt=fmt, ctx=ctx)


@login_required
def assignment_report(request, pk, kind, fmt="html"):
    kind, a = access.get_assignment_report(request.user, pk, kind)
    klass = a.school_class
    params, choices, errors = parse(kind, request.GET, year=klass.year, scheme=klass.period_scheme)
    ctx = {
        "scope_label": f"{a.group or klass} · {a.subject}",
        "base_url": reverse("reports:assignment_report", args=[a.pk, kind.code]),
        "back_year": klass.year_id,
    }
    return _respond(request, kind, a, params, choices, errors, fmt=fmt, ctx=ctx)


@login_required
def school_report(request, kind, fmt="html"):
    kind, year = access.get_school_report(request.user, kind, access.report_year(request))
    params, choices, errors = parse(kind, request.GET, year=year, scheme="quarter")
    ctx = {
        "scope_label": f"{year.school.name} · {year.name}",
        "base_url": reverse("reports:school_report", args=[kind.code]),
        "year_param": year.pk,
        "back_year": year.pk,
    }
    return _respond(request, kind, year, params, choices, errors, fmt=fmt, ctx=ctx)


@login_required
@require_POST
def job_create(request):
    user = request.user
    code = request.POST.get("kind", "")
    kind = registry.KINDS.get(code)
    if kind is None or not kind.long:
        raise Http404
    if kind.scope == registry.CLASS:
        pk = id_or_404(request.POST.get("object"))
        kind, obj = access.get_class_report(user, pk, code)
        scheme = obj.period_scheme
        year = obj.year
        title = f"{kind.title}, {obj}"
    else:
        kind, obj = access.get_school_report(user, code, access.report_year(request))
        scheme, year = "quarter", obj
        title = f"{kind.title}, {obj.name}"
    params, _choices, errors = parse(kind, request.POST, year=year, scheme=scheme)
    job_params = {"object": obj.pk}
    if "period" in params and params["period"] is not None:
        job_params["period"] = params["period"].pk
        title += f", {params['period']}"
    archival = access.is_school_staff(user) and request.POST.get("archival") == "1"
    job = jobs.start_job(user, kind.code, job_params, title=title, archival=archival)
    for e in errors:
        messages.error(request, e.message)
    return redirect("reports:job_detail", pk=job.pk)


@login_required
def job_detail(request, pk):
    job = access.get_job_for_user(request.user, pk)
    return render(request, "reports/job.html", {"job": job})


@login_required
def job_status(request, pk):
    job = access.get_job_for_user(request.user, pk)
    resp = render(request, "reports/_job_status.html", {"job": job})
    if job.status not in ("queued", "running"):
        resp["HX-Trigger"] = "report-job-finished"
    return resp


@login_required
def job_file(request, pk):
    job = access.get_job_for_user(request.user, pk)
    if job.status != "done" or not job.file:
        raise Http404
    return file_response(job.file.open("rb"), job.file.name.rsplit("/", 1)[-1])


@login_required
def activity_list(request):
    qs = access.activity_readable(request.user)
    return render(request, "reports/activity_list.html", {"items": qs, "today": timezone.localdate()})


@login_required
def activity_detail(request, pk, fmt="html"):
    obj = access.get_activity_for_user(request.user, pk)
    report = activity_report(obj)
    if fmt != "html":
        return _file_response(report, fmt)
    return render(
        request,
        "reports/activity_detail.html",
        {"obj": obj, "report": report, "body": render_body(report)},
    )
