"""Backups to two media, restore, and the restore drill (docs/ARCHIVE.md "Backups";
docs/DESIGN.md §3 "Retention and archive"). The data must be committed for pg_dump to
see it: these tests use transactional databases."""

import io
import json
import subprocess
import tarfile
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent
from journal.models import Mark, Notification
from journal.services import entries
from maintenance import backup, pg, restore
from maintenance.models import BackupRun, RestoreDrill

from . import factories as F
from .world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def held_day():
    """Yesterday: a lesson already held on the real clock (marks wait for a lesson's start,
    and today's first bell may not have rung when the suite runs)."""
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def marked_world():
    world = build_world()
    lesson = F.LessonFactory(assignment=world.assignment, date=held_day(), bell=world.lessons[0].bell)
    work = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    second = F.EnrollmentFactory(school_class=world.klass).pupil
    entries.set_mark(world.teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value="5")
    entries.set_mark(world.teacher, assessment_id=work.pk, pupil_id=second.pk, value="4")
    entries.set_mark(world.teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value="3", reason="ошибка")
    return world


@pytest.fixture
def scratch_db():
    owner = pg.owner_settings()
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = pg.conninfo(owner, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    yield pg.conninfo({**owner, "NAME": name})
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _backups(settings):
    return [backup.list_backups(Path(d)) for d in settings.BACKUP_DIRS]


def test_backup_to_two_media_then_restore_finds_every_mark_and_audit_event(marked_world, settings, scratch_db):
    media = Path(settings.MEDIA_ROOT) / "archive" / "x.pdf"
    media.write_bytes(b"%PDF-1.7 archived")
    call_command("backup", stdout=(out := io.StringIO()))
    assert "written to" in out.getvalue()
    (a,), (b,) = _backups(settings)
    assert a.name == b.name and {p.name for p in a.iterdir()} == {
        "db.dump",
        "media.tar",
        "manifest.json",
        "manifest.sig",
    }
    manifest = json.loads((a / "manifest.json").read_text())
    assert manifest["tables"]["journal_mark"] == 2
    assert manifest["audit_heads"][str(marked_world.school.pk)]["count"] == 3
    assert not any(p.name.endswith(".key") for p in a.rglob("*"))  # never the keys
    run = BackupRun.objects.get()
    assert run.status == BackupRun.Status.OK and run.size > 0 and len(run.destinations) == 2

    marks = sorted(Mark.objects.values_list("id", "assessment_id", "pupil_id", "value"))
    events = sorted(AuditEvent.objects.values_list("id", "hash"))
    call_command("flush", interactive=False, verbosity=0)  # the data is gone
    assert not Mark.objects.exists() and not AuditEvent.objects.exists()

    restored_media = Path(settings.MEDIA_ROOT).parent / "restored-media"
    call_command("restore", str(b), "--into", scratch_db, "--media-into", str(restored_media), stdout=out)
    with psycopg.connect(scratch_db) as c:
        assert sorted(c.execute("SELECT id, assessment_id, pupil_id, value FROM journal_mark").fetchall()) == marks
        assert sorted(c.execute("SELECT id, hash FROM accounts_auditevent").fetchall()) == events
        # the runtime role got its privileges on the restored database
        grants = c.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = 'accounts_auditevent' AND grantee = %s ORDER BY 1",
            [settings.DATABASE_RUNTIME["USER"]],
        ).fetchall()
        assert grants == [("INSERT",), ("SELECT",)]
    assert (restored_media / "archive" / "x.pdf").read_bytes() == b"%PDF-1.7 archived"


def test_restore_refuses_a_database_that_is_not_empty(marked_world):
    run = backup.make_backup()
    with pytest.raises(CommandError, match="не пуста"):
        call_command("restore", run.destinations[0], "--into", pg.conninfo())


def test_the_drill_passes_on_a_good_backup_and_fails_loudly_on_one_changed_byte(marked_world, settings):
    backup.make_backup(BackupRun.Kind.WEEKLY)
    drill = restore.restore_drill()
    assert drill.status == RestoreDrill.Status.OK, drill.error
    assert drill.audit_events == 3 and drill.tables > 50 and drill.rows > 0
    call_command("restore_drill", stdout=io.StringIO())

    newest = restore.newest_backup()
    dump = newest / "db.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0x01
    dump.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="db.dump .*повреждён"):
        call_command("restore_drill", str(newest))
    failed = RestoreDrill.objects.filter(status=RestoreDrill.Status.FAILED).get()
    assert "SHA-256" in failed.error
    told = set(Notification.objects.filter(title__contains="восстановления").values_list("user_id", flat=True))
    assert {marked_world.admin.pk, marked_world.director.pk} <= told


