"""The year archive: documents kept for their legal term on two media, and their signatures.

docs/DESIGN.md §3 "Retention and archive": journals 5 years, summary sheets 25 years
(configurable: ARCHIVE_RETENTION_YEARS); verifiably intact for the whole term; the
director may certify them with an electronic signature. An item cannot be deleted
before its term nor its file, checksum or term changed (database triggers, migration
reports 0002), and the runtime role may not DELETE items at all (maintenance.roles).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import School


class ArchiveRun(models.Model):
    """One archive job: every class's printed journal and summary sheet for a period."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("формируется")
        DONE = "done", _("готов")
        FAILED = "failed", _("ошибка")

    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        "journal.StudyPeriod", verbose_name=_("период"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("заказал"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("заказан"), auto_now_add=True)
    finished_at = models.DateTimeField(_("готов"), null=True, blank=True)
    manifest = models.CharField(_("опись"), max_length=300, blank=True)
    manifest_sha256 = models.CharField(_("SHA-256 описи"), max_length=64, blank=True)
    error = models.TextField(_("ошибка"), blank=True)

    class Meta:
        verbose_name = _("формирование архива")
        verbose_name_plural = _("формирования архива")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.period} ({self.get_status_display()})"


class ArchiveItem(models.Model):
    class Kind(models.TextChoices):
        CLASS_JOURNAL = "class_journal", _("классный журнал")
        SUMMARY_MARKS = "summary_marks", _("сводная ведомость успеваемости")

    run = models.ForeignKey(ArchiveRun, verbose_name=_("формирование"), on_delete=models.PROTECT, related_name="items")
    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("документ"), max_length=20, choices=Kind.choices)
    school_class = models.ForeignKey(
        "journal.SchoolClass", verbose_name=_("класс"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        "journal.StudyPeriod", verbose_name=_("период"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("название"), max_length=300)
    path = models.CharField(_("путь в архиве"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("размер, байт"))
    created_at = models.DateTimeField(_("помещён в архив"), auto_now_add=True)
    retain_until = models.DateField(_("хранить до"))
    verified_at = models.DateTimeField(_("проверен"), null=True, blank=True)
    verified_ok = models.BooleanField(_("цел"), null=True)
    verify_error = models.TextField(_("результат проверки"), blank=True)
    # The director's PAdES signature (reports/signing.py): a signed copy next to the original.
    signed_path = models.CharField(_("подписанный файл"), max_length=300, blank=True)
    signed_sha256 = models.CharField(_("SHA-256 подписанного файла"), max_length=64, blank=True)
    signed_size = models.PositiveBigIntegerField(_("размер подписанного файла"), default=0)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("подписал"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("подписан"), null=True, blank=True)
    signer_subject = models.CharField(_("сертификат подписи"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("документ архива")
        verbose_name_plural = _("документы архива")
        ordering = ["school_class__grade", "school_class__letter", "kind", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["path"], name="archiveitem_path_unique"),
            models.CheckConstraint(
                condition=Q(signed_path="") | (Q(signed_at__isnull=False) & ~Q(signed_sha256="")),
                name="archiveitem_signature_complete",
            ),
        ]
        indexes = [models.Index(fields=["school", "-created_at"], name="archiveitem_school_idx")]

    def __str__(self):
        return self.title


class SchoolCertificate(models.Model):
    """The school's signing certificate: a PKCS#12 file under SIGNING_DIR (outside MEDIA_ROOT
    and the backups), encrypted by its password, which is asked at each signing and never stored."""

    school = models.OneToOneField(School, verbose_name=_("школа"), on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("файл"), max_length=300)
    subject = models.CharField(_("владелец"), max_length=500)
    issuer = models.CharField(_("издатель"), max_length=500)
    serial = models.CharField(_("серийный номер"), max_length=100)
    not_before = models.DateTimeField(_("действует с"))
    not_after = models.DateTimeField(_("действует до"))
    sha256 = models.CharField(_("отпечаток SHA-256"), max_length=64)
    pem = models.TextField(_("сертификат (открытая часть, PEM)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("загрузил"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("загружен"), auto_now=True)

    class Meta:
        verbose_name = _("сертификат подписи школы")
        verbose_name_plural = _("сертификаты подписи школ")

    def __str__(self):
        return self.subject
