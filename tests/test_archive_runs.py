"""Archive runs: one per ended period, and a failed one announced to the school's heads
(docs/ARCHIVE.md "Year archive")."""

from datetime import timedelta

from django.db import transaction

from accounts import audit
from journal.models import Notification, StudyPeriod
from reports import archive
from reports.models import ArchiveRun


def test_a_failed_archive_is_announced(db, world, monkeypatch):
    period = StudyPeriod.objects.filter(year=world.year).first()
    monkeypatch.setattr(archive, "media", lambda: (_ for _ in ()).throw(archive.ArchiveError("один носитель")))
    run = archive.build(ArchiveRun.objects.create(school=world.school, period=period).pk)
    assert run.status == ArchiveRun.Status.FAILED and "один носитель" in run.error
    assert Notification.objects.filter(title="Архив не сформирован", user=world.director).exists()


def test_ended_periods_are_archived_once(db, world):
    period = StudyPeriod.objects.filter(year=world.year).order_by("start").first()
    day_after = period.end + timedelta(days=1)
    with transaction.atomic():
        audit.record(actor=world.admin, action="x", obj=world.school)
    runs = archive.archive_ended_periods(today=day_after)
    assert [r.period_id for r in runs if r.school_id == world.school.pk] == [period.pk]
    assert archive.archive_ended_periods(today=day_after) == []
