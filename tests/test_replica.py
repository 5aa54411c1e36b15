"""A streaming replica for the reads that may lag (ejournal/routers.py, docs/DEPLOY.md
"A read replica"): a parent's diary is read on the replica, a teacher reads her own
mark back at once from the primary.

The replica is a real second cluster (`scripts/services.sh replica-start`: a base backup
of this checkout's PostgreSQL, following its WAL). Pausing its replay makes the lag as
long as the test needs: what it has not replayed, a page read on it cannot show.
"""

import subprocess
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
import time_machine
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ejournal.routers import REPLICA
from journal.models import Mark

ROOT = Path(__file__).resolve().parent.parent
SERVICES = [str(ROOT / "scripts" / "services.sh")]

# "__all__" is resolved when the test starts: after the `replica` fixture added the alias.
pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """The running replica, and the `replica` alias pointed at its copy of the test
    database. Module-scoped, so the alias exists before each test's database setup (which
    allows the aliases it finds, "__all__")."""
    subprocess.run([*SERVICES, "replica-stop", "--remove"], check=True, cwd=ROOT)
    started = subprocess.run([*SERVICES, "replica-start"], cwd=ROOT, capture_output=True, text=True)
    assert started.returncode == 0, started.stdout + started.stderr
    socket_dir = started.stdout.strip().splitlines()[-1]
    connections.settings[REPLICA] = {
        **connections["default"].settings_dict,
        "HOST": socket_dir,
        # a follower of the test database: the suite's teardown empties the primary only
        "TEST": {"MIRROR": "default"},
    }
    yield socket_dir
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]
    subprocess.run([*SERVICES, "replica-stop", "--remove"], check=True, cwd=ROOT)


@pytest.fixture
def replica(replica_alias):
    """A superuser's connection to the replica, to pause and resume its replay."""
    admin = psycopg.connect(host=replica_alias, dbname="postgres", user="postgres", autocommit=True)
    yield admin
    admin.execute("SELECT pg_wal_replay_resume()")
    admin.close()


def caught_up(admin, timeout=30):
    """Wait until the replica has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()")
        target = cur.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if admin.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]:
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up")


def marks_shown(client, pupil):
    """The marks on the pupil's «Отметки по предметам» page, and the queries each database
    ran for it (on the replica, not counting the check of how far it has replayed)."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        response = client.get(reverse("diary:marks", kwargs={"pupil_id": pupil.pk}))
    assert response.status_code == 200
    page_reads = [q for q in on_replica.captured_queries if "pg_last_wal_replay_lsn" not in q["sql"]]
    return response.content.decode().count('class="mark-value">5<'), len(primary), len(page_reads)


def test_a_parents_diary_is_read_on_the_replica_and_the_teacher_reads_her_mark_from_the_primary(replica, world):
    teacher, parent = Client(), Client()
    caught_up(replica)
    lesson = world.lessons[-1]

    # The replica stops replaying: from now on it is behind the primary.
    replica.execute("SELECT pg_wal_replay_pause()")
    clock = time_machine.travel(datetime(2026, 11, 12, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True)
    with clock:  # the day after the lesson, while its teacher may still mark it
        teacher.force_login(world.teacher)
        parent.force_login(world.parent)
        response = teacher.post(
            reverse("journal:cell", args=[lesson.pk]),
            {"p": world.pupil.pk, "v": 0, "value": "5", "k": "m", "s": ""},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert Mark.objects.filter(pupil=world.pupil, assessment__lesson=lesson, value="5").exists()

        # Her own write is read back at once: the replica has not replayed it, so the primary answers.
        shown, on_primary, on_replica = marks_shown(teacher, world.pupil)
        assert (shown, on_replica) == (1, 0)
        assert on_primary > 0

        # The parent has written nothing: the diary comes from the replica, which is behind.
        shown, _on_primary, on_replica = marks_shown(parent, world.pupil)
        assert shown == 0
        assert on_replica > 0

        # Replay resumes; once caught up, both read the replica, and it shows the mark.
        replica.execute("SELECT pg_wal_replay_resume()")
        caught_up(replica)
        for client in (parent, teacher):
            shown, _on_primary, on_replica = marks_shown(client, world.pupil)
            assert shown == 1
            assert on_replica > 0


def test_a_write_goes_to_the_primary_even_from_a_page_read_on_the_replica(replica):
    """The replica is read-only; the router never sends it a write, nor a read inside a
    transaction of the primary."""
    from ejournal import routers

    token = routers._reads_on_replica.set(True)
    try:
        assert routers.ReplicaRouter().db_for_read(Mark) == REPLICA
        read_there = Mark(pupil_id=1)
        read_there._state.db = REPLICA
        assert routers.ReplicaRouter().db_for_write(Mark, instance=read_there) == "default"
        from django.db import transaction

        with transaction.atomic():
            assert routers.ReplicaRouter().db_for_read(Mark) is None
        # who is signed in is always the primary's answer (a new session must be found)
        from django.contrib.sessions.models import Session

        assert routers.ReplicaRouter().db_for_read(Session) is None
    finally:
        routers._reads_on_replica.reset(token)
