"""The year archive (docs/DESIGN.md §3 "Retention and archive"; docs/ARCHIVE.md).

At the end of each period (beat) or on demand, a background job builds every class's
printed journal for the period and its summary sheet of marks with the existing report
builders, writes each PDF to both archive media (ARCHIVE_DIRS) and verifies the second
copy, writes a manifest (every file's SHA-256, size and term, and the school's audit
chain heads, HMAC-signed) and anchors the chain heads (accounts.anchors). A nightly job
re-verifies every item's first copy, a monthly one a random sample against the second
copy; a damaged item is marked and announced to the administrator and the director.
"""

import hashlib
import json
import logging
import os
import random
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import anchors, audit_keys
from ejournal.queue import enqueue
from journal.models import SchoolClass, StudyPeriod

from .builders import journal_print, marks
from .models_archive import ArchiveItem, ArchiveRun

log = logging.getLogger(__name__)
BUILDERS = {
    ArchiveItem.Kind.CLASS_JOURNAL: lambda k, p: journal_print.class_journal(k, p),
    ArchiveItem.Kind.SUMMARY_MARKS: lambda k, p: marks.summary_marks(k),
}


class ArchiveError(Exception):
    pass


def media() -> list[Path]:
    dirs = [Path(d) for d in settings.ARCHIVE_DIRS]
    if len(dirs) < 2:
        raise ArchiveError(_("Для архива нужны два носителя (ARCHIVE_DIRS)."))
    return dirs


def retain_until(kind: str, period: StudyPeriod) -> date:
    years = settings.ARCHIVE_RETENTION_YEARS[kind]
    end = period.year.end
    try:
        return end.replace(year=end.year + years)
    except ValueError:  # 29 February
        return end.replace(year=end.year + years, day=28)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    if not path.is_file():
        return None
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def write_both(relpath: str, data: bytes) -> None:
    """Write to every medium (temporary name, fsync, rename) and read each copy back."""
    digest = sha256_bytes(data)
    for d in media():
        target = d / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".partial")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        tmp.rename(target)
        if sha256_file(target) != digest:
            raise ArchiveError(_("Копия на носителе %(dir)s не совпала с оригиналом.") % {"dir": d})


def read(relpath: str, medium: int = 0) -> bytes:
    return (media()[medium] / relpath).read_bytes()


def start(school, period: StudyPeriod, user=None) -> ArchiveRun:
    from . import tasks

    with transaction.atomic():
        run = ArchiveRun.objects.create(school=school, period=period, created_by=user)
        enqueue(tasks.archive_run, run.pk)
    return run


