"""Long reports: a ReportJob is queued by a view, built by a Celery worker, kept as a file.

The web request only writes the job row; the worker builds the data, renders the PDF,
stores it under MEDIA_ROOT with its SHA-256 and reports progress in the row, which the
browser polls.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.queue import enqueue

from .models import ReportJob

log = logging.getLogger(__name__)

# Time limits of the task that builds a job (reports.tasks.run_job). At the soft limit the
# build is interrupted and the job marked failed; the hard limit kills a build that ignores it.
JOB_SOFT_TIME_LIMIT = 1800
JOB_TIME_LIMIT = 1900
# A job still `running` this long after it started has lost its worker (killed, restarted):
# the hard limit would have ended any build by then.
STALE_AFTER = timedelta(seconds=JOB_TIME_LIMIT + 60)
# A job still `queued` this long after it was ordered was probably never sent (broker down).
QUEUED_GRACE = timedelta(minutes=5)
# A job that keeps losing its worker (e.g. killed for memory every time) is given up.
GIVE_UP_AFTER = 3 * STALE_AFTER


def file_days() -> int:
    return getattr(settings, "REPORTS_FILE_DAYS", 7)


def start_job(user, kind, params: dict, *, title="", archival=False) -> ReportJob:
    """Record the job and queue it once the transaction commits (broker outages are tolerated)."""
    from . import tasks

    with transaction.atomic():
        job = ReportJob.objects.create(
            school_id=user.school_id, kind=kind, params=params, title=title, created_by=user, archival=archival
        )
        enqueue(tasks.run_job, job.pk)
    return job


def _set_progress(job_id, done, total):
    pct = min(95, 5 + int(85 * done / max(total, 1)))
    ReportJob.objects.filter(pk=job_id, progress__lt=pct).update(progress=pct)


def resolve(job: ReportJob):
    """The object the job's report is about, from the stored primary keys."""
    from journal.models import AcademicYear, SchoolClass, StudyPeriod

    from .registry import CLASS, KINDS

    kind = KINDS[job.kind]
    params = {}
    if "period" in job.params:
        params["period"] = StudyPeriod.objects.get(pk=job.params["period"], year__school_id=job.school_id)
    if kind.scope == CLASS:
        obj = SchoolClass.objects.select_related("year__school", "class_teacher").get(
            pk=job.params["object"], year__school_id=job.school_id
        )
    else:
        obj = AcademicYear.objects.select_related("school").get(pk=job.params["object"], school_id=job.school_id)
    return kind, obj, params


def _claimable(now) -> Q:
    """Queued jobs, and running ones whose worker is gone (not yet given up)."""
    return Q(status=ReportJob.Status.QUEUED) | Q(
        status=ReportJob.Status.RUNNING, started_at__lt=now - STALE_AFTER, created_at__gte=now - GIVE_UP_AFTER
    )


def run_job(job_id, now=None) -> ReportJob | None:
    """Build one queued job, or take over one whose worker died. A job being built is left alone.

    The claim is one conditional UPDATE, so of two workers given the same job (a
    redelivered message, a re-queue) exactly one builds it.
    """
    from .render.pdf import render_pdf

    started = now or timezone.now()
    claimed = ReportJob.objects.filter(_claimable(started), pk=job_id).update(
        status=ReportJob.Status.RUNNING, started_at=started, progress=5
    )
    if not claimed:
        return None
    job = ReportJob.objects.get(pk=job_id)
    try:
        kind, obj, params = resolve(job)
        params["progress"] = lambda done, total: _set_progress(job_id, done, total)
        report = kind.build(obj, params)
        content = render_pdf(report)
    except Exception as exc:  # noqa: BLE001 — the user sees the failure instead of an endless bar
        log.exception("report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:500], finished_at=timezone.now()
        )
        return ReportJob.objects.get(pk=job_id)
    finished = now or timezone.now()
    job.file.save(f"{report.filename}-{job.pk}.pdf", ContentFile(content), save=False)
    job.sha256 = hashlib.sha256(content).hexdigest()
    job.size = len(content)
    job.status = ReportJob.Status.DONE
    job.progress = 100
    job.finished_at = finished
    job.expires_at = None if job.archival else finished + timedelta(days=file_days())
    job.save(update_fields=["file", "sha256", "size", "status", "progress", "finished_at", "expires_at"])
    return job


def requeue_stale(now=None, send=None) -> list[int]:
    """Beat, every few minutes: send again the jobs nobody is building. Returns their ids.

    A job created while Redis was down was never queued; a job whose worker was killed
    stays `running`. Both are sent again (run_job claims each once, so a duplicate
    message is harmless). Jobs that lost their worker for longer than GIVE_UP_AFTER are
    marked failed so the user can order them again.
    """
    now = now or timezone.now()
    if send is None:
        from . import tasks

        def send(pk):
            enqueue(tasks.run_job, pk)

    ReportJob.objects.filter(
        status=ReportJob.Status.RUNNING, started_at__lt=now - STALE_AFTER, created_at__lt=now - GIVE_UP_AFTER
    ).update(
        status=ReportJob.Status.FAILED,
        error=_("Формирование прерывалось несколько раз (обработчик остановлен). Закажите отчёт заново."),
        finished_at=now,
    )
    stale = (
        ReportJob.objects.filter(_claimable(now))
        .exclude(status=ReportJob.Status.QUEUED, created_at__gte=now - QUEUED_GRACE)
        .order_by("created_at")
    )
    ids = list(stale.values_list("pk", flat=True))
    for pk in ids:
        send(pk)
    return ids


def cleanup_expired(now=None) -> int:
    """Delete the files of ordinary jobs past their term; the rows stay as history."""
    now = now or timezone.now()
    n = 0
    for job in ReportJob.objects.filter(archival=False, expires_at__lt=now, status=ReportJob.Status.DONE):
        if job.file:
            job.file.delete(save=False)
        job.status = ReportJob.Status.EXPIRED
        job.save(update_fields=["file", "status"])
        n += 1
    return n


def verify_file(job: ReportJob) -> bool:
    """Does the stored file still have the SHA-256 recorded when it was built?"""
    if not job.file:
        return False
    h = hashlib.sha256()
    with job.file.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest() == job.sha256
