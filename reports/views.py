"""Thin views: access helper → builder → one renderer per format."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ejournal.downloads import file_response, in_print_language
from ejournal.params import id_or_404
from journal.access import years_of

from . import access, jobs, registry
from . import form as F
from .builders.activity import activity_report
from .context_processors import WATCH
from .naming import document_name
from .params import NO_PERIODS, parse, unfinished
from .render.html import render_body


def _render_file(report, fmt) -> bytes:
    if fmt == "pdf":
        from .render.pdf import render_pdf

        return render_pdf(report)
    from .render.xlsx import render_xlsx

    return render_xlsx(report)


def _download(request, report, fmt, filename):
    """The file, saved by the browser under its Latin name, and noted in the session's
    recent downloads (the reports page lists them)."""
    content = _render_file(report, fmt)
    F.record_download(request, f"{report.title} ({fmt.upper()})", request.get_full_path(), filename)
    return file_response(content, filename)


def _build(kind, obj, params, errors):
    if any(e.code == NO_PERIODS for e in errors):
        return None
    return jobs.stamp(kind.build(obj, params), unfinished(params))


def _respond(request, kind, obj, params, choices, errors, *, fmt, ctx):
    if kind.long:
        if fmt != "html":
            raise Http404  # big documents are built by a job, never inside a request
        ctx["jobs"] = access.jobs_readable(request.user).filter(kind=kind.code, params__object=obj.pk)[:10]
        ctx["job_format"] = request.GET.get("format") if request.GET.get("format") in ("pdf", "xlsx") else "pdf"
        report = None
    elif fmt != "html":
        if fmt == "xlsx" and not kind.table:
            raise Http404
        # Printed documents are in Russian whatever the browser says (docs/DESIGN.md §4.5).
        with in_print_language():
            report = _build(kind, obj, params, errors)
            if report is None:
                raise Http404
            return _download(request, report, fmt, document_name(kind.code, obj, params, fmt))
    else:
        report = _build(kind, obj, params, errors)
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


def _index(request, year, form, status=200, only_relevant=False):
    user = request.user
    staff = access.is_school_staff(user)
    ctx = {
        "relevant": form.relevant() if only_relevant else set(form.fields),
        "year": year,
        "years": years_of(user),
        "staff": staff,
        "form": form,
        "school_classes": list(form.classes.values()) if staff else [],
        "my_jobs": access.jobs_readable(user).filter(created_by=user).select_related("created_by")[:5],
        "downloads": request.session.get(F.DOWNLOADS, [])[:5],
        "recent_jobs": access.jobs_readable(user).exclude(created_by=user).select_related("created_by")[:10]
        if staff
        else [],
    }
    return render(request, "reports/index.html", ctx, status=status)


@login_required
def index(request):
    """One page per role: recent documents, then the form (docs/DESIGN.md §4.5)."""
    access.check_index(request.user)
    year = access.report_year(request)  # a past year stays readable (docs/DESIGN.md §4.6)
    initial = F.initial(request, year)
    hx = request.headers.get("HX-Request") == "true" and "report" in request.GET
    if hx:  # the form asked again for another report: keep what is typed, show its fields
        initial = {k: v for k, v in request.GET.items() if k in F.ReportForm.base_fields}
    form = F.ReportForm(user=request.user, year=year, initial=initial)
    return _index(request, year, form, only_relevant=hx)


@login_required
def choose(request):
    """The form's GET: remember the choice, go to the report (page or file); a wrong
    choice is the form again with its message and the input kept."""
    access.check_index(request.user)
    year = access.report_year(request)
    form = F.ReportForm(request.GET, user=request.user, year=year)
    if not form.is_valid():
        return _index(request, year, form, status=400)
    request.session[F.LAST] = form.remembered()
    return redirect(form.target())


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
    fmt = request.POST.get("format") if request.POST.get("format") == "xlsx" and kind.table else "pdf"
    job_params["format"] = fmt
    with in_print_language():
        job_params["filename"] = document_name(kind.code, obj, params, fmt)
    archival = access.is_school_staff(user) and request.POST.get("archival") == "1"
    job = jobs.start_job(user, kind.code, job_params, title=title, archival=archival)
    watch(request, job)
    for e in errors:
        messages.error(request, e.message)
    return redirect("reports:job_detail", pk=job.pk)


def watch(request, job):
    """Jobs ordered in this session: the menu says when they are ready (context_processors)."""
    request.session[WATCH] = [job.pk] + [pk for pk in request.session.get(WATCH, []) if pk != job.pk][:9]


def seen(request, job):
    """Downloaded: the menu stops saying it is ready."""
    if job.status == job.Status.DONE and job.pk in request.session.get(WATCH, []):
        request.session[WATCH] = [pk for pk in request.session[WATCH] if pk != job.pk]


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
    seen(request, job)
    name = job.params.get("filename") or job.file.name.rsplit("/", 1)[-1]
    F.record_download(request, job.title, request.get_full_path(), name)
    return file_response(job.file.open("rb"), name)


@login_required
def activity_list(request):
    qs = access.activity_readable(request.user)
    return render(request, "reports/activity_list.html", {"items": qs, "today": timezone.localdate()})


@login_required
def activity_detail(request, pk, fmt="html"):
    obj = access.get_activity_for_user(request.user, pk)
    if fmt != "html":
        with in_print_language():
            report = activity_report(obj)
            return _download(request, report, fmt, document_name("activity", None, {"month": obj.month}, fmt))
    report = activity_report(obj)
    return render(
        request,
        "reports/activity_detail.html",
        {"obj": obj, "report": report, "body": render_body(report)},
    )
