"""Long reports: a ReportJob is queued by a view, built by a Celery worker, kept as a file.

The web request only writes the job row; the worker builds the data, renders the PDF,
stores it under MEDIA_ROOT with its SHA-256 and reports progress in the row, which the
browser polls.
"""

import functools
import hashlib
import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
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
# A job being built stamps its row (`heartbeat_at`) every REPORTS_HEARTBEAT_SECONDS from a
# thread of the worker process; a `running` job whose stamp is older than
# REPORTS_HEARTBEAT_STALE_SECONDS has lost its worker (killed, restarted, the machine gone)
# and is taken over: beat's `reports.requeue_stale` (every REPORTS_REQUEUE_SECONDS) sends it
# again, so it is built again within a few minutes instead of after the hard time limit.
# A job still `queued` this long after it was ordered was probably never sent (broker down).
QUEUED_GRACE = timedelta(minutes=5)
# A job that keeps losing its worker (e.g. killed for memory every time) is given up once it
# was ordered this long ago: three whole builds at the hard limit.
GIVE_UP_AFTER = 3 * timedelta(seconds=JOB_TIME_LIMIT + 60)


def heartbeat_every() -> float:
    return getattr(settings, "REPORTS_HEARTBEAT_SECONDS", 20)


def heartbeat_stale() -> timedelta:
    return timedelta(seconds=getattr(settings, "REPORTS_HEARTBEAT_STALE_SECONDS", 120))


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


# Progress: 5 % when a worker takes the job, the build up to BUILD_SHARE, the render the
# rest up to 95 %, 100 % when the file is stored. The render is most of the time, so it
# reports too (per part, or WeasyPrint's layout and write), and the bar keeps moving.
BUILD_SHARE = 50


def _set_progress(job_id, done, total, *, start=5, end=BUILD_SHARE):
    pct = min(95, start + int((end - start) * done / max(total, 1)))
    ReportJob.objects.filter(pk=job_id, progress__lt=pct).update(progress=pct, heartbeat_at=timezone.now())


def render_file(report, fmt="pdf", progress=None) -> bytes:
    """The job's file in `fmt`; `progress(done, total)` through the render."""
    if fmt == "xlsx":
        from .render.xlsx import render_xlsx

        content = render_xlsx(report)
        if progress:
            progress(1, 1)
        return content
    from .render.pdf import render_pdf

    return render_pdf(report, progress=progress)


class Heartbeat:
    """While the job builds, a thread stamps its row every `every` seconds.

    It stamps only the claim it was started for (`started_at`): a build taken over by
    another worker is not kept alive by the first. A database outage costs a few beats,
    not the build: the thread reconnects on the next one.
    """

    def __init__(self, job_id, started, every=None):
        self.job_id, self.started = job_id, started
        self.every = heartbeat_every() if every is None else every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"report-job-{job_id}-heartbeat", daemon=True)

    def beat(self):
        ReportJob.objects.filter(pk=self.job_id, status=ReportJob.Status.RUNNING, started_at=self.started).update(
            heartbeat_at=timezone.now()
        )

    def _run(self):
        try:
            while not self._stop.wait(self.every):
                try:
                    connection.close_if_unusable_or_obsolete()
                    self.beat()
                except DatabaseError:
                    log.warning("report job %s: heartbeat not written", self.job_id, exc_info=True)
                    connection.close()
        finally:
            connection.close()  # the thread's own connection

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)


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


def _orphaned(now) -> Q:
    """Running jobs whose heartbeat stopped: their worker is gone."""
    return Q(status=ReportJob.Status.RUNNING, heartbeat_at__lt=now - heartbeat_stale())


def _claimable(now) -> Q:
    """Queued jobs, and running ones whose worker is gone (not yet given up)."""
    return Q(status=ReportJob.Status.QUEUED) | (_orphaned(now) & Q(created_at__gte=now - GIVE_UP_AFTER))


