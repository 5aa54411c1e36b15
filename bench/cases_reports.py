"""Issue 6: rendering a class's summary sheet (HTTP, as the deputy), the full printed
class journal and every class's summary sheet (what the Celery job runs)."""

import os

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


@case("pdf_class_journal", repeat=1, demo="school", files=True, warmup=1)
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


# --- issue 19: printing that keeps up ----------------------------------------------------
# A fully marked class of 30: the widest class of the demo school (most subjects) filled up
# to 30 pupils, each with a mark in every column of the summary sheet (every period, the
# year, and the exam and final marks where the grade has them). Written once into the bench
# database (plain ORM, so that the base revision runs the same case: BENCH_BASE_CASES=reports).

FULL = 30


def _full_class():
    from django.db import transaction

    from accounts.models import User
    from journal.models import Enrollment, PeriodMark, SchoolClass, TeachingAssignment
    from reports.builders import common as C

    school = _school()
    year = school.years.order_by("-start").first()
    classes = list(SchoolClass.objects.filter(year=year).select_related("year__school", "class_teacher"))
    klass = max(classes, key=lambda k: (TeachingAssignment.objects.filter(school_class=k).count(), -k.grade))
    if Enrollment.objects.filter(school_class=klass).count() >= FULL:
        return klass
    marks = ["5", "4", "3", "4", "5", "4", "3", "5", "2", "4"]
    slots = C.year_slots(klass)
    assignments = {a.subject_id: a for a in TeachingAssignment.objects.filter(school_class=klass, group=None)}
    with transaction.atomic():
        # the newcomers borrow the names and the order of the class's own pupils
        own = list(Enrollment.objects.filter(school_class=klass).select_related("pupil"))
        for n in range(len(own), FULL):
            model = own[n % len(own)]
            pupil = User.objects.create(
                username=f"bench.full.{klass.pk}.{n}", last_name=model.pupil.last_name, first_name=model.pupil.first_name,
                patronymic=model.pupil.patronymic, school=school, sex=model.pupil.sex,
            )  # fmt: skip
            Enrollment.objects.create(school_class=klass, pupil=pupil, start=year.start, start_order=model.start_order,
                                      start_order_date=year.start)  # fmt: skip
        for e in Enrollment.objects.filter(school_class=klass):
            for i, a in enumerate(assignments.values()):
                for j, slot in enumerate(slots):
                    PeriodMark.objects.update_or_create(
                        pupil_id=e.pupil_id, subject_id=a.subject_id, period=slot.period, kind=slot.kind,
                        defaults={"assignment": a, "value": marks[(e.pupil_id + i + j) % len(marks)],
                                  "set_by_id": a.teacher_id},
                    )  # fmt: skip
    return klass


def _deputy():
    from accounts.models import RoleAssignment

    return RoleAssignment.objects.filter(school=_school(), role=RoleAssignment.Role.DEPUTY).first().user


@case("pdf_summary_30", repeat=3, demo="school", files=True)
def pdf_summary_30(ctx):
    """The summary sheet of the fully marked class of 30, as the view renders it (no HTTP)."""
    from reports.registry import KINDS
    from reports.render.pdf import render_pdf

    klass = _full_class()

    def run():
        render_pdf(KINDS["summary_marks"].build(klass, {}))

    run.note = f"{klass}, {FULL} pupils"
    return run


@case("pdf_summary_30_http", repeat=3, demo="school", files=True)
def pdf_summary_30_http(ctx):
    """The same sheet downloaded by the deputy over HTTP: the gap to pdf_summary_30 is the web's."""
    klass = _full_class()
    http = ctx.server.session(_deputy())
    url = reverse("reports:class_report_file", kwargs={"pk": klass.pk, "kind": "summary_marks", "fmt": "pdf"})

    def run():
        http.get(url)

    run.over_http = True
    run.note = f"{klass}, {FULL} pupils"
    return run


@case("pdf_school_summaries_pool", repeat=1, demo="school", warmup=0)
def pdf_school_summaries_pool(ctx):
    """The school's summary sheets ordered as a job and built by a Celery worker with the
    pool of `make run` (prefork, CELERY_CONCURRENCY=2): wall time from order to file."""
    import secrets
    import subprocess
    import sys
    import time
    from pathlib import Path

    from ejournal.celery import app
    from reports import jobs
    from reports.models import ReportJob

    _full_class()
    deputy = _deputy()
    year = _school().years.order_by("-start").first()
    root = Path(__file__).resolve().parent.parent
    app.control.purge()
    env = dict(os.environ, SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50))
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "ejournal", "worker", "--loglevel=warning",
         "--concurrency=2", "-n", f"bench{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
        cwd=root, env=env,
    )  # fmt: skip
    ctx.cleanup.append(lambda: (worker.terminate(), worker.wait(timeout=60)))
    deadline = time.monotonic() + 120
    while not app.control.ping(timeout=1) and time.monotonic() < deadline:
        time.sleep(0.5)

    def run():
        job = jobs.start_job(deputy, "school_summaries", {"object": year.pk}, title="bench")
        while True:
            job.refresh_from_db()
            if job.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED):
                break
            time.sleep(0.2)
        if job.status != ReportJob.Status.DONE:
            raise RuntimeError(job.error)
        run.note = f"{year.classes.count()} classes, {job.size // 1024} KB, workers 2"

    run.no_query_count = True
    return run
