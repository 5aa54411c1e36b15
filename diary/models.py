"""Messages, announcements, read receipts and e-mail preferences of the diary.

Read receipts are rows per recipient with the moment of reading: the unread counter
is a count of open receipts, and the control report measures parents' participation
from them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from ejournal.params import text_limit
from journal.models import SchoolClass

SUBJECT_MAX = 200
BODY_MAX = 5000  # a message, an announcement: docs/DESIGN.md §3.24


class Thread(models.Model):
    """A conversation between a family and the school about one pupil, or between two
    colleagues (docs/DESIGN.md §1.5 "Messages").

    The family side (`parent`) is a guardian of the pupil, or the pupil themselves
    (`parent == pupil`: a thread a teacher started with the pupil). A colleague thread has
    no family side: its two ends are `created_by` and `staff`.
    """

    class Kind(models.TextChoices):
        TEACHER = "teacher", _("учителю")
        CLASS_TEACHER = "class_teacher", _("классному руководителю")
        ADMINISTRATION = "administration", _("администрации")
        COLLEAGUE = "colleague", _("коллеге")

    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="+")
    # Empty for a colleague thread only (thread_family_sides).
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ученик"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("родитель"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="family_threads",
    )
    # Empty for the administration: every deputy and the director of the school answer.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_threads",
    )
    kind = models.CharField(_("кому"), max_length=16, choices=Kind.choices)
    subject = models.CharField(_("тема"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("начата"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("последнее сообщение"))

    class Meta:
        verbose_name = _("переписка")
        verbose_name_plural = _("переписка")
        ordering = ["-last_message_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="administration", staff__isnull=True)
                | (~Q(kind="administration") & Q(staff__isnull=False)),
                name="thread_staff_matches_kind",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("staff")), name="thread_not_self"),
            models.CheckConstraint(
                condition=Q(kind="colleague", parent__isnull=True)
                | (~Q(kind="colleague") & Q(parent__isnull=False, pupil__isnull=False)),
                name="thread_family_sides",
            ),
            models.CheckConstraint(
                condition=~Q(kind="colleague") | ~Q(created_by=models.F("staff")), name="thread_colleague_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["parent", "last_message_at"], name="thread_parent_idx"),
            models.Index(fields=["staff", "last_message_at"], name="thread_staff_idx"),
            models.Index(fields=["school", "kind"], name="thread_school_kind_idx"),
        ]

    def __str__(self):
        return self.subject

    @property
    def with_pupil(self) -> bool:
        """The family side is the pupil (not a guardian): docs/DESIGN.md §1.5."""
        return self.parent_id is not None and self.parent_id == self.pupil_id

    def counterpart(self, user):
        """The other end of the thread as `user` sees it: a person, or None for the administration."""
        if self.kind == self.Kind.COLLEAGUE:
            return self.staff if user.pk == self.created_by_id else self.created_by
        if user.pk == self.parent_id:
            return self.staff
        return self.parent


class Message(models.Model):
    thread = models.ForeignKey(Thread, verbose_name=_("переписка"), on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("автор"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("текст"), max_length=BODY_MAX)
    created_at = models.DateTimeField(_("отправлено"), auto_now_add=True)

    class Meta:
        verbose_name = _("сообщение")
        verbose_name_plural = _("сообщения")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="message_thread_idx")]
        constraints = [text_limit("body", BODY_MAX, "message_body_length")]

    def __str__(self):
        return self.body[:60]


class Announcement(models.Model):
    """An announcement to a class or to the whole school, for parents, pupils or both."""

    class Audience(models.TextChoices):
        PARENTS = "parents", _("родителям")
        PUPILS = "pupils", _("ученикам")
        BOTH = "both", _("родителям и ученикам")

    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="+")
    # Empty: the whole school.
    school_class = models.ForeignKey(
        SchoolClass,
        verbose_name=_("класс"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
    )
    audience = models.CharField(_("кому"), max_length=8, choices=Audience.choices, default=Audience.BOTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("автор"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("заголовок"), max_length=200)
    body = models.TextField(_("текст"), max_length=BODY_MAX)
    created_at = models.DateTimeField(_("опубликовано"), auto_now_add=True)

    class Meta:
        verbose_name = _("объявление")
        verbose_name_plural = _("объявления")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "created_at"], name="announcement_school_idx")]
        constraints = [text_limit("body", BODY_MAX, "announcement_body_length")]

    def __str__(self):
        return self.title


class Receipt(models.Model):
    """Delivery of one message or announcement to one recipient, and when it was read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("получатель"), on_delete=models.CASCADE, related_name="receipts"
    )
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="receipts")
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, null=True, blank=True, related_name="receipts"
    )
    delivered_at = models.DateTimeField(_("доставлено"), auto_now_add=True)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)

    class Meta:
        verbose_name = _("отметка о прочтении")
        verbose_name_plural = _("отметки о прочтении")
        constraints = [
            models.CheckConstraint(
                condition=Q(message__isnull=False, announcement__isnull=True)
                | Q(message__isnull=True, announcement__isnull=False),
                name="receipt_one_target",
            ),
            models.UniqueConstraint(fields=["recipient", "message"], name="receipt_message_unique"),
            models.UniqueConstraint(fields=["recipient", "announcement"], name="receipt_announcement_unique"),
        ]
        indexes = [
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="receipt_unread_idx"),
            models.Index(fields=["read_at"], name="receipt_read_at_idx"),
        ]

    def __str__(self):
        return f"{self.recipient_id}: {self.read_at or '—'}"


