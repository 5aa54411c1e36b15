"""Stored report files (long jobs, archive copies) and the monthly activity report."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import School


class ReportJob(models.Model):
    """A report built by a Celery worker; its file is kept under MEDIA_ROOT with its SHA-256.

    Ordinary files expire (a periodic task deletes them); archival ones never do.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("формируется")
        DONE = "done", _("готов")
        FAILED = "failed", _("ошибка")
        EXPIRED = "expired", _("файл удалён по сроку")

    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("отчёт"), max_length=40)
    params = models.JSONField(_("параметры"), default=dict)
    title = models.CharField(_("название"), max_length=300, blank=True)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("готовность, %"), default=0)
    error = models.TextField(_("ошибка"), blank=True)
    file = models.FileField(_("файл"), upload_to="reports/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256 файла"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("размер, байт"), default=0)
    archival = models.BooleanField(_("архивная копия"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("сформировал"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("заказан"), auto_now_add=True)
    started_at = models.DateTimeField(_("начат"), null=True, blank=True)
    # Stamped by the building worker every few seconds (reports.jobs.Heartbeat).
    heartbeat_at = models.DateTimeField(_("отметка обработчика"), null=True, blank=True)
    finished_at = models.DateTimeField(_("готов"), null=True, blank=True)
    expires_at = models.DateTimeField(_("хранится до"), null=True, blank=True)
    # The e-mail «документ готов» went out (reports.jobs.notify_done runs once per job).
    notified_at = models.DateTimeField(_("сообщено о готовности"), null=True, blank=True)

    class Meta:
        verbose_name = _("сформированный отчёт")
        verbose_name_plural = _("сформированные отчёты")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(archival=False) | Q(expires_at__isnull=True), name="reportjob_archival_never_expires"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportjob_progress_range"),
        ]
        indexes = [
            models.Index(fields=["school", "kind", "-created_at"], name="reportjob_school_kind_idx"),
            models.Index(fields=["expires_at"], name="reportjob_expires_idx"),
        ]

    def __str__(self):
        return f"{self.title or self.kind} ({self.get_status_display()})"

    def remaining_seconds(self, now=None) -> int | None:
        """The estimate shown while the job runs: the elapsed time stretched over the part
        not yet done (progress starts at 5 % when a worker takes the job)."""
        from django.utils import timezone

        if self.status != self.Status.RUNNING or not self.started_at or self.progress <= 10:
            return None
        elapsed = ((now or timezone.now()) - self.started_at).total_seconds()
        done = (self.progress - 5) / 90  # 5 → 95 % over the build and the render
        return max(1, round(elapsed * (1 - done) / done))


class MonthlyActivity(models.Model):
    """The user-activity report of one school for one month (built by beat on the 1st)."""

    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("месяц"), help_text=_("Первое число месяца"))
    data = models.JSONField(_("данные"))
    created_at = models.DateTimeField(_("сформирован"), auto_now_add=True)

    class Meta:
        verbose_name = _("отчёт об активности пользователей")
        verbose_name_plural = _("отчёты об активности пользователей")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["school", "month"], name="monthly_activity_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_activity_first_day"),
        ]

    def __str__(self):
        return f"{self.school} {self.month:%m.%Y}"


# The year archive and its signatures (issue 17): their own module, docs/ARCHIVE.md.
from .models_archive import ArchiveItem, ArchiveRun, SchoolCertificate  # noqa: E402, F401
