"""Celery tasks of the journal: one-line wrappers; arguments are primary keys and ISO strings."""

from smtplib import SMTPException

from celery import shared_task

from . import control as deadlines
from . import notices, permissions

# Tasks that send mail retry a broken mail server with backoff for about a day.
MAIL_RETRIES = dict(autoretry_for=(SMTPException, OSError), retry_backoff=60, retry_backoff_max=3600, max_retries=8)


@shared_task(name="journal.queue_deadline_checks")
def queue_deadline_checks(group):
    return deadlines.queue_schools(run_deadline_checks, group)


# Checks are idempotent, so a retry after a mail-server failure only sends what is unsent.
@shared_task(name="journal.run_deadline_checks", **MAIL_RETRIES)
def run_deadline_checks(school_id, group, now_iso):
    return deadlines.run_group(school_id, group, now_iso)


@shared_task(name="journal.rebuild_permissions")
def rebuild_permissions():
    permissions.rebuild_all()


# Notices of new correction requests and substitutions (journal/notices.py): each is
# claimed before it is sent, so a retry sends only what is still unsent.
@shared_task(name="journal.send_notices", **MAIL_RETRIES)
def send_notices(ids):
    return notices.send(ids)


# Lessons follow the timetable (journal/services/lesson_sync.py): nightly for every
# school, and for one school on commit of a timetable, bell, holiday or period change.
@shared_task(name="journal.sync_all_lessons")
def sync_all_lessons():
    from .services import lesson_sync

    return [r.as_dict() for r in lesson_sync.sync_all()]


@shared_task(name="journal.sync_lessons")
def sync_lessons(school_id, actor_id=None):
    from .services import lesson_sync

    return lesson_sync.sync_school(school_id, actor=actor_id).as_dict()