def test_a_truncated_file_and_an_edited_manifest_are_named(marked_world):
    run = backup.make_backup()
    a, b = (Path(p) for p in run.destinations)
    media = a / "media.tar"
    media.write_bytes(media.read_bytes()[:-100])
    with pytest.raises(pg.MaintenanceError, match="обрезан"):
        restore.verify_backup(a)
    manifest = json.loads((b / "manifest.json").read_text())
    manifest["tables"]["journal_mark"] = 99
    (b / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(pg.MaintenanceError, match="Подпись описи"):
        restore.verify_backup(b)


def test_the_drill_fails_when_the_restored_rows_do_not_match_the_manifest(marked_world):
    run = backup.make_backup()
    path = Path(run.destinations[0])
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["tables"]["journal_mark"] += 1  # as if a row were lost between dump and manifest
    data = json.dumps(manifest).encode()
    (path / "manifest.json").write_bytes(data)
    (path / "manifest.sig").write_text(backup.sign_manifest(data))
    drill = restore.restore_drill(path)
    assert drill.status == RestoreDrill.Status.FAILED
    assert "journal_mark: 2 / 3" in drill.error


def test_a_missing_destination_fails_with_a_message_and_a_notification(marked_world, settings, tmp_path):
    settings.BACKUP_DIRS = [settings.BACKUP_DIRS[0], str(tmp_path / "unmounted-share")]
    with pytest.raises(CommandError, match="не найден.*unmounted-share"):
        call_command("backup")
    run = BackupRun.objects.get()
    assert run.status == BackupRun.Status.FAILED and "unmounted-share" in run.error
    told = set(Notification.objects.filter(title="Резервная копия не создана").values_list("user_id", flat=True))
    assert told == {marked_world.admin.pk, marked_world.director.pk}
    assert _backups(settings)[0] == []


def test_a_full_destination_fails_and_leaves_no_partial_backup(marked_world, settings, monkeypatch):
    monkeypatch.setattr(backup, "free_space", lambda path: 1024)
    with pytest.raises(pg.MaintenanceError, match="Недостаточно места"):
        backup.make_backup()
    for d in settings.BACKUP_DIRS:
        assert list(Path(d).iterdir()) == []
    assert BackupRun.objects.get().status == BackupRun.Status.FAILED
    told = set(Notification.objects.filter(title="Резервная копия не создана").values_list("user_id", flat=True))
    assert told == {marked_world.admin.pk, marked_world.director.pk}


def test_a_backup_never_holds_the_keys_even_under_media_root(marked_world, settings, tmp_path):
    """The audit key and the school's signing certificate stay out of every backup: not in
    the dump (the key is not in the database) and not in media.tar, even where a
    deployment put the key file and SIGNING_DIR under MEDIA_ROOT."""
    media = Path(settings.MEDIA_ROOT)
    key = "file-audit-key-" + "7" * 40
    settings.AUDIT_KEY_FILE = str(media / "keys" / "audit.key")
    settings.SIGNING_DIR = str(media / "signing")
    Path(settings.AUDIT_KEY_FILE).parent.mkdir(parents=True)
    Path(settings.AUDIT_KEY_FILE).write_text(key)
    Path(settings.SIGNING_DIR).mkdir()
    (Path(settings.SIGNING_DIR) / "school-1.p12").write_bytes(b"PKCS12-secret-bytes")
    (media / "archive" / "x.pdf").write_bytes(b"%PDF-1.7 archived")
    run = backup.make_backup()
    for dest in run.destinations:
        with tarfile.open(Path(dest) / "media.tar") as tar:
            names = tar.getnames()
            blob = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
        assert names == ["archive/x.pdf"]
        assert key.encode() not in blob and b"PKCS12-secret-bytes" not in blob
        sql = subprocess.run(
            [pg.program("pg_restore"), "--file=-", str(Path(dest) / "db.dump")], capture_output=True, check=True
        ).stdout
        assert b"journal_mark" in sql  # the dump is readable as SQL…
        for secret in (settings.AUDIT_HMAC_KEY, key):  # …and holds neither key
            assert secret.encode() not in sql


def test_weekly_backups_are_rotated_and_year_end_ones_kept(marked_world, settings):
    settings.BACKUP_KEEP = 2
    start = timezone.now()
    for i in range(3):
        backup.make_backup(BackupRun.Kind.WEEKLY, now=start + timezone.timedelta(days=7 * i))
    backup.make_backup(BackupRun.Kind.YEAR_END, now=start + timezone.timedelta(days=30))
    for listing in _backups(settings):
        assert [p.name.rsplit("-", 1)[1] for p in listing] == ["weekly", "weekly", "year_end"]


def test_a_missed_backup_is_announced(marked_world):
    assert backup.check_recent() is False
    assert Notification.objects.filter(title="Резервная копия пропущена").count() == 2
    backup.make_backup()
    assert backup.check_recent() is True


def test_the_audit_chain_of_a_backup_is_checked_by_the_drill(marked_world):
    with transaction.atomic():
        audit.record(actor=marked_world.teacher, action="mark.view", obj=marked_world.lessons[0])
    backup.make_backup()
    drill = restore.restore_drill()
    assert drill.status == RestoreDrill.Status.OK and drill.audit_events == 4
