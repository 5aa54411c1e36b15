"""Deadline control (docs/DESIGN.md §3.22): violations found by the checks and the notices sent about them.

A Violation is derived data: journal.control recomputes the set of open ones
from the journal on every run, opens what is new and resolves what was fixed.
At most one open violation exists per (kind, object), enforced by a partial
unique index that the checks upsert against.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import School

from .records import Assessment, Lesson
from .structure import SchoolClass, StudyPeriod, TeachingAssignment


class Violation(models.Model):
    class Kind(models.TextChoices):
        LESSON_UNFILLED = "lesson_unfilled", _("урок не заполнен в день урока")
        HOMEWORK_MISSING = "homework_missing", _("домашнее задание не внесено в срок")
        LESSON_LOCKED = "lesson_locked", _("урок закрыт незаполненным")
        TEST_MARKS = "test_marks", _("не выставлены отметки за контрольную работу")
        PERIOD_MARKS_DUE = "period_marks_due", _("последняя неделя периода: выставьте итоговые отметки")
        PERIOD_MARKS_OVERDUE = "period_marks_overdue", _("итоговые отметки не выставлены в срок")
        FEW_MARKS = "few_marks", _("мало отметок для аттестации")
        ABSENCE_REASON = "absence_reason", _("не указана причина пропуска")
        PLAN_HOURS = "plan_hours", _("часы КТП не совпадают с учебным планом")
        TEMP_JOURNAL = "temp_journal", _("не перенесены данные временного журнала")

    class Resolution(models.TextChoices):
        FIXED = "fixed", _("исправлено")
        EXPIRED = "expired", _("напоминание больше не актуально")

    # Reminders come before a deadline; they expire instead of being fixed.
    REMINDERS = frozenset({Kind.PERIOD_MARKS_DUE, Kind.FEW_MARKS})

    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("вид"), max_length=32, choices=Kind.choices)
    # The object in one canonical string ("lesson:12", "assignment:3/period:2"): the unique key.
    object_key = models.CharField(_("объект"), max_length=100)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответственный"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="violations",
    )
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("класс"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    assignment = models.ForeignKey(
        TeachingAssignment,
        verbose_name=_("нагрузка"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("урок"), on_delete=models.CASCADE, null=True, blank=True, related_name="violations"
    )
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("работа"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ученик"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    period = models.ForeignKey(
        StudyPeriod, verbose_name=_("период"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    day = models.DateField(_("дата"), null=True, blank=True)
    details = models.JSONField(_("подробности"), default=dict, blank=True)
    since = models.DateTimeField(_("срок истёк / напоминание с"))
    detected_at = models.DateTimeField(_("обнаружено"))
    resolved_at = models.DateTimeField(_("закрыто"), null=True, blank=True)
    resolution = models.CharField(_("как закрыто"), max_length=16, choices=Resolution.choices, blank=True)
    notified_at = models.DateTimeField(_("сообщено"), null=True, blank=True)

    class Meta:
        verbose_name = _("нарушение срока")
        verbose_name_plural = _("нарушения сроков")
        ordering = ["-since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key"], condition=Q(resolved_at__isnull=True), name="violation_open_unique"
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolution="") | Q(resolved_at__isnull=False) & ~Q(resolution=""),
                name="violation_resolution_consistent",
            ),
        ]
        indexes = [
            models.Index(
                fields=["school", "kind"], condition=Q(resolved_at__isnull=True), name="violation_open_school_idx"
            ),
            models.Index(fields=["responsible", "resolved_at"], name="violation_responsible_idx"),
            models.Index(fields=["school_class", "resolved_at"], name="violation_class_idx"),
            models.Index(fields=["school"], condition=Q(notified_at__isnull=True), name="violation_unnotified_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.object_key})"

    @property
    def is_open(self):
        return self.resolved_at is None

    @property
    def is_reminder(self):
        return self.kind in self.REMINDERS


class Notification(models.Model):
    """One portal message to one person; a check run sends each person at most one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("получатель"), on_delete=models.CASCADE, related_name="notifications"
    )
    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("заголовок"), max_length=200)
    body = models.TextField(_("текст"))
    violations = models.ManyToManyField(Violation, verbose_name=_("нарушения"), blank=True, related_name="notices")
    created_at = models.DateTimeField(_("создано"))
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("отправлено по e-mail"), null=True, blank=True)

    class Meta:
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_read_idx"),
            models.Index(fields=["school"], condition=Q(emailed_at__isnull=True), name="notification_unsent_idx"),
        ]

    def __str__(self):
        return self.title


class AttendanceRoll(models.Model):
    """«Посещаемость отмечена»: the teacher took the roll of a lesson.

    Absences are stored as Attendance rows, so a lesson where everyone was present
    has none; this row is how such a lesson counts as having its attendance entered.
    Any Attendance row of the lesson counts as a taken roll too.
    """

    lesson = models.OneToOneField(Lesson, verbose_name=_("урок"), on_delete=models.CASCADE, related_name="roll")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(_("отмечено"))
    is_late = models.BooleanField(_("с опозданием"), default=False)

    class Meta:
        verbose_name = _("отметка о посещаемости урока")
        verbose_name_plural = _("отметки о посещаемости уроков")

    def __str__(self):
        return f"{self.lesson}: {self.taken_at:%d.%m.%Y %H:%M}"
