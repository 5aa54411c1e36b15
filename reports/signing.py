"""PAdES signatures of archived documents (docs/ARCHIVE.md "Electronic signature").

The administrator uploads the school's PKCS#12 file; it is checked with its password
(which is then forgotten) and kept under SIGNING_DIR, outside the database, MEDIA_ROOT
and the backups. The director signs an archived PDF: the password is asked again, the
signed copy (an incremental PAdES B-B update by pyHanko, the original bytes untouched)
goes to both archive media, and the signature is recorded with an audit event in the
same transaction. Verification uses pyHanko's validator with the school's certificate
as the trust anchor (a qualified ГОСТ certificate: see docs/ARCHIVE.md).
"""

import hashlib
import io
import os
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from . import archive
from .models_archive import ArchiveItem, SchoolCertificate


class SigningError(Exception):
    pass


def _load(data: bytes, password: str):
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode())
    except ValueError as exc:
        raise SigningError(_("Неверный пароль сертификата или файл не в формате PKCS#12.")) from exc
    if key is None or cert is None:
        raise SigningError(_("В файле PKCS#12 нет закрытого ключа или сертификата."))
    return key, cert, extra or []


def _name(x509name) -> str:
    return x509name.rfc4514_string()[:500]


def save_certificate(school, data: bytes, password: str, user) -> SchoolCertificate:
    """Check the file with its password and keep it (the password is not kept)."""
    _key, cert, _extra = _load(data, password)
    now = timezone.now()
    if cert.not_valid_after_utc < now:
        raise SigningError(_("Срок действия сертификата истёк."))
    directory = Path(settings.SIGNING_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / f"school-{school.pk}.p12"
    fd = os.open(path.with_suffix(".partial"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    path.with_suffix(".partial").rename(path)
    fields = {
        "filename": path.name,
        "subject": _name(cert.subject),
        "issuer": _name(cert.issuer),
        "serial": format(cert.serial_number, "x")[:100],
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
        "sha256": hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest(),
        "pem": cert.public_bytes(Encoding.PEM).decode(),
        "uploaded_by": user,
    }
    with audit.chain(school.pk):  # the chain lock first, then the row (docs/ARCHITECTURE.md, the audit trail)
        obj, _created = SchoolCertificate.objects.update_or_create(school=school, defaults=fields)
        audit.record(
            actor=user,
            action="archive.certificate",
            obj=obj,
            school=school,
            after={k: str(v) for k, v in fields.items() if k != "pem"},
        )
    return obj


def _certificate_file(school) -> tuple[SchoolCertificate, bytes]:
    cert = SchoolCertificate.objects.filter(school=school).first()
    if cert is None:
        raise SigningError(_("Администратор ещё не загрузил сертификат подписи школы."))
    path = Path(settings.SIGNING_DIR) / cert.filename
    if not path.is_file():
        raise SigningError(_("Файл сертификата подписи не найден на сервере; загрузите его заново."))
    return cert, path.read_bytes()


def sign_item(item: ArchiveItem, user, password: str) -> ArchiveItem:
    """The director's PAdES signature on an archived PDF."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    if item.signed_path:
        raise SigningError(_("Документ уже подписан."))
    cert, data = _certificate_file(item.school)
    _load(data, password)  # a wrong password: a clear message, not pyHanko's
    signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=None, passphrase=password.encode())
    original = archive.read(item.path)
    if archive.sha256_bytes(original) != item.sha256:
        raise SigningError(_("Файл архива повреждён (SHA-256 не совпадает): подписывать нельзя."))
    meta = signers.PdfSignatureMetadata(
        field_name="DirectorSignature",
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=_("Заверено директором"),
        name=user.full_name if hasattr(user, "full_name") else str(user),
    )
    signed = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(original)), meta, signer=signer).getvalue()
    relpath = item.path.removesuffix(".pdf") + ".signed.pdf"
    archive.write_both(relpath, signed)
    now = timezone.now()
    with audit.chain(item.school_id):
        locked = ArchiveItem.objects.select_for_update().get(pk=item.pk)
        if locked.signed_path:
            raise SigningError(_("Документ уже подписан."))
        locked.signed_path, locked.signed_sha256, locked.signed_size = (
            relpath,
            archive.sha256_bytes(signed),
            len(signed),
        )
        locked.signed_by, locked.signed_at, locked.signer_subject = user, now, cert.subject
        locked.save(
            update_fields=["signed_path", "signed_sha256", "signed_size", "signed_by", "signed_at", "signer_subject"]
        )
        audit.record(
            actor=user,
            action="archive.sign",
            obj=locked,
            school=item.school_id,
            after={"signed_sha256": locked.signed_sha256, "certificate": cert.sha256, "subject": cert.subject},
        )
    return locked


def validate_item(item: ArchiveItem) -> dict:
    """pyHanko's validation of the signed copy: intact, valid, trusted, signer, time."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    if not item.signed_path:
        raise SigningError(_("Документ не подписан."))
    cert = SchoolCertificate.objects.filter(school_id=item.school_id).first()
    if cert is None:
        raise SigningError(_("Администратор ещё не загрузил сертификат подписи школы."))
    try:
        signed = archive.read(item.signed_path)
    except OSError as exc:
        raise SigningError(_("Подписанный файл не найден в архиве.")) from exc
    roots = [asn1_x509.Certificate.load(der) for der in _trust_roots(cert)]
    try:
        sigs = PdfFileReader(io.BytesIO(signed)).embedded_signatures
        status = validate_pdf_signature(sigs[0], ValidationContext(trust_roots=roots))
    except Exception as exc:  # noqa: BLE001 — a damaged file is a failed check, with its reason
        return {"ok": False, "intact": False, "valid": False, "trusted": False, "error": str(exc)}
    return {
        "ok": bool(status.bottom_line) and archive.sha256_bytes(signed) == item.signed_sha256,
        "intact": status.intact,
        "valid": status.valid,
        "trusted": status.trusted,
        "signer": status.signing_cert.subject.human_friendly,
        "signed_at": status.signer_reported_dt,
        "coverage": str(status.coverage),
        "details": status.pretty_print_details(),
        "error": "",
    }


def _trust_roots(cert: SchoolCertificate) -> list[bytes]:
    """DER certificates trusted for the school's signatures: the configured CA roots
    (SIGNING_TRUST_ROOTS, PEM or DER files: a qualified certificate's accredited CA,
    docs/ARCHIVE.md), else the school's own uploaded certificate."""
    from cryptography import x509

    roots = []
    for p in getattr(settings, "SIGNING_TRUST_ROOTS", []):
        raw = Path(p).read_bytes()
        c = x509.load_pem_x509_certificate(raw) if b"-----BEGIN" in raw else x509.load_der_x509_certificate(raw)
        roots.append(c.public_bytes(Encoding.DER))
    return roots or [x509.load_pem_x509_certificate(cert.pem.encode()).public_bytes(Encoding.DER)]