def run_job(job_id, now=None, *, fan_out=False) -> ReportJob | None:
    """Build one queued job, or take over one whose worker died. A job being built (its
    heartbeat fresh) is left alone.

    The claim is one conditional UPDATE, so of two workers given the same job (a
    redelivered message, a re-queue) exactly one builds it. `fan_out` (on a worker): the
    summary sheets of all classes are rendered by one task per class (reports.summaries).
    """
    from django.utils import translation

    started = now or timezone.now()
    claimed = ReportJob.objects.filter(_claimable(started), pk=job_id).update(
        status=ReportJob.Status.RUNNING, started_at=started, heartbeat_at=timezone.now(), progress=5
    )
    if not claimed:
        return None
    job = ReportJob.objects.get(pk=job_id)
    try:
        # Printed documents are in Russian whoever ordered them (docs/DESIGN.md §4.5).
        with Heartbeat(job_id, started), translation.override(settings.LANGUAGE_CODE):
            kind, obj, params = resolve(job)
            params["progress"] = lambda done, total: _set_progress(job_id, done, total)
            if kind.code == "school_summaries":
                from . import summaries

                if fan_out:
                    summaries.fan_out(job_id, obj)
                    return job
                name = summaries.filename(obj)
                content = summaries.render_all(obj, functools.partial(_set_progress, job_id, end=95))
            else:
                report = kind.build(obj, params)
                from .params import unfinished

                stamp(report, unfinished(params))
                _set_progress(job_id, 1, 1)
                content = render_file(
                    report,
                    job.params.get("format", "pdf"),
                    lambda done, total: _set_progress(job_id, done, total, start=BUILD_SHARE, end=95),
                )
                name = report.filename
    except Exception as exc:  # noqa: BLE001 — the user sees the failure instead of an endless bar
        log.exception("report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:500], finished_at=timezone.now()
        )
        return ReportJob.objects.get(pk=job_id)
    return store_result(job, name, content, now)


def store_result(job: ReportJob, name, content: bytes, now=None) -> ReportJob:
    """The built file kept with its SHA-256; the job done."""
    finished = now or timezone.now()
    ext = job.params.get("format", "pdf")
    job.file.save(f"{name}-{job.pk}.{ext}", ContentFile(content), save=False)
    job.sha256 = hashlib.sha256(content).hexdigest()
    job.size = len(content)
    job.status = ReportJob.Status.DONE
    job.progress = 100
    job.finished_at = finished
    job.expires_at = None if job.archival else finished + timedelta(days=file_days())
    with transaction.atomic():
        job.save(update_fields=["file", "sha256", "size", "status", "progress", "finished_at", "expires_at"])
        from . import tasks

        enqueue(tasks.notify_done, job.pk)
    return job


def stamp(report, preliminary: bool):
    """Mark a report over a running period or month (docs/DESIGN.md §4.5)."""
    if preliminary:
        report.notices.append(_("Период не завершён — данные предварительные"))
    return report


def notify_done(job_id) -> bool:
    """E-mail the one who ordered the job that its file is ready; once per job."""
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    with transaction.atomic():
        claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.DONE, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        job = ReportJob.objects.select_related("created_by").get(pk=job_id) if claimed else None
        if job is None or not job.created_by.email:
            return False
        with translation.override(settings.LANGUAGE_CODE):
            ctx = {"job": job, "url": settings.SITE_URL.rstrip("/") + reverse("reports:job_detail", args=[job.pk])}
            msg = EmailMultiAlternatives(
                subject=_("Документ готов: %(title)s") % {"title": job.title[:150]},
                body=render_to_string("reports/email/job_done.txt", ctx),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[job.created_by.email],
            )
        # An exception rolls the stamp back, so the task's retry sends again.
        msg.send(fail_silently=False)
    return True


def requeue_stale(now=None, send=None) -> list[int]:
    """Beat, every few minutes: send again the jobs nobody is building. Returns their ids.

    A job created while Redis was down was never queued; a job whose worker was killed
    stays `running` and its heartbeat stops. Both are sent again (run_job claims each
    once, so a duplicate message is harmless). A job ordered more than GIVE_UP_AFTER ago
    that lost its worker again is marked failed so the user can order it again.
    """
    now = now or timezone.now()
    if send is None:
        from . import tasks

        def send(pk):
            enqueue(tasks.run_job, pk)

    ReportJob.objects.filter(_orphaned(now), created_at__lt=now - GIVE_UP_AFTER).update(
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
