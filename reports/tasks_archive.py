"""Celery tasks of the year archive (reports/archive.py); imported by reports.tasks."""

from celery import shared_task

from . import archive
from .jobs import JOB_SOFT_TIME_LIMIT, JOB_TIME_LIMIT


@shared_task(name="reports.archive_run", soft_time_limit=JOB_SOFT_TIME_LIMIT, time_limit=JOB_TIME_LIMIT)
def archive_run(run_id):
    archive.build(run_id)


@shared_task(name="reports.archive_ended_periods")
def archive_ended_periods():
    archive.archive_ended_periods()


@shared_task(name="reports.archive_verify", soft_time_limit=JOB_SOFT_TIME_LIMIT, time_limit=JOB_TIME_LIMIT)
def archive_verify():
    archive.verify()


@shared_task(name="reports.archive_sample", soft_time_limit=JOB_SOFT_TIME_LIMIT, time_limit=JOB_TIME_LIMIT)
def archive_sample():
    archive.verify_sample()
