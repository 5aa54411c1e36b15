"""What backups and restore drills did (docs/DESIGN.md §3 "Retention and archive")."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BackupRun(models.Model):
    """One `manage.py backup`: a pg_dump and the archive files, copied to every destination."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("еженедельная")
        YEAR_END = "year_end", _("на конец учебного года")
        MANUAL = "manual", _("по запросу")

    class Status(models.TextChoices):
        RUNNING = "running", _("выполняется")
        OK = "ok", _("успешно")
        FAILED = "failed", _("ошибка")

    name = models.CharField(_("имя копии"), max_length=100)
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices, default=Kind.MANUAL)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("начата"))
    finished_at = models.DateTimeField(_("завершена"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("размер, байт"), default=0)
    destinations = models.JSONField(_("куда записана"), default=list)
    manifest_sha256 = models.CharField(_("SHA-256 описи"), max_length=64, blank=True)
    error = models.TextField(_("ошибка"), blank=True)

    class Meta:
        verbose_name = _("резервная копия")
        verbose_name_plural = _("резервные копии")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["status", "-started_at"], name="backuprun_status_idx")]

    def __str__(self):
        return self.name


class RestoreDrill(models.Model):
    """One restore drill: the newest backup restored into a scratch database and checked."""

    class Status(models.TextChoices):
        OK = "ok", _("успешно")
        FAILED = "failed", _("ошибка")

    backup_name = models.CharField(_("копия"), max_length=100)
    backup_path = models.CharField(_("путь к копии"), max_length=500)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices)
    started_at = models.DateTimeField(_("начата"))
    finished_at = models.DateTimeField(_("завершена"))
    size = models.PositiveBigIntegerField(_("размер копии, байт"), default=0)
    tables = models.PositiveIntegerField(_("таблиц сверено"), default=0)
    rows = models.PositiveBigIntegerField(_("строк сверено"), default=0)
    audit_events = models.PositiveBigIntegerField(_("записей аудита проверено"), default=0)
    error = models.TextField(_("ошибка"), blank=True)

    class Meta:
        verbose_name = _("проверка восстановления")
        verbose_name_plural = _("проверки восстановления")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status="ok") | ~Q(error=""), name="restoredrill_failure_has_reason")
        ]

    def __str__(self):
        return f"{self.backup_name}: {self.get_status_display()}"
