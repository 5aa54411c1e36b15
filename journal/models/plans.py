"""Календарно-тематическое планирование (КТП) of a teaching assignment."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .records import Lesson, WorkType
from .structure import TeachingAssignment

MAX_ITEM_HOURS = 40


class ThematicPlan(models.Model):
    """One plan per journal; its items are the ordered topics of the year."""

    assignment = models.OneToOneField(
        TeachingAssignment, verbose_name=_("нагрузка"), on_delete=models.CASCADE, related_name="thematic_plan"
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("тематическое планирование")
        verbose_name_plural = _("тематические планирования")

    def __str__(self):
        return gettext("КТП %(assignment)s") % {"assignment": self.assignment}


class PlanItem(models.Model):
    plan = models.ForeignKey(ThematicPlan, verbose_name=_("КТП"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("№ п/п"))
    topic = models.CharField(_("тема"), max_length=500)
    hours = models.PositiveSmallIntegerField(_("часов"), default=1)
    work_type = models.ForeignKey(
        WorkType, verbose_name=_("вид работы"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("тема КТП")
        verbose_name_plural = _("темы КТП")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"], name="plan_item_position_unique", deferrable=models.Deferrable.DEFERRED
            ),
            models.CheckConstraint(condition=Q(hours__gte=1, hours__lte=MAX_ITEM_HOURS), name="plan_item_hours_range"),
        ]

    def __str__(self):
        return f"{self.position}. {self.topic}"


class LessonPlanLink(models.Model):
    """Which plan topic a lesson took its topic from (the lesson keeps its own editable text).

    A separate table rather than a Lesson column, so that the plan can be replaced
    without touching lesson rows."""

    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="plan_link")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="lesson_links")

    class Meta:
        verbose_name = _("урок по КТП")
        verbose_name_plural = _("уроки по КТП")

    def __str__(self):
        return f"{self.lesson_id} → {self.item_id}"
