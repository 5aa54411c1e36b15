"""Long report jobs survive a dead worker and a broker outage: take-over and re-queue.

A job being built stamps its row (`heartbeat_at`) every few seconds. `run_job` takes over
a job left `running` whose heartbeat stopped (its worker was killed); `requeue_stale`
(beat, every minute) sends again the jobs created while Redis was down and those whose
heartbeat is older than two minutes, and gives up on a job that keeps dying. The real
worker killed mid-job is in tests/test_faults.py.
"""

import subprocess
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from ejournal.celery import app
from reports import jobs
from reports.models import ReportJob

from . import factories as F
from .child_env import child_env

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))
S = ReportJob.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def job(world, status=S.QUEUED, created=None, started=None, heartbeat=None):
    j = F.ReportJobFactory(
        created_by=world.deputy, school=world.school, kind="movement_dynamics", params={"object": world.year.pk}
    )
    # created_at is auto_now_add: set the moments the scenario needs
    ReportJob.objects.filter(pk=j.pk).update(
        status=status, created_at=created or NOW, started_at=started, heartbeat_at=heartbeat or started
    )
    j.refresh_from_db()
    return j


def test_a_running_job_whose_heartbeat_stopped_minutes_ago_is_taken_over_and_built(world):
    # F14: killed 3 minutes ago, 10 minutes into its build: not 35 minutes of «формируется».
    dead = job(world, S.RUNNING, created=NOW - timedelta(minutes=14), started=NOW - timedelta(minutes=13),
               heartbeat=NOW - timedelta(minutes=3))  # fmt: skip
    done = jobs.run_job(dead.pk, now=NOW)
    assert done is not None and done.status == S.DONE
    assert done.started_at == NOW and done.progress == 100 and done.sha256


def test_a_job_being_built_is_left_alone_however_long_it_takes(world):
    busy = job(world, S.RUNNING, created=NOW - timedelta(minutes=30), started=NOW - timedelta(minutes=29),
               heartbeat=NOW - timedelta(seconds=30))  # fmt: skip
    assert jobs.run_job(busy.pk, now=NOW) is None
    busy.refresh_from_db()
    assert (busy.status, busy.started_at) == (S.RUNNING, NOW - timedelta(minutes=29))
    # A second worker given the same queued job: only the first builds it.
    queued = job(world)
    assert jobs.run_job(queued.pk, now=NOW).status == S.DONE
    assert jobs.run_job(queued.pk, now=NOW) is None


def test_requeue_sends_forgotten_and_orphaned_jobs_and_gives_up_on_a_job_that_keeps_dying(world):
    never_sent = job(world, created=NOW - timedelta(minutes=10))
    just_ordered = job(world, created=NOW - timedelta(minutes=1))
    orphaned = job(world, S.RUNNING, created=NOW - timedelta(minutes=12), started=NOW - timedelta(minutes=11),
                   heartbeat=NOW - timedelta(minutes=2, seconds=1))  # fmt: skip
    busy = job(world, S.RUNNING, created=NOW - timedelta(hours=1), started=NOW - timedelta(minutes=50),
               heartbeat=NOW - timedelta(seconds=40))  # fmt: skip
    hopeless = job(world, S.RUNNING, created=NOW - timedelta(hours=3), started=NOW - timedelta(hours=1))
    finished = job(world, S.DONE, created=NOW - timedelta(hours=1), started=NOW - timedelta(hours=1))

    sent = []
    assert jobs.requeue_stale(now=NOW, send=sent.append) == [orphaned.pk, never_sent.pk]
    assert sent == [orphaned.pk, never_sent.pk]
    for j, status in ((just_ordered, S.QUEUED), (busy, S.RUNNING), (finished, S.DONE), (hopeless, S.FAILED)):
        j.refresh_from_db()
        assert j.status == status
    assert "Закажите отчёт заново" in hopeless.error and hopeless.finished_at == NOW
    # The worker that finally gets the orphaned job builds it.
    assert jobs.run_job(orphaned.pk, now=NOW).status == S.DONE


def test_requeue_queues_the_task_after_commit(world, django_capture_on_commit_callbacks):
    job(world, created=NOW - timedelta(minutes=10))
    with django_capture_on_commit_callbacks() as callbacks:
        jobs.requeue_stale(now=NOW)
    assert len(callbacks) == 1


def test_the_heartbeat_thread_stamps_the_claim_it_was_started_for(transactional_db, world):
    """The thread of the worker process writes through its own database connection."""
    running = job(world, S.RUNNING, created=NOW, started=NOW, heartbeat=NOW)
    with jobs.Heartbeat(running.pk, NOW, every=0.05):
        deadline = time.monotonic() + 10
        while ReportJob.objects.get(pk=running.pk).heartbeat_at == NOW and time.monotonic() < deadline:
            time.sleep(0.05)
    stamped = ReportJob.objects.get(pk=running.pk).heartbeat_at
    assert stamped > NOW
    # Taken over by another worker (a new claim): the first build's thread no longer stamps it.
    ReportJob.objects.filter(pk=running.pk).update(started_at=NOW + timedelta(minutes=1), heartbeat_at=NOW)
    jobs.Heartbeat(running.pk, NOW).beat()
    assert ReportJob.objects.get(pk=running.pk).heartbeat_at == NOW


def test_the_long_report_task_has_its_own_limits_and_beat_requeues_every_minute():
    app.loader.import_default_modules()
    task = app.tasks["reports.run_job"]
    assert (task.soft_time_limit, task.time_limit) == (1800, 1900)
    # a killed build is sent again within three minutes: two without heartbeat, one of beat
    assert jobs.heartbeat_stale() == timedelta(minutes=2) and jobs.heartbeat_every() * 3 < 120
    entry = settings.CELERY_BEAT_SCHEDULE["reports-requeue-stale"]
    assert entry["task"] == "reports.requeue_stale" and entry["task"] in app.tasks
    assert entry["schedule"] == timedelta(minutes=1)


def test_the_heartbeat_migration_runs_as_bootstrap_runs_it_and_stamps_running_jobs(transactional_db, world):
    """`manage.py migrate` with the production settings migrates as the owner while
    `default` is the runtime role: a data step on `default` would wait for the owner's
    ALTER TABLE lock forever (bootstrap hung). A job left running by the old code gets its
    start as its last heartbeat, so the re-queue can see it."""
    running = job(world, S.RUNNING, created=NOW, started=NOW - timedelta(minutes=1))

    def migrate(target):
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "reports", target, "-v", "0"],
            env=child_env(), cwd=settings.BASE_DIR, check=True, timeout=120,
        )  # fmt: skip

    migrate("0003_archive_protection")
    migrate("0004_reportjob_heartbeat")
    try:
        # Only the columns of 0004: the later migrations are not applied yet.
        beat = ReportJob.objects.filter(pk=running.pk).values_list("heartbeat_at", flat=True).get()
        assert beat == NOW - timedelta(minutes=1)
    finally:
        from django.db.migrations.loader import MigrationLoader

        migrate(
            max(n for app, n in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes() if app == "reports")
        )
