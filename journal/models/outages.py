"""Outages of the journal and the transfer of temporary (paper) journals afterwards."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from ejournal.params import moment_range

from .structure import SchoolClass


class Outage(models.Model):
    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="outages")
    start = models.DateTimeField(_("начало сбоя"))
    end = models.DateTimeField(_("окончание сбоя"), null=True, blank=True, help_text=_("Пусто — сбой продолжается."))
    reason = models.CharField(_("причина"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("сбой электронного журнала")
        verbose_name_plural = _("сбои электронного журнала")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")), name="outage_end_after_start"
            ),
            moment_range("start", "outage_start_range"),
            moment_range("end", "outage_end_range", nullable=True),
        ]

    def __str__(self):
        return f"{self.start:%d.%m.%Y %H:%M} — {self.reason}"


class TempJournalImport(models.Model):
    """One transfer of a class's day from the paper journal into the system."""

    outage = models.ForeignKey(Outage, verbose_name=_("сбой"), on_delete=models.PROTECT, related_name="imports")
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("класс"), on_delete=models.PROTECT, related_name="+")
    paper_date = models.DateField(_("дата во временном журнале"))
    file_name = models.CharField(_("файл"), max_length=200)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("перенесено"), auto_now_add=True)
    entries = models.PositiveIntegerField(_("перенесено записей"), default=0)
    is_late = models.BooleanField(_("перенесено с опозданием"), default=False)

    class Meta:
        verbose_name = _("перенос временного журнала")
        verbose_name_plural = _("переносы временных журналов")
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.school_class} {self.paper_date:%d.%m.%Y}"
