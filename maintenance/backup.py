"""`manage.py backup`: the database and the archive files, to every backup directory.

docs/DESIGN.md §3.21 (backups at least weekly, on two separate media): one backup is
a directory

    ejournal-YYYYMMDD-HHMMSS-<kind>/
        db.dump        pg_dump --format=custom, as the schema owner
        media.tar      MEDIA_ROOT (report and archive files); never the keys
        manifest.json  SHA-256 and size of both, row count of every table and the audit
                       chain heads, all from the dump's own snapshot
        manifest.sig   HMAC of the manifest (the audit key's "backup" key)

written first as a hidden `.NAME.partial` directory and renamed when complete, so a
half-written backup is never taken for one. Each further directory receives a copy whose
checksums are verified before it is renamed. Weekly backups beyond BACKUP_KEEP are
removed per directory; year-end and manual ones stay.
"""

import hashlib
import json
import logging
import os
import shutil
import tarfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit_keys

from . import pg
from .models import BackupRun
from .pg import MaintenanceError

log = logging.getLogger(__name__)
FORMAT = 1
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
DUMP, MEDIA = "db.dump", "media.tar"
SPACE_MARGIN = 1.1  # a destination needs the backup's size plus 10 %


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sign_manifest(data: bytes) -> str:
    return audit_keys.mac("backup-manifest", data)


def free_space(path: Path) -> int:
    return shutil.disk_usage(path).free


def destinations(dirs=None) -> list[Path]:
    dirs = [Path(d) for d in (dirs or settings.BACKUP_DIRS)]
    if not dirs:
        raise MaintenanceError(_("Не задан ни один каталог для резервных копий (BACKUP_DIRS)."))
    for d in dirs:
        if not d.is_dir():
            raise MaintenanceError(_("Каталог для резервных копий не найден: %(dir)s") % {"dir": d})
        if not os.access(d, os.W_OK | os.X_OK):
            raise MaintenanceError(_("Нет права записи в каталог резервных копий: %(dir)s") % {"dir": d})
    if len({d.resolve() for d in dirs}) < len(dirs):
        raise MaintenanceError(_("Каталоги резервных копий повторяются: нужны разные носители."))
    return dirs


def _dump(staging: Path) -> dict:
    """pg_dump of a snapshot, plus the row counts and chain heads of that same snapshot."""
    dsn = pg.conninfo()
    with pg.connect(dsn) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with conn.cursor() as cur:
            tables = pg.row_counts(cur)
            heads = pg.audit_heads(cur)
            server = conn.info.server_version
        pg.run(
            [pg.program("pg_dump"), "--format=custom", f"--snapshot={snapshot}", "--file", str(staging / DUMP), dsn],
            _("pg_dump не выполнен"),
        )
        conn.rollback()
    return {"tables": tables, "audit_heads": heads, "server_version": server}


def _secrets() -> tuple[Path | None, Path]:
    """The audit key file and the signing certificates' directory: never in a backup,
    even where a deployment put them under MEDIA_ROOT."""
    key = getattr(settings, "AUDIT_KEY_FILE", "")
    return (Path(key).resolve() if key else None), Path(settings.SIGNING_DIR).resolve()


def _is_secret(path: Path, key: Path | None, signing: Path) -> bool:
    real = path.resolve()
    return real == key or real.is_relative_to(signing)


