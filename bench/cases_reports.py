"""Issue 6: rendering a class's summary sheet (HTTP, as the deputy), the full printed
class journal and every class's summary sheet (what the Celery job runs)."""

from django.urls import reverse

from bench import case


def _school():
    from accounts.models import School

    return School.objects.order_by("pk").first()


def _class_and_deputy():
    from accounts.models import RoleAssignment
    from journal.models import SchoolClass

    school = _school()
    classes = SchoolClass.objects.filter(year__school=school).order_by("-year__start", "letter")
    klass = classes.filter(grade=9).first() or classes.order_by("-grade", "letter").first()
    deputy = RoleAssignment.objects.filter(school=school, role=RoleAssignment.Role.DEPUTY).first().user
    return klass, deputy


@case("pdf_class_summary", repeat=5, demo="school", files=True)
def pdf_class_summary(ctx):
    klass, deputy = _class_and_deputy()
    http = ctx.server.session(deputy)
    url = reverse("reports:class_report_file", kwargs={"pk": klass.pk, "kind": "summary_marks", "fmt": "pdf"})

    def run():
        http.get(url)

    run.over_http = True
    return run


@case("pdf_class_journal", repeat=3, demo="school", files=True)
def pdf_class_journal(ctx):
    from django.utils import timezone

    from reports.params import class_periods, default_period
    from reports.registry import KINDS
    from reports.render.pdf import render_pdf

    klass, _deputy = _class_and_deputy()
    # the last finished quarter (a whole period of pages), else the current period
    today = timezone.localdate()
    periods = class_periods(klass.year, klass.period_scheme)
    finished = [p for p in periods if p.end < today and p.scheme != "year"]
    period = finished[-1] if finished else default_period(periods, today)

    def run():
        render_pdf(KINDS["class_journal"].build(klass, {"period": period}))

    run.note = f"{klass}, {period}"
    return run


@case("pdf_school_summaries", repeat=3, demo="school", files=True)
def pdf_school_summaries(ctx):
    from reports.registry import KINDS
    from reports.render.pdf import render_pdf

    year = _school().years.order_by("-start").first()

    def run():
        render_pdf(KINDS["school_summaries"].build(year, {}))

    return run
