"""Celery wrappers around diary.digests; arguments are primary keys and ISO dates.

Sending retries with exponential backoff on mail-server and network failures; the
journal never waits for it (beat queues the sends, requests use ejournal.queue).
"""

from smtplib import SMTPException

from celery import shared_task

from . import digests

RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRY)
def send_weekly_digest(parent_id, monday_iso):
    return digests.send_weekly_digest(parent_id, monday_iso)


@shared_task(**RETRY)
def send_daily_marks(parent_id, day_iso):
    return digests.send_daily_marks(parent_id, day_iso)


@shared_task(**RETRY)
def send_message_notice(user_id, day_iso):
    return digests.send_message_notice(user_id, day_iso)


@shared_task
def queue_message_notices():
    return digests.queue_message_notices(send_message_notice)


@shared_task(**RETRY)
def send_paper_copies(teacher_id, monday_iso):
    return digests.send_paper_copies(teacher_id, monday_iso)


@shared_task
def queue_paper_copies():
    return digests.queue_paper_copies(send_paper_copies)


@shared_task
def queue_weekly_digests():
    return digests.queue_weekly(send_weekly_digest)


@shared_task
def queue_daily_marks():
    return digests.queue_daily(send_daily_marks)
