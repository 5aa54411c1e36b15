import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
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


def _check_celery():
    # A worker answers a broadcast ping; with no broker or no worker this fails.
    replies = celery_app.control.ping(timeout=1.0)
    if not replies:
        raise RuntimeError("no worker answered")
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
