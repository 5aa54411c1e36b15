"""Access rows for the year archive (reports/urls_archive.py; docs/ARCHIVE.md): the
administrator builds it and uploads the certificate, the director signs, administrator,
director and deputy read and verify; another school's item is a 404 (the outsider is the
deputy of the foreign school)."""

from pathlib import Path

from . import Row

READERS = {"admin": 200, "director": 200, "deputy": 200}


def _item(w):
    from django.conf import settings

    from journal.models import StudyPeriod
    from reports.models import ArchiveItem, ArchiveRun

    period = StudyPeriod.objects.filter(year=w.year).first()
    run = ArchiveRun.objects.create(school=w.school, period=period, status="done")
    path = f"{w.school.pk}/matrix/{run.pk}.pdf"
    target = Path(settings.ARCHIVE_DIRS[0]) / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"%PDF-1.7 matrix")
    return ArchiveItem.objects.create(
        run=run,
        school=w.school,
        kind="summary_marks",
        school_class=w.klass,
        period=period,
        title="matrix",
        path=path,
        sha256="0" * 64,
        size=15,
        retain_until="2052-05-31",
    )


def _period(w):
    from journal.models import StudyPeriod

    return {"period": StudyPeriod.objects.filter(year=w.year).first().pk}


ROWS = [
    Row("archive:index", expect={**READERS, "outsider": 200}, default=403),
    Row("archive:build", method="POST", data=_period, expect={"admin": 302}, default=403),
    Row("archive:certificate", expect={"admin": 200}, default=403),
    Row(
        "archive:sign",
        method="POST",
        kwargs=lambda w: {"pk": _item(w).pk},
        data=lambda w: {"password": "x"},
        expect={"director": 302},
        note="no certificate yet: a message and back to the archive",
    ),
    Row("archive:verify", method="POST", kwargs=lambda w: {"pk": _item(w).pk}, expect=READERS),
    Row("archive:file", kwargs=lambda w: {"pk": _item(w).pk}, expect=READERS),
]
