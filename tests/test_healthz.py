import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ejournal import views as ejournal_views

from .child_env import child_env

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_worker_check():
    ejournal_views._celery_outcome.clear()


@pytest.mark.celery_worker
def test_healthz_is_200_with_database_redis_and_a_celery_worker(worker_thread, transactional_db, client):
    # A real worker thread on the real Redis broker answers the health check's ping.
    with worker_thread():
        response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json() == {"database": "ok", "redis": "ok", "celery": "ok"}


@pytest.mark.celery_worker
def test_healthz_asks_the_workers_once_per_few_seconds(db, client):
    assert "no worker" in client.get("/healthz").json()["celery"]
    ejournal_views._celery_outcome["error"] = "remembered"
    assert client.get("/healthz").json()["celery"].endswith("remembered")  # not asked again
    ejournal_views._celery_outcome["at"] -= ejournal_views.CELERY_CHECK_TTL
    assert "no worker" in client.get("/healthz").json()["celery"]  # asked again


@pytest.mark.celery_worker
def test_healthz_is_503_naming_celery_when_no_worker_runs(db, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok" and body["redis"] == "ok"
    assert body["celery"].startswith("error") and "no worker" in body["celery"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_is_503_naming_redis_when_redis_is_unreachable(db):
    """A separate process whose settings point Redis (cache and Celery broker) at a closed port."""
    env = child_env(REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz')\n"
        "print(r.status_code)\n"
        "print(r.content.decode())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    status, body = done.stdout.strip().splitlines()[-2:]
    body = json.loads(body)
    assert status == "503"
    assert body["database"] == "ok"
    assert body["redis"].startswith("error") and "Connection" in body["redis"]
    assert body["celery"] != "ok"
