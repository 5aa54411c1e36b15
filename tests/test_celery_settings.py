"""Celery settings fit the tasks: a message is never handed to a second worker while the
first still holds it (Redis visibility timeout vs retry backoff and time limits)."""

from django.conf import settings

from ejournal.celery import app


def test_visibility_timeout_exceeds_the_longest_backoff_plus_time_limit():
    app.loader.import_default_modules()
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    ours = [t for name, t in app.tasks.items() if not name.startswith("celery.")]
    assert ours
    for task in ours:
        backoff = getattr(task, "retry_backoff_max", 0) if getattr(task, "retry_backoff", False) else 0
        limit = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        assert backoff + limit < visibility, task.name
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
