"""Long report jobs survive a dead worker and a broker outage: take-over and re-queue.

`run_job` takes over a job left `running` by a worker that was killed (older than the
job's time limit); `requeue_stale` (beat, every few minutes) sends again the jobs created
while Redis was down and those whose worker died, and gives up on a job that keeps dying.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from ejournal.celery import app
from reports import jobs
from reports.models import ReportJob

from . import factories as F

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))
S = ReportJob.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def job(world, status=S.QUEUED, created=None, started=None):
    j = F.ReportJobFactory(
        created_by=world.deputy, school=world.school, kind="movement_dynamics", params={"object": world.year.pk}
    )
    # created_at is auto_now_add: set the moments the scenario needs
    ReportJob.objects.filter(pk=j.pk).update(status=status, created_at=created or NOW, started_at=started)
    j.refresh_from_db()
    return j


def test_a_running_job_whose_worker_died_is_taken_over_and_built(world):
    dead = job(world, S.RUNNING, created=NOW - timedelta(hours=1), started=NOW - timedelta(seconds=1961))
    done = jobs.run_job(dead.pk, now=NOW)
    assert done is not None and done.status == S.DONE
    assert done.started_at == NOW and done.progress == 100 and done.sha256


def test_a_job_being_built_is_left_alone(world):
    busy = job(world, S.RUNNING, created=NOW - timedelta(minutes=30), started=NOW - timedelta(minutes=29))
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
    orphaned = job(world, S.RUNNING, created=NOW - timedelta(hours=1), started=NOW - timedelta(hours=1))
    busy = job(world, S.RUNNING, created=NOW - timedelta(minutes=20), started=NOW - timedelta(minutes=20))
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


def test_the_long_report_task_has_its_own_limits_and_beat_requeues():
    app.loader.import_default_modules()
    task = app.tasks["reports.run_job"]
    assert (task.soft_time_limit, task.time_limit) == (1800, 1900)
    assert jobs.STALE_AFTER.total_seconds() > task.time_limit
    entry = settings.CELERY_BEAT_SCHEDULE["reports-requeue-stale"]
    assert entry["task"] == "reports.requeue_stale" and entry["task"] in app.tasks
