"""Замена уроков: a substitute teacher may fill the lessons given to them, and only those."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .records import Lesson


class SubstitutionQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, ends_at__gt=now)


class Substitution(models.Model):
    """One lesson given to one substitute (a row per lesson, so object permissions map 1:1).

    Rows assigned together share `batch`; the table itself is the substitution log
    (журнал замещения уроков): rows are revoked, never deleted."""

    lesson = models.ForeignKey(Lesson, verbose_name=_("урок"), on_delete=models.PROTECT, related_name="substitutions")
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("заменяющий учитель"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("причина замены"), max_length=300)
    batch = models.UUIDField(_("назначение"), db_index=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("назначил"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("назначено"), auto_now_add=True)
    ends_at = models.DateTimeField(_("право заполнять урок до"))
    revoked_at = models.DateTimeField(_("отменено"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("отменил"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SubstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("замена")
        verbose_name_plural = _("журнал замещения уроков")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson"], condition=Q(revoked_at__isnull=True), name="substitution_one_active_per_lesson"
            ),
        ]
        indexes = [models.Index(fields=["substitute", "ends_at"], name="substitution_substitute_idx")]

    def __str__(self):
        return f"{self.lesson}: {self.substitute}"

    def is_active(self, now=None) -> bool:
        return self.revoked_at is None and self.ends_at > (now or timezone.now())
