"""Объяснительная: a teacher's written request to change a locked record, decided by the deputy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from ejournal.params import text_limit

from .records import Assessment, Lesson, PeriodMark
from .structure import SchoolClass, StudyPeriod, Subject, TeachingAssignment

REASONS_MAX = 2000  # the request's reasons and the deputy's comment: docs/DESIGN.md §3.24


class CorrectionRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("на рассмотрении")
        APPROVED = "approved", _("одобрена, изменения внесены")
        REJECTED = "rejected", _("отклонена")

    class Target(models.TextChoices):
        LESSON = "lesson", _("запись урока")
        PERIOD = "period", _("итоговая отметка")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("учитель"), on_delete=models.PROTECT, related_name="+"
    )
    assignment = models.ForeignKey(
        TeachingAssignment, verbose_name=_("нагрузка"), on_delete=models.PROTECT, related_name="+"
    )
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("класс"), on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Subject, verbose_name=_("предмет"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("дата, на которую вносятся изменения"))
    target = models.CharField(_("что исправляется"), max_length=8, choices=Target.choices)
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("урок"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    period = models.ForeignKey(
        StudyPeriod, verbose_name=_("период"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    REASONS_MAX = REASONS_MAX

    reasons = models.TextField(_("причины, приведшие к необходимости изменений"), max_length=REASONS_MAX)
    status = models.CharField(_("состояние"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("подана"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("решение принял"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("дата решения"), null=True, blank=True)
    decision_comment = models.TextField(_("комментарий заместителя директора"), blank=True, max_length=REASONS_MAX)

    class Meta:
        verbose_name = _("объяснительная")
        verbose_name_plural = _("объяснительные")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target="lesson", lesson__isnull=False) | Q(target="period", period__isnull=False)),
                name="correction_target_object",
            ),
            text_limit("reasons", REASONS_MAX, "correction_reasons_length"),
            text_limit("decision_comment", REASONS_MAX, "correction_comment_length"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="correction_decision_complete",
            ),
        ]
        indexes = [models.Index(fields=["school", "status"], name="correction_school_status_idx")]

    def __str__(self):
        return gettext("Объяснительная № %(number)s") % {"number": self.pk}


class CorrectionChange(models.Model):
    """One line of the request: which record, from what to what (empty = no record)."""

    class Kind(models.TextChoices):
        MARK = "mark", _("отметка")
        ATTENDANCE = "attendance", _("посещаемость")
        PERIOD_MARK = "period_mark", _("итоговая отметка")

    request = models.ForeignKey(CorrectionRequest, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("вид записи"), max_length=12, choices=Kind.choices)
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ученик"), on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("работа"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    period_kind = models.CharField(_("вид итоговой отметки"), max_length=8, choices=PeriodMark.Kind.choices, blank=True)
    old_value = models.CharField(_("было"), max_length=8, blank=True)
    new_value = models.CharField(_("стало"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("изменение по объяснительной")
        verbose_name_plural = _("изменения по объяснительной")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(old_value=models.F("new_value")), name="correction_change_differs"),
            models.CheckConstraint(
                condition=~Q(kind="mark") | Q(assessment__isnull=False), name="correction_change_mark_assessment"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.old_value or '—'} → {self.new_value or '—'}"
