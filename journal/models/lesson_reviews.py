"""Lessons the timetable sync may not change on its own (docs/DESIGN.md §2.1).

When a timetable line, a bell, a holiday or a study period changes, the lesson sync
(journal/services/lesson_sync.py) moves or removes the future lessons that hold no
records. A lesson that holds records (a topic, homework, marks, attendance, comments,
a substitution) is never deleted or moved silently: it keeps its place and gets a
review row here, which the deputy resolves: cancel, move or keep.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import School

from .records import Lesson
from .structure import Bell, Room, TimetableEntry


class LessonReviewQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class LessonReview(models.Model):
    class Kind(models.TextChoices):
        REMOVED = "removed", _("урока больше нет в расписании")
        MOVED = "moved", _("урок перенесён в расписании")

    class Resolution(models.TextChoices):
        CANCEL = "cancel", _("урок отменён")
        MOVE = "move", _("урок перенесён")
        KEEP = "keep", _("урок оставлен")
        TIMETABLE = "timetable", _("расписание вернулось к уроку")

    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="+")
    lesson = models.ForeignKey(Lesson, verbose_name=_("урок"), on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("что изменилось"), max_length=16, choices=Kind.choices)
    # Where the timetable now puts the lesson (kind MOVED).
    target_entry = models.ForeignKey(
        TimetableEntry,
        verbose_name=_("новая строка расписания"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_date = models.DateField(_("новая дата"), null=True, blank=True)
    target_bell = models.ForeignKey(
        Bell,
        verbose_name=_("новый урок по звонкам"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_room = models.ForeignKey(
        Room, verbose_name=_("новый кабинет"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detected_at = models.DateTimeField(_("обнаружено"))
    resolved_at = models.DateTimeField(_("решено"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("решил"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(_("решение"), max_length=16, choices=Resolution.choices, blank=True)

    objects = LessonReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("урок на решение заместителя")
        verbose_name_plural = _("уроки на решение заместителя")
        ordering = ["lesson__date", "lesson__bell__number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson"], condition=Q(resolved_at__isnull=True), name="lesson_review_one_open"
            ),
        ]
        indexes = [models.Index(fields=["school", "resolved_at"], name="lesson_review_school_idx")]

    def __str__(self):
        return f"{self.lesson}: {self.get_kind_display()}"
