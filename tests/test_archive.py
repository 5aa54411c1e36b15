"""The year archive of the small demo: built with the report builders on two media, a
summary sheet signed by the director (PAdES, verified by pyHanko's validator), a changed
byte found by the nightly check and announced (docs/ARCHIVE.md)."""

import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from accounts import anchors
from accounts.models import AuditEvent, RoleAssignment
from demo import seeding as demo
from journal.models import Notification, StudyPeriod
from reports import archive, signing
from reports.models import ArchiveItem, ArchiveRun, SchoolCertificate

from .certs import self_signed_p12
from .conftest import module_transaction, records_in

TODAY = date(2026, 11, 20)
PASSWORD = "секрет-школы"


@pytest.fixture(scope="module")
def archived_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demo and its archive, built once for the module (seconds of PDFs): in a
    module transaction, its files under a base of its own."""
    with module_transaction(django_db_blocker), records_in(tmp_path_factory.mktemp("archived")) as base:
        with django_db_blocker.unblock():
            (school,) = demo.seed("small", seed=3, today=TODAY)
            with connection.cursor() as cur:
                cur.execute("ANALYZE")  # fresh tables in one transaction: give the planner their sizes
            period = StudyPeriod.objects.filter(year__school=school, start__lte=TODAY).order_by("-start").first()
            run = archive.build(ArchiveRun.objects.create(school=school, period=period).pk)
        assert run.status == ArchiveRun.Status.DONE, run.error
        yield school, run, base


@pytest.fixture
def archived(archived_once, db, records_outside_the_database):
    """Each test gets its own copy of the archive's files (a test damages some): what it
    changes in the database is rolled back with its savepoint."""
    school, run, base = archived_once
    for part in ("media", "archive-b", "anchors"):
        shutil.copytree(base / part, records_outside_the_database / part, dirs_exist_ok=True)
    return school, run


def _head(school, role):
    return RoleAssignment.objects.filter(school=school, role=role).select_related("user").first().user


def test_the_archive_holds_every_class_journal_and_summary_sheet_on_two_media(archived, settings):
    school, run = archived
    items = list(run.items.order_by("path"))
    classes = school.years.get().classes.count()
    assert len(items) == 2 * classes
    assert {i.kind for i in items} == {"class_journal", "summary_marks"}
    for item in items:
        a, b = (Path(d) / item.path for d in settings.ARCHIVE_DIRS)
        assert a.read_bytes() == b.read_bytes() and a.read_bytes().startswith(b"%PDF")
        assert archive.sha256_file(a) == item.sha256
        years = 25 if item.kind == "summary_marks" else 5
        assert item.retain_until == date(2027 + years, 5, 31)
    manifest = (Path(settings.ARCHIVE_DIRS[1]) / run.manifest).read_text()
    assert all(i.sha256 in manifest for i in items) and "audit_chain_heads" in manifest
    # the chain head went into the anchor file too
    entries, problems = anchors.read()
    assert problems == [] and entries[-1]["source"] == f"archive:{run.pk}"
    _nothing_deleted_before_its_term(items[0])
    _monthly_sample_checks_the_second_copy(items[0], settings)


def test_sign_a_summary_sheet_validate_it_then_a_changed_byte_is_reported(archived, client):
    school, run = archived
    admin, director = _head(school, "admin"), _head(school, "director")
    with pytest.raises(signing.SigningError, match="Неверный пароль"):
        signing.save_certificate(school, self_signed_p12(PASSWORD), "не тот", admin)
    signing.save_certificate(school, self_signed_p12(PASSWORD), PASSWORD, admin)
    cert = SchoolCertificate.objects.get(school=school)
    assert PASSWORD not in str(list(SchoolCertificate.objects.values()))  # never in the database

    item = run.items.filter(kind="summary_marks").first()
    with pytest.raises(signing.SigningError, match="Неверный пароль"):
        signing.sign_item(item, director, "не тот")
    item = signing.sign_item(item, director, PASSWORD)
    assert item.signed_by == director and item.signed_at
    assert AuditEvent.objects.filter(action="archive.sign", object_id=str(item.pk), actor=director).exists()

    # pyHanko's own validator, with the school's certificate as the trust anchor
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509

    root = asn1_x509.Certificate.load(x509.load_pem_x509_certificate(cert.pem.encode()).public_bytes(Encoding.DER))
    signed = archive.read(item.signed_path, medium=1)
    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root]))
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert "Белов" in status.signing_cert.subject.human_friendly
    assert signing.validate_item(item)["ok"]

    # the archive page shows who signed, and verifies on request
    client.force_login(director)
    page = client.get(reverse("archive:index")).content.decode()
    assert "подписал" in page and director.last_name in page
    resp = client.post(reverse("archive:verify", args=[item.pk]))
    assert "Подпись действительна" in resp.content.decode()

    # one byte of the stored signed file changes on the first medium
    path = Path(archive.media()[0]) / item.signed_path
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    damaged = archive.verify()
    assert [d.pk for d in damaged] == [item.pk]
    item.refresh_from_db()
    assert item.verified_ok is False and "подписанный файл" in item.verify_error
    told = set(Notification.objects.filter(title="Документы архива повреждены").values_list("user_id", flat=True))
    assert told == {admin.pk, director.pk}
    assert not signing.validate_item(item)["ok"]
    assert "Подпись не подтверждена" in client.post(reverse("archive:verify", args=[item.pk])).content.decode()


def _monthly_sample_checks_the_second_copy(item, settings):
    (Path(settings.ARCHIVE_DIRS[1]) / item.path).write_bytes(b"%PDF truncated")
    damaged = archive.verify_sample(size=100)
    assert [d.pk for d in damaged] == [item.pk]
    assert "носителе 2" in ArchiveItem.objects.get(pk=item.pk).verify_error


def _nothing_deleted_before_its_term(item):
    for sql, params in [
        ("DELETE FROM reports_archiveitem WHERE id = %s", [item.pk]),
        ("UPDATE reports_archiveitem SET sha256 = 'x' WHERE id = %s", [item.pk]),
        ("UPDATE reports_archiveitem SET retain_until = '2027-01-01' WHERE id = %s", [item.pk]),
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, params)
    assert ArchiveItem.objects.filter(pk=item.pk, sha256=item.sha256).exists()
