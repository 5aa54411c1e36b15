"""Celery tasks: one-line wrappers around plain functions; arguments are primary keys."""

from datetime import date
from smtplib import SMTPException

from celery import shared_task

from . import activity, jobs, summaries


# Long reports get their own limits (the default task limits are for short work).
# On a worker the summary sheets of all classes fan out into one task per class; called
# directly (tests, a shell) everything is built here and now.
@shared_task(
    name="reports.run_job", bind=True, soft_time_limit=jobs.JOB_SOFT_TIME_LIMIT, time_limit=jobs.JOB_TIME_LIMIT
)
def run_job(self, job_id):
    jobs.run_job(job_id, fan_out=not self.request.called_directly)


@shared_task(name="reports.summary_sheet")
def summary_sheet(job_id, class_id):
    summaries.build_part(job_id, class_id)


# A mail-server outage is retried with backoff; notify_done sends once per job.
@shared_task(
    name="reports.notify_done",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=8,
)
def notify_done(job_id):
    jobs.notify_done(job_id)


@shared_task(name="reports.requeue_stale")
def requeue_stale():
    jobs.requeue_stale()


@shared_task(name="reports.cleanup_expired")
def cleanup_expired():
    jobs.cleanup_expired()


@shared_task(name="reports.monthly_activity")
def monthly_activity(today=None):
    activity.build_monthly_activity(today=date.fromisoformat(today) if today else None)


from .tasks_archive import archive_ended_periods, archive_run, archive_sample, archive_verify  # noqa: E402, F401
