"""`manage.py restore` and the restore drill (docs/ARCHIVE.md "Backups").

A backup is verified before anything is restored: every file's size and SHA-256 against
the manifest, and the manifest's signature when the audit key is at hand. The drill
(monthly, by beat) restores the newest backup into a scratch database, compares every
table's row count with the manifest, recomputes the audit chain and its heads, records
the result and alerts on any mismatch; the scratch database is dropped afterwards.
"""

import json
import logging
import os
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import verify_events
from accounts.models import AuditEvent

from . import pg, roles
from .backup import DUMP, MANIFEST, MEDIA, SIGNATURE, list_backups, sha256_file, sign_manifest
from .models import RestoreDrill
from .pg import MaintenanceError

log = logging.getLogger(__name__)


def verify_backup(path) -> dict:
    """The manifest of an intact backup; MaintenanceError naming what is damaged otherwise."""
    path = Path(path)
    if not (path / MANIFEST).is_file():
        raise MaintenanceError(_("Это не резервная копия (нет описи manifest.json): %(path)s") % {"path": path})
    data = (path / MANIFEST).read_bytes()
    try:
        expected = sign_manifest(data)
    except ImproperlyConfigured:
        expected = None  # restoring on a machine without the key: the checksums still count
    if expected is not None and (
        not (path / SIGNATURE).is_file() or (path / SIGNATURE).read_text().strip() != expected
    ):
        raise MaintenanceError(_("Подпись описи резервной копии не совпадает: опись изменена."))
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        raise MaintenanceError(_("Опись резервной копии повреждена.")) from exc
    for name, meta in manifest["files"].items():
        f = path / name
        if not f.is_file():
            raise MaintenanceError(_("В резервной копии нет файла %(file)s.") % {"file": name})
        size = f.stat().st_size
        if size != meta["size"]:
            raise MaintenanceError(
                _("Файл %(file)s резервной копии обрезан или дописан: %(size)d байт вместо %(expected)d.")
                % {"file": name, "size": size, "expected": meta["size"]}
            )
        if sha256_file(f) != meta["sha256"]:
            raise MaintenanceError(_("Файл %(file)s резервной копии повреждён: SHA-256 не совпадает.") % {"file": name})
    return manifest


def restore(path, into: str, *, media_into=None, grant=True) -> dict:
    """Restore a verified backup into the empty database `into` (a libpq DSN or URL)."""
    path = Path(path)
    manifest = verify_backup(path)
    with pg.connect(into, autocommit=True) as conn, conn.cursor() as cur:
        if pg.public_tables(cur):
            raise MaintenanceError(_("База данных для восстановления не пуста: восстановление только в пустую базу."))
    pg.run(
        [
            pg.program("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            into,
            str(path / DUMP),
        ],
        _("pg_restore не выполнен"),
    )
    role = roles.runtime_role()
    if grant and role:
        with pg.connect(into, autocommit=True) as conn, conn.cursor() as cur:
            roles.grant_runtime(cur, role)
    if media_into:
        target = Path(media_into)
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(path / MEDIA) as tar:
            tar.extractall(target, filter="data")
    return manifest


def newest_backup(dirs=None) -> Path:
    found = [p for d in (dirs or settings.BACKUP_DIRS) for p in list_backups(Path(d))]
    if not found:
        raise MaintenanceError(_("Нет ни одной резервной копии в каталогах BACKUP_DIRS."))
    return max(found, key=lambda p: p.name)


def _read_audit(cur) -> list[AuditEvent]:
    cur.execute(f"SELECT {pg.AUDIT_COLUMNS} FROM accounts_auditevent ORDER BY school_id NULLS LAST, id")
    cols = [c.name for c in cur.description]
    return [AuditEvent(**dict(zip(cols, row, strict=True))) for row in cur.fetchall()]


def _check_restored(dsn: str, manifest: dict, drill: RestoreDrill) -> None:
    with pg.connect(dsn, autocommit=True) as conn, conn.cursor() as cur:
        counts = pg.row_counts(cur)
        expected = manifest["tables"]
        wrong = [f"{t}: {counts.get(t, '—')} / {n}" for t, n in sorted(expected.items()) if counts.get(t) != n] + [
            f"{t}: {counts[t]} / —" for t in sorted(set(counts) - set(expected))
        ]
        drill.tables, drill.rows = len(counts), sum(counts.values())
        if wrong:
            raise MaintenanceError(_("Число строк не совпадает с описью: %(tables)s") % {"tables": "; ".join(wrong)})
        events = _read_audit(cur)
        drill.audit_events = len(events)
        problems = verify_events(sorted(events, key=lambda e: (e.school_id is None, e.school_id or 0, e.id)))
        if problems:
            s, e, why = problems[0]
            raise MaintenanceError(
                _("Цепочка аудита восстановленной базы нарушена (школа %(school)s, запись %(event)s: %(why)s).")
                % {"school": s, "event": e, "why": why}
            )
        if pg.audit_heads(cur) != manifest["audit_heads"]:
            raise MaintenanceError(_("Вершины цепочек аудита не совпадают с описью."))


def restore_drill(path=None, now=None) -> RestoreDrill:
    """Restore the newest (or given) backup into a scratch database and check it."""
    started = now or timezone.now()
    drill = RestoreDrill(started_at=started, backup_path=str(path or ""), backup_name=Path(path or "").name)
    owner = pg.owner_settings()
    scratch = f"{owner['NAME']}_drill_{os.getpid()}"[:63]
    admin_dsn = pg.conninfo(owner, dbname="postgres")
    created = False
    try:
        path = Path(path) if path else newest_backup()
        drill.backup_path, drill.backup_name = str(path), path.name
        drill.size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
        with pg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
            conn.execute(f'CREATE DATABASE "{scratch}"')
            created = True
        dsn = pg.conninfo(owner, dbname=scratch)
        manifest = restore(path, dsn, grant=False)
        _check_restored(dsn, manifest, drill)
        drill.status = RestoreDrill.Status.OK
    except (MaintenanceError, OSError, KeyError, ValueError) as exc:
        drill.status = RestoreDrill.Status.FAILED
        drill.error = str(exc)[:2000] or exc.__class__.__name__
    finally:
        if created:
            # No WITH (FORCE): it refuses to end an autovacuum worker unless the owner is in
            # pg_signal_backend, while a plain DROP ends autovacuum itself and waits 5 s for
            # our own just-closed sessions to go.
            with pg.connect(admin_dsn, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    drill.finished_at = timezone.now()
    drill.save()
    if drill.status == RestoreDrill.Status.FAILED:
        from journal import alerts

        log.error("restore drill of %s failed: %s", drill.backup_name, drill.error)
        alerts.notify_all_schools(
            _("Проверка восстановления из резервной копии не прошла"),
            _("Копия %(name)s не восстановилась как следует:\n%(error)s")
            % {"name": drill.backup_name, "error": drill.error},
        )
    return drill