def build(run_id: int) -> ArchiveRun:
    """Build one archive run (idempotent: a run that is not queued is left alone)."""
    if not ArchiveRun.objects.filter(pk=run_id, status=ArchiveRun.Status.QUEUED).update(
        status=ArchiveRun.Status.RUNNING
    ):
        return ArchiveRun.objects.get(pk=run_id)
    run = ArchiveRun.objects.select_related("period__year", "school").get(pk=run_id)
    try:
        _build(run)
    except Exception as exc:  # noqa: BLE001 — recorded and announced, never silent
        log.exception("archive run %s failed", run_id)
        ArchiveRun.objects.filter(pk=run_id).update(
            status=ArchiveRun.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        _alert(
            run.school,
            _("Архив не сформирован"),
            _("Формирование архива за период «%(period)s» завершилось ошибкой: %(error)s")
            % {"period": run.period, "error": exc},
        )
    return ArchiveRun.objects.get(pk=run_id)


def _build(run: ArchiveRun) -> None:
    from ejournal.downloads import in_print_language

    from .render.pdf import render_pdf

    period = run.period
    base = f"{run.school_id}/{period.year.name.replace('/', '-')}/{run.pk}"
    classes = SchoolClass.objects.filter(year=period.year).select_related("year__school").order_by("grade", "letter")
    entries = []
    for klass in classes:
        for kind, builder in BUILDERS.items():
            with in_print_language():  # printed documents are in Russian (docs/DESIGN.md §4.5)
                report = builder(klass, period)
                data = render_pdf(report)
            relpath = f"{base}/{kind}-{klass.grade}{klass.letter}-p{period.number}.pdf"
            write_both(relpath, data)
            entries.append(
                ArchiveItem(
                    run=run,
                    school_id=run.school_id,
                    kind=kind,
                    school_class=klass,
                    period=period,
                    title=f"{report.title} — {klass}, {period}",
                    path=relpath,
                    sha256=sha256_bytes(data),
                    size=len(data),
                    retain_until=retain_until(kind, period),
                )
            )
    heads = {run.school_id: anchors.chain_heads().get(run.school_id, {"last_id": 0, "head": "", "count": 0})}
    manifest = {
        "school": run.school_id,
        "period": {"id": period.pk, "name": str(period), "year": period.year.name},
        "created_at": timezone.now().isoformat(),
        "items": [
            {"path": e.path, "kind": e.kind, "class": str(e.school_class), "sha256": e.sha256, "size": e.size}
            | {"retain_until": e.retain_until.isoformat()}
            for e in entries
        ],
        "audit_chain_heads": {str(k): v for k, v in heads.items()},
    }
    data = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode()
    manifest_path = f"{base}/manifest.json"
    write_both(manifest_path, data)
    write_both(f"{base}/manifest.sig", audit_keys.mac("archive-manifest", data).encode())
    anchors.append(source=f"archive:{run.pk}", heads=heads)
    with transaction.atomic():
        ArchiveItem.objects.bulk_create(entries)
        run.status = ArchiveRun.Status.DONE
        run.finished_at = timezone.now()
        run.manifest, run.manifest_sha256 = manifest_path, sha256_bytes(data)
        run.save(update_fields=["status", "finished_at", "manifest", "manifest_sha256"])


def ended_periods(today=None):
    """Periods that ended yesterday or earlier and have no archive run yet (beat, daily)."""
    today = today or timezone.localdate()
    done = ArchiveRun.objects.exclude(status=ArchiveRun.Status.FAILED).values("period_id")
    return (
        StudyPeriod.objects.filter(end__lt=today, year__is_closed=False, end__gte=today - timezone.timedelta(days=30))
        .exclude(pk__in=done)
        .select_related("year__school")
    )


def archive_ended_periods(today=None) -> list[ArchiveRun]:
    """Beat, daily: archive the periods just ended; send again runs never picked up."""
    from . import tasks

    stale = ArchiveRun.objects.filter(
        status=ArchiveRun.Status.QUEUED, created_at__lt=timezone.now() - timezone.timedelta(minutes=30)
    )
    for pk in stale.values_list("pk", flat=True):
        enqueue(tasks.archive_run, pk)
    return [start(p.year.school, p) for p in ended_periods(today)]


def _check(item: ArchiveItem, medium: int) -> str:
    """'' if the item's copy on `medium` (and its signed copy) is intact, else why not."""
    found = sha256_file(media()[medium] / item.path)
    if found is None:
        return _("файл отсутствует на носителе %(n)d") % {"n": medium + 1}
    if found != item.sha256:
        return _("файл изменён на носителе %(n)d (SHA-256 не совпадает)") % {"n": medium + 1}
    if item.signed_path and sha256_file(media()[medium] / item.signed_path) != item.signed_sha256:
        return _("подписанный файл изменён или отсутствует на носителе %(n)d") % {"n": medium + 1}
    return ""


def verify(items=None, *, mediums=(0,), now=None) -> list[ArchiveItem]:
    """Check items (default: all) on the given media; mark the result; announce damaged ones."""
    now = now or timezone.now()
    items = ArchiveItem.objects.select_related("school") if items is None else items
    damaged = []
    for item in items:
        why = next((w for w in (_check(item, m) for m in mediums) if w), "")
        ArchiveItem.objects.filter(pk=item.pk).update(verified_at=now, verified_ok=not why, verify_error=why)
        if why:
            item.verify_error = why
            damaged.append(item)
    by_school: dict = {}
    for item in damaged:
        by_school.setdefault(item.school, []).append(item)
    for school, bad in by_school.items():
        lines = [f"• {i.title}: {i.verify_error}" for i in bad]
        _alert(
            school,
            _("Документы архива повреждены"),
            _("Проверка архива обнаружила повреждённые документы:") + "\n" + "\n".join(lines),
        )
    return damaged


def verify_sample(size=None, now=None) -> list[ArchiveItem]:
    """Monthly: a random sample checked against the second medium (and the first)."""
    size = size or settings.ARCHIVE_SAMPLE_SIZE
    ids = list(ArchiveItem.objects.values_list("pk", flat=True))
    sample = random.sample(ids, min(size, len(ids)))
    items = list(ArchiveItem.objects.filter(pk__in=sample).select_related("school"))
    return verify(items, mediums=(1, 0), now=now)


def _alert(school, title, body):
    from journal import alerts

    with transaction.atomic():
        alerts.notify_heads(school, title, body)
