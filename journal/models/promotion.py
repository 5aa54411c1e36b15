"""Promotion of pupils by the director's order (docs/DESIGN.md §3.26).

An order (приказ) of a year carries a number and a date; each pupil of the year gets
one decision under an order: promoted, promoted conditionally (with the subjects in
debt), kept for a repeat year, graduated, or left. A decision is the legal record of
the move: the enrollments it writes (the old one closed at the year's end, the new one
in the next year's class) point back to it through the order's number and date.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .structure import AcademicYear, Enrollment, SchoolClass, Subject


class PromotionOrder(models.Model):
    year = models.ForeignKey(
        AcademicYear, verbose_name=_("учебный год"), on_delete=models.PROTECT, related_name="promotion_orders"
    )
    number = models.CharField(_("номер приказа"), max_length=40)
    date = models.DateField(_("дата приказа"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("внёс"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("внесён"), auto_now_add=True)

    class Meta:
        verbose_name = _("приказ о переводе")
        verbose_name_plural = _("приказы о переводе")
        ordering = ["date", "pk"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="promotion_order_unique")]

    def __str__(self):
        return gettext("приказ № %(number)s от %(date)s") % {"number": self.number, "date": f"{self.date:%d.%m.%Y}"}


class PromotionDecision(models.Model):
    class Decision(models.TextChoices):
        PROMOTED = "promoted", _("переведён")
        CONDITIONAL = "conditional", _("переведён условно")
        REPEATED = "repeated", _("оставлен на повторное обучение")
        GRADUATED = "graduated", _("выпущен")
        LEFT = "left", _("выбыл")

    order = models.ForeignKey(
        PromotionOrder, verbose_name=_("приказ"), on_delete=models.PROTECT, related_name="decisions"
    )
    # The order's year again, so that "one decision per pupil and year" is a constraint.
    year = models.ForeignKey(AcademicYear, verbose_name=_("учебный год"), on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ученик"), on_delete=models.PROTECT, related_name="promotions"
    )
    from_class = models.ForeignKey(
        SchoolClass, verbose_name=_("класс"), on_delete=models.PROTECT, related_name="promotion_decisions"
    )
    decision = models.CharField(_("решение"), max_length=16, choices=Decision.choices)
    debts = models.ManyToManyField(Subject, verbose_name=_("академическая задолженность"), blank=True, related_name="+")
    to_class = models.ForeignKey(
        SchoolClass,
        verbose_name=_("класс нового года"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="promoted_in",
    )
    new_enrollment = models.OneToOneField(
        Enrollment, verbose_name=_("зачисление"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("внёс"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    class Meta:
        verbose_name = _("решение о переводе")
        verbose_name_plural = _("решения о переводе")
        constraints = [
            models.UniqueConstraint(fields=["year", "pupil"], name="promotion_once_a_year"),
            models.CheckConstraint(
                condition=Q(decision__in=["graduated", "left"], to_class__isnull=True)
                | Q(decision__in=["promoted", "conditional", "repeated"], to_class__isnull=False),
                name="promotion_to_class_when_staying",
                violation_error_message=_("Переведённому и оставленному нужен класс нового года."),
            ),
        ]

    def __str__(self):
        return f"{self.pupil} · {self.get_decision_display()}"
