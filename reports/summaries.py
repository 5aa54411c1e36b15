"""The summary sheets of all classes (the archive copy): rendered class by class, joined with pypdf.

A class's sheet is a document of its own for WeasyPrint (a few pages), so memory stays
that of one class and the classes can be rendered at the same time. Built by a worker
(`reports.tasks.run_job`), the job is fanned out: one `reports.summary_sheet` task per
class writes its PDF under MEDIA_ROOT/reports/parts/<job>/, advances the job's progress,
and the task that finishes the last class joins the parts, stamps «Стр. i из N» over the
whole and stores the file (docs/DESIGN.md §4.5). Called directly (tests, a shell) the
same parts are rendered one after the other in the calling process.
"""

import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ejournal.queue import enqueue

from .builders import common as C
from .builders.marks import ClassMarks, summary_sheet_part
from .document import Report
from .jobs import Heartbeat
from .models import ReportJob

log = logging.getLogger(__name__)


def classes_of(year) -> list:
    """The classes whose sheets the document holds, in its order."""
    classes = year.classes.select_related("year__school", "class_teacher").order_by("grade", "letter")
    return [k for k in classes if k.has_marks]


def filename(year) -> str:
    return f"svodnye-vedomosti-{year.name.replace('/', '-')}"


def render_class(klass, periods=None, progress=None) -> bytes:
    """One class's summary sheet as PDF, without page numbers (merge_pdfs stamps them);
    `progress(done, 2)` after its layout and its write."""
    from .render.pdf import render_pdf

    year = klass.year
    data = ClassMarks([klass], year.start, year.end)
    part = summary_sheet_part(klass, data, C.year_slots(klass, periods))
    report = Report(
        kind="school_summaries",
        title=part.title,
        school_name=year.school.full_name,
        built_at=C.now(),
        parts=[part],
        filename=filename(year),
    )
    return render_pdf(report, page_numbers=False, progress=progress)


def render_all(year, progress=None) -> bytes:
    """Every class in this process, one after the other."""
    from .render.pdf import merge_pdfs

    classes = classes_of(year)
    periods = list(year.periods.all())
    pdfs = []
    steps = 2 * len(classes)
    for i, klass in enumerate(classes):
        # two steps a class (layout, write), so the bar moves within a class too
        step = (lambda done, _total, i=i: progress(2 * i + done, steps)) if progress else None
        pdfs.append(render_class(klass, periods, step))
    return merge_pdfs(pdfs)


def _parts_dir(job_id) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / "parts" / str(job_id)


def fan_out(job_id, year):
    """Queue one task per class; the job stays `running` until the last one joins them."""
    from . import tasks

    classes = classes_of(year)
    folder = _parts_dir(job_id)
    # A job taken over (its heartbeat stopped) keeps the parts already rendered; the tasks
    # still on their way finish into the same folder.
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "classes").write_text(" ".join(str(k.pk) for k in classes))
    if not classes:
        _join(job_id, folder, [])
        return
    for klass in classes:
        enqueue(tasks.summary_sheet, job_id, klass.pk)


def build_part(job_id, class_id):
    """One class of a fanned-out job (the task `reports.summary_sheet`)."""
    from journal.models import SchoolClass

    job = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).first()
    folder = _parts_dir(job_id)
    if job is None or not (folder / "classes").exists():
        return  # failed, done or given up meanwhile
    order = [int(pk) for pk in (folder / "classes").read_text().split()]
    if class_id not in order:
        return
    klass = SchoolClass.objects.select_related("year__school", "class_teacher").get(
        pk=class_id, year__school_id=job.school_id
    )
    try:
        # The job's row is stamped while a class renders: beat's requeue_stale must not
        # take a fanned-out job for one whose worker died (reports.jobs.Heartbeat).
        with Heartbeat(job_id, job.started_at):
            content = render_class(klass)
        part = folder / f"{order.index(class_id):04d}.pdf"
        tmp = part.with_suffix(f".{class_id}.tmp")
        tmp.write_bytes(content)
        tmp.replace(part)  # a part is there whole or not at all
    except Exception as exc:  # noqa: BLE001 — the user sees the failure instead of an endless bar
        log.exception("report job %s: the summary sheet of class %s failed", job_id, class_id)
        ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
            status=ReportJob.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:500], finished_at=timezone.now()
        )
        return
    with transaction.atomic():
        # One at a time per job: of two parts finishing together, exactly one joins.
        job = ReportJob.objects.select_for_update().filter(pk=job_id, status=ReportJob.Status.RUNNING).first()
        if job is None:
            return
        done = [folder / f"{i:04d}.pdf" for i in range(len(order))]
        n = sum(1 for p in done if p.exists())
        from .jobs import _set_progress

        _set_progress(job_id, n, len(order), end=95)
        ReportJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())
        if n == len(order):
            _join(job_id, folder, done)


def _join(job_id, folder, parts):
    from .jobs import store_result
    from .render.pdf import merge_pdfs

    job = ReportJob.objects.select_related("school").get(pk=job_id)
    year = job.school.years.get(pk=job.params["object"])
    store_result(job, filename(year), merge_pdfs([p.read_bytes() for p in parts]))
    shutil.rmtree(folder, ignore_errors=True)
