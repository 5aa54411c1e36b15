"""The journal's records: lessons and what is entered for them.

Every change goes through journal.services (permission, validation, audit in one
transaction). `version` columns carry optimistic locking for the grid.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from ejournal.params import text_limit

from .structure import Bell, Room, StudyPeriod, Subject, TeachingAssignment, TimetableEntry

HOMEWORK_MAX = 4000  # characters of a lesson's homework: docs/DESIGN.md §3.24
INDIVIDUAL_HOMEWORK_MAX = 2000


class WorkType(models.Model):
    """Вид работы with its weight in the weighted average."""

    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="work_types")
    name = models.CharField(_("название"), max_length=80)
    code = models.SlugField(_("код"), max_length=40)
    weight = models.DecimalField(
        _("вес"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("9.9"))],
    )
    is_test = models.BooleanField(_("контрольная/письменная (отметки — на следующий день)"), default=False)
    order = models.PositiveSmallIntegerField(_("порядок"), default=100)

    class Meta:
        verbose_name = _("вид работы")
        verbose_name_plural = _("виды работ")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="worktype_code_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="worktype_weight_positive"),
        ]

    def __str__(self):
        return self.name


class Lesson(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("по расписанию")
        CANCELLED = "cancelled", _("отменён")

    assignment = models.ForeignKey(
        TeachingAssignment, verbose_name=_("нагрузка"), on_delete=models.PROTECT, related_name="lessons"
    )
    date = models.DateField(_("дата"))
    bell = models.ForeignKey(Bell, verbose_name=_("урок"), on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(
        Room, verbose_name=_("кабинет"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    timetable_entry = models.ForeignKey(
        TimetableEntry,
        verbose_name=_("строка расписания"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
    )
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField(_("причина отмены"), max_length=300, blank=True)
    # The day the timetable line gave this lesson: with `timetable_entry` it is the lesson's
    # place in the timetable, which the lesson sync (journal/services/lesson_sync.py) matches.
    # Empty for a one-off lesson added by hand.
    scheduled_date = models.DateField(_("дата по расписанию"), null=True, blank=True)
    # Added, moved, cancelled or kept by the deputy or the scheduler: the sync leaves it alone.
    manual = models.BooleanField(_("изменён вручную"), default=False)
    topic = models.CharField(_("тема урока"), max_length=500, blank=True)
    topic_set_at = models.DateTimeField(_("тема внесена"), null=True, blank=True)
    topic_late = models.BooleanField(_("тема внесена с опозданием"), default=False)
    # Deputy may reopen a locked lesson until this moment (logged in the audit trail).
    unlocked_until = models.DateTimeField(_("открыт для исправлений до"), null=True, blank=True)
    version = models.PositiveIntegerField(_("версия"), default=1)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

    class Meta:
        verbose_name = _("урок")
        verbose_name_plural = _("уроки")
        ordering = ["date", "bell__number"]
        constraints = [models.UniqueConstraint(fields=["assignment", "date", "bell"], name="lesson_unique")]
        indexes = [
            models.Index(fields=["assignment", "date"], name="lesson_assignment_date_idx"),
            models.Index(fields=["date"], name="lesson_date_idx"),
            models.Index(fields=["timetable_entry", "scheduled_date"], name="lesson_entry_slot_idx"),
        ]
        permissions = [("substitute_lesson", _("проводить урок по замещению"))]

    def __str__(self):
        return f"{self.assignment} {self.date:%d.%m.%Y} ({self.bell.number})"


class Homework(models.Model):
    """General homework of a lesson (one per lesson)."""

    TEXT_MAX = HOMEWORK_MAX

    lesson = models.OneToOneField(Lesson, verbose_name=_("урок"), on_delete=models.CASCADE, related_name="homework")
    text = models.TextField(_("задание"), max_length=TEXT_MAX)
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)
    is_late = models.BooleanField(_("внесено с опозданием"), default=False)

    class Meta:
        verbose_name = _("домашнее задание")
        verbose_name_plural = _("домашние задания")
        constraints = [text_limit("text", HOMEWORK_MAX, "homework_text_length")]

    def __str__(self):
        return self.text[:60]


class IndividualHomework(models.Model):
    TEXT_MAX = INDIVIDUAL_HOMEWORK_MAX

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("урок"), on_delete=models.CASCADE, related_name="individual_homework"
    )
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ученик"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("задание"), max_length=TEXT_MAX)
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("индивидуальное домашнее задание")
        verbose_name_plural = _("индивидуальные домашние задания")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "pupil"], name="individual_homework_unique"),
            text_limit("text", INDIVIDUAL_HOMEWORK_MAX, "individual_homework_text_length"),
        ]

    def __str__(self):
        return self.text[:60]


class LessonComment(models.Model):
    lesson = models.ForeignKey(Lesson, verbose_name=_("урок"), on_delete=models.CASCADE, related_name="comments")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ученик"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(_("комментарий"), max_length=500)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("комментарий учителя")
        verbose_name_plural = _("комментарии учителя")
        constraints = [models.UniqueConstraint(fields=["lesson", "pupil"], name="lesson_comment_unique")]

    def __str__(self):
        return self.text[:60]


class Assessment(models.Model):
    """A graded work inside a lesson (a lesson may have several)."""

    lesson = models.ForeignKey(Lesson, verbose_name=_("урок"), on_delete=models.CASCADE, related_name="assessments")
    work_type = models.ForeignKey(WorkType, verbose_name=_("вид работы"), on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("вес"), max_digits=3, decimal_places=1)
    description = models.CharField(_("описание"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("порядковый номер"), default=1)

    class Meta:
        verbose_name = _("работа на уроке")
        verbose_name_plural = _("работы на уроке")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "position"], name="assessment_position_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="assessment_weight_positive"),
        ]

    def __str__(self):
        return f"{self.work_type} ({self.weight})"


class Mark(models.Model):
    class Value(models.TextChoices):
        FIVE = "5", "5"
        FOUR = "4", "4"
        THREE = "3", "3"
        TWO = "2", "2"
        ONE = "1", "1"
        PASS = "зач", _("зачёт")  # i18n: data (the stored value; the label is translated)
        FAIL = "незач", _("незачёт")  # i18n: data

    assessment = models.ForeignKey(Assessment, verbose_name=_("работа"), on_delete=models.PROTECT, related_name="marks")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ученик"), on_delete=models.PROTECT, related_name="marks"
    )
    value = models.CharField(_("отметка"), max_length=8, choices=Value.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("выставил"), on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("изменил"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("выставлена"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)
    is_late = models.BooleanField(_("выставлена с опозданием"), default=False)
    version = models.PositiveIntegerField(_("версия"), default=1)

    class Meta:
        verbose_name = _("отметка")
        verbose_name_plural = _("отметки")
        constraints = [models.UniqueConstraint(fields=["assessment", "pupil"], name="mark_unique")]
        indexes = [models.Index(fields=["pupil", "assessment"], name="mark_pupil_idx")]

    def __str__(self):
        return self.value

    @property
    def numeric(self):
        return int(self.value) if self.value.isdigit() else None


class Attendance(models.Model):
    class Code(models.TextChoices):
        # The regulation's attendance codes, stored and shown as written in the paper journal.
        ABSENT = "н", "Н"  # i18n: data
        ILL = "б", "Б"  # i18n: data
        EXCUSED = "уп", "УП"  # i18n: data
        UNEXCUSED = "нп", "НП"  # i18n: data
        LATE = "оп", "ОП"  # i18n: data

    lesson = models.ForeignKey(Lesson, verbose_name=_("урок"), on_delete=models.PROTECT, related_name="attendance")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ученик"), on_delete=models.PROTECT, related_name="attendance"
    )
    code = models.CharField(_("отметка посещаемости"), max_length=2, choices=Code.choices)
    reason_document = models.CharField(_("документ о причине"), max_length=200, blank=True)
    reason_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("причину указал"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason_set_at = models.DateTimeField(_("причина указана"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("внёс"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)
    is_late = models.BooleanField(_("внесено с опозданием"), default=False)
    version = models.PositiveIntegerField(_("версия"), default=1)

    class Meta:
        verbose_name = _("посещаемость")
        verbose_name_plural = _("посещаемость")
        constraints = [models.UniqueConstraint(fields=["lesson", "pupil"], name="attendance_unique")]
        indexes = [models.Index(fields=["pupil", "lesson"], name="attendance_pupil_idx")]

    def __str__(self):
        return self.get_code_display()

    @property
    def is_absence(self):
        from .. import rules

        return self.code in rules.absence_codes()


class PeriodMarkQuerySet(models.QuerySet):
    def of_year(self, year):
        """The marks of one academic year (its periods' marks, the year, exam and final marks)."""
        return self.filter(period__year=year)

    def exams(self):
        """Exam and final marks only (grades 9 and 11: docs/DESIGN.md §3.6)."""
        return self.filter(kind__in=(PeriodMark.Kind.EXAM, PeriodMark.Kind.FINAL))


class PeriodMark(models.Model):
    class Kind(models.TextChoices):
        PERIOD = "period", _("за период")
        YEAR = "year", _("годовая")
        EXAM = "exam", _("экзаменационная")
        FINAL = "final", _("итоговая")

    class Value(models.TextChoices):
        FIVE = "5", "5"
        FOUR = "4", "4"
        THREE = "3", "3"
        TWO = "2", "2"
        ONE = "1", "1"
        PASS = "зач", _("зачтено")  # i18n: data (the stored value; the label is translated)
        FAIL = "незач", _("не зачтено")  # i18n: data
        NOT_ATTESTED = "н/а", _("не аттестован")  # i18n: data
        EXEMPT = "осв", _("освобождён")  # i18n: data

    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ученик"), on_delete=models.PROTECT, related_name="period_marks"
    )
    assignment = models.ForeignKey(
        TeachingAssignment, verbose_name=_("нагрузка"), on_delete=models.PROTECT, related_name="period_marks"
    )
    subject = models.ForeignKey(Subject, verbose_name=_("предмет"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("вид"), max_length=8, choices=Kind.choices, default=Kind.PERIOD)
    period = models.ForeignKey(StudyPeriod, verbose_name=_("период"), on_delete=models.PROTECT, related_name="marks")
    value = models.CharField(_("отметка"), max_length=8, choices=Value.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("выставил"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("выставлена"), auto_now=True)
    is_late = models.BooleanField(_("выставлена с опозданием"), default=False)
    version = models.PositiveIntegerField(_("версия"), default=1)

    objects = PeriodMarkQuerySet.as_manager()

    class Meta:
        verbose_name = _("итоговая отметка")
        verbose_name_plural = _("итоговые отметки")
        constraints = [
            models.UniqueConstraint(fields=["pupil", "subject", "period", "kind"], name="period_mark_unique")
        ]
        indexes = [models.Index(fields=["assignment", "period"], name="period_mark_assignment_idx")]

    def __str__(self):
        return self.value