class EmailPreference(models.Model):
    """What a parent receives by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("пользователь"), on_delete=models.CASCADE, related_name="diary_email"
    )
    weekly_digest = models.BooleanField(_("еженедельная сводка (отметки, пропуски, домашние задания)"), default=False)
    daily_marks = models.BooleanField(_("ежедневно: новые отметки"), default=False)
    # At most one letter a day about unread messages (docs/DESIGN.md §1.5 "Messages").
    new_messages = models.BooleanField(_("новые сообщения"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("настройка рассылки")
        verbose_name_plural = _("настройки рассылки")

    def __str__(self):
        return f"{self.user}: weekly={self.weekly_digest} daily={self.daily_marks}"


class EmailDelivery(models.Model):
    """One sent e-mail per (user, kind, period): beat may run twice, the parent gets one letter."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("еженедельная сводка")
        DAILY = "daily", _("новые отметки за день")
        MESSAGES = "messages", _("новые сообщения")
        PAPER = "paper", _("бумажные дневники класса")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    period_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("отправленное письмо")
        verbose_name_plural = _("отправленные письма")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "period_start"], name="email_delivery_unique")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.period_start}"


class HomeVisit(models.Model):
    """When a parent or pupil last opened the home page: «new» marks are those given since
    the visit before this one (docs/DESIGN.md §1.5 "The family home"). A visit is a run of
    home views with less than VISIT_GAP between them, so reloading keeps the news."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
    previous_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("посещение главной страницы")
        verbose_name_plural = _("посещения главной страницы")

    def __str__(self):
        return f"{self.user_id}: {self.seen_at}"


class PaperRequest(models.Model):
    """A parent's request for the weekly printed diary of a child (docs/DESIGN.md §4.4),
    recorded by the parent or by the class teacher for them; withdrawn, not deleted."""

    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ученик"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("родитель"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("записана"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("отозвана"), null=True, blank=True)

    class Meta:
        verbose_name = _("просьба о бумажном дневнике")
        verbose_name_plural = _("просьбы о бумажном дневнике")
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "parent"], condition=Q(withdrawn_at__isnull=True), name="paper_request_open_unique"
            )
        ]

    def __str__(self):
        return f"{self.pupil_id} ← {self.parent_id}"