def _tar_media(staging: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    key, signing = _secrets()
    with tarfile.open(staging / MEDIA, "w") as tar:
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_file() and not path.name.endswith(".partial") and not _is_secret(path, key, signing):
                    tar.add(path, arcname=str(path.relative_to(media)), recursive=False)


def _write_manifest(staging: Path, name: str, kind: str, info: dict, now) -> bytes:
    manifest = {
        "format": FORMAT,
        "name": name,
        "kind": kind,
        "created_at": now.isoformat(),
        "database": {"name": pg.owner_settings()["NAME"], "server_version": info["server_version"]},
        "files": {f: {"sha256": sha256_file(staging / f), "size": (staging / f).stat().st_size} for f in (DUMP, MEDIA)},
        "tables": info["tables"],
        "audit_heads": info["audit_heads"],
    }
    data = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode()
    (staging / MANIFEST).write_bytes(data)
    (staging / SIGNATURE).write_text(sign_manifest(data))
    return data


def _copy_verified(src: Path, dest_dir: Path, manifest: dict) -> Path:
    tmp = dest_dir / f".{src.name}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp)
    for f, meta in manifest["files"].items():
        if sha256_file(tmp / f) != meta["sha256"]:
            shutil.rmtree(tmp, ignore_errors=True)
            raise MaintenanceError(
                _("Копия в %(dir)s не совпала с оригиналом (%(file)s).") % {"dir": dest_dir, "file": f}
            )
    final = dest_dir / src.name
    tmp.rename(final)
    return final


def list_backups(directory: Path) -> list[Path]:
    """Complete backups in one directory, oldest first."""
    if not directory.is_dir():
        return []
    return sorted(
        p for p in directory.iterdir() if p.is_dir() and p.name.startswith("ejournal-") and (p / MANIFEST).exists()
    )


def rotate(directory: Path, keep: int) -> list[Path]:
    weekly = [p for p in list_backups(directory) if p.name.endswith(f"-{BackupRun.Kind.WEEKLY}")]
    removed = weekly[: max(0, len(weekly) - keep)]
    for p in removed:
        shutil.rmtree(p)
    return removed


def make_backup(kind: str = BackupRun.Kind.MANUAL, dirs=None, now=None) -> BackupRun:
    """Write one backup to every destination. Any failure: a failed run, an alert, an exception."""
    now = now or timezone.now()
    name = f"ejournal-{timezone.localtime(now):%Y%m%d-%H%M%S}-{kind}"
    run = BackupRun.objects.create(name=name, kind=kind, started_at=now)
    written: list[Path] = []
    try:
        dests = destinations(dirs)
        staging = dests[0] / f".{name}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            info = _dump(staging)
            _tar_media(staging)
            data = _write_manifest(staging, name, kind, info, now)
            manifest = json.loads(data)
            size = sum(f.stat().st_size for f in staging.iterdir())
            for d in dests:
                if free_space(d) < size * SPACE_MARGIN:
                    raise MaintenanceError(
                        _("Недостаточно места в %(dir)s: нужно %(need)d МБ, свободно %(free)d МБ.")
                        % {"dir": d, "need": size * SPACE_MARGIN // 2**20 + 1, "free": free_space(d) // 2**20}
                    )
            first = dests[0] / name
            staging.rename(first)
            written.append(first)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        for d in dests[1:]:
            written.append(_copy_verified(first, d, manifest))
        for d in dests:
            rotate(d, settings.BACKUP_KEEP)
    except (MaintenanceError, OSError) as exc:
        _fail(run, str(exc), written)
        raise MaintenanceError(str(exc)) from exc
    run.status = BackupRun.Status.OK
    run.finished_at = timezone.now()
    run.size = size
    run.destinations = [str(p) for p in written]
    run.manifest_sha256 = hashlib.sha256(data).hexdigest()
    run.save(update_fields=["status", "finished_at", "size", "destinations", "manifest_sha256"])
    return run


def _fail(run: BackupRun, error: str, written: list[Path]) -> None:
    from journal import alerts

    log.error("backup %s failed: %s", run.name, error)
    run.status = BackupRun.Status.FAILED
    run.finished_at = timezone.now()
    run.error = error[:2000]
    run.destinations = [str(p) for p in written]
    run.save(update_fields=["status", "finished_at", "error", "destinations"])
    alerts.notify_all_schools(
        _("Резервная копия не создана"),
        _("Резервное копирование %(name)s завершилось ошибкой:\n%(error)s") % {"name": run.name, "error": error},
    )


def check_recent(now=None) -> bool:
    """Beat, daily: has a complete backup been made recently? If not, alert (once a day)."""
    now = now or timezone.now()
    last = BackupRun.objects.filter(status=BackupRun.Status.OK).order_by("-started_at").first()
    if last and last.started_at >= now - timedelta(days=settings.BACKUP_MAX_AGE_DAYS):
        return True
    from journal import alerts

    when = timezone.localtime(last.started_at).strftime("%d.%m.%Y %H:%M") if last else _("никогда")
    alerts.notify_all_schools(
        _("Резервная копия пропущена"),
        _("Последняя успешная резервная копия: %(when)s. Копии должны создаваться не реже раза в неделю.")
        % {"when": when},
    )
    return False
