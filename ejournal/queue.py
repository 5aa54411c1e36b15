"""Queue Celery tasks so that the journal never depends on the broker.

Tasks are sent after the surrounding transaction commits (the worker must see the
data); if Redis is down the send fails fast and is logged, and the request that
caused it still succeeds. Periodic beat tasks catch up on anything missed.
"""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def _send(task, args, kwargs):
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:  # noqa: BLE001 — a broker outage must not break the request
        log.warning("could not queue %s: broker unavailable", task.name, exc_info=True)


def enqueue(task, *args, **kwargs):
    """Send `task` with primary-key arguments once the current transaction commits."""
    transaction.on_commit(lambda: _send(task, args, kwargs))
