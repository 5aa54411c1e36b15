import time

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app


def _check_database():
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return "ok"


def _check_redis():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    client.ping()
    return "ok"


# The worker ping waits up to a second for replies: its outcome is kept for a few seconds
# per process, so a monitor (or a test) polling /healthz does not queue behind it.
CELERY_CHECK_TTL = 5.0
_celery_outcome: dict = {}


def _check_celery():
    now = time.monotonic()
    if _celery_outcome and now - _celery_outcome["at"] < CELERY_CHECK_TTL:
        if _celery_outcome["error"]:
            raise RuntimeError(_celery_outcome["error"])
        return "ok"
    # A worker answers a broadcast ping; with no broker or no worker this fails.
    try:
        replies = celery_app.control.ping(timeout=1.0)
        error = "" if replies else "no worker answered"
    except Exception as exc:  # noqa: BLE001 — reported by healthz, not raised
        error = f"{exc.__class__.__name__}: {exc}"
    _celery_outcome.update(at=now, error=error)
    if error:
        raise RuntimeError(error)
    return "ok"


@never_cache
def healthz(request):
    status = {}
    for name, check in (("database", _check_database), ("redis", _check_redis), ("celery", _check_celery)):
        try:
            status[name] = check()
        except Exception as exc:  # noqa: BLE001 — any failure is reported, not raised
            status[name] = f"error: {exc.__class__.__name__}: {exc}"[:200]
    healthy = all(v == "ok" for v in status.values())
    return JsonResponse(status, status=200 if healthy else 503)


@never_cache
def livez(request):
    """The process answers: what a load balancer polls to take a web node in or out of
    the pool (docs/DEPLOY.md), and the bench's baseline row, the floor of this stack (its
    middleware, a session) with no page work. healthz checks the services behind it."""
    return HttpResponse("ok", content_type="text/plain")
