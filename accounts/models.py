from datetime import time
from decimal import Decimal

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from ejournal.params import moment_range, text_limit


class School(models.Model):
    """The tenant: every piece of school data belongs to exactly one school.

    The rule fields are the per-school settings of docs/DESIGN.md §3.1 with its defaults.
    """

    name = models.CharField(_("краткое название"), max_length=200)
    full_name = models.CharField(_("полное название"), max_length=500)
    address = models.CharField(_("адрес"), max_length=500, blank=True)
    # rules
    entry_cutoff = models.TimeField(_("срок заполнения урока в день урока"), default=time(18, 0))
    homework_hours = models.DecimalField(
        _("срок ввода ДЗ после последнего урока класса, ч"), max_digits=3, decimal_places=1, default=Decimal("1.5")
    )
    lock_after_days = models.PositiveSmallIntegerField(_("урок закрывается через, дней"), default=7)
    test_marks_days = models.PositiveSmallIntegerField(_("срок выставления отметок за контрольную, дней"), default=1)
    absence_reason_days = models.PositiveSmallIntegerField(_("срок указания причины пропуска, рабочих дней"), default=2)
    temp_journal_days = models.PositiveSmallIntegerField(_("срок переноса временного журнала, рабочих дней"), default=2)
    min_marks = models.PositiveSmallIntegerField(_("минимум отметок для аттестации"), default=3)
    grade1_marks = models.BooleanField(_("отметки в 1 классе"), default=False)
    grade1_homework = models.BooleanField(_("домашние задания в 1 классе"), default=False)
    allow_mark_one = models.BooleanField(_("разрешена отметка «1»"), default=False)
    require_staff_2fa = models.BooleanField(
        _("обязательная двухфакторная аутентификация для администратора, директора и завуча"), default=False
    )

    class Meta:
        verbose_name = _("школа")
        verbose_name_plural = _("школы")
        constraints = [
            models.UniqueConstraint(fields=["name"], name="school_name_unique"),
            models.CheckConstraint(
                condition=Q(min_marks__gte=1),
                name="school_min_marks_positive",
                violation_error_message=_("Минимум отметок для аттестации — не меньше одной."),
            ),
        ]

    def __str__(self):
        return self.name


class EJUserManager(UserManager):
    use_in_migrations = True


class User(AbstractUser):
    """A person. `username` is the login; names follow Russian order."""

    class Sex(models.TextChoices):
        MALE = "m", _("мужской")
        FEMALE = "f", _("женский")

    username = models.CharField(_("логин"), max_length=150, unique=True)
    last_name = models.CharField(_("фамилия"), max_length=150)
    first_name = models.CharField(_("имя"), max_length=150)
    patronymic = models.CharField(_("отчество"), max_length=150, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=32, blank=True)
    birth_date = models.DateField(_("дата рождения"), null=True, blank=True)
    sex = models.CharField(_("пол"), max_length=1, choices=Sex.choices, blank=True)
    school = models.ForeignKey(
        School, verbose_name=_("школа"), on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    must_change_password = models.BooleanField(_("сменить пароль при входе"), default=False)
    # Bumped to end every session of the user at once ("log out everywhere", compromise):
    # it is part of the session auth hash Django checks on each request.
    session_epoch = models.PositiveIntegerField(_("поколение сеансов"), default=0, editable=False)

    objects = EJUserManager()

    REQUIRED_FIELDS = ["last_name", "first_name"]

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        ordering = ["last_name", "first_name", "patronymic"]
        indexes = [models.Index(fields=["school", "last_name", "first_name"], name="user_school_name_idx")]
        permissions = [("read_diary", _("читать дневник ученика"))]

    def __str__(self):
        return self.short_name

    @property
    def full_name(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self):
        """«Иванова А. П.» — the form used in journals and reports."""
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip() or self.username

    def get_full_name(self):
        return self.full_name

    def _get_session_auth_hash(self, secret=None):
        return salted_hmac(
            "accounts.User.session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_short_name(self):
        return self.short_name


class RoleAssignment(models.Model):
    """Assigned roles. Teacher, class teacher, pupil and parent are derived from
    teaching assignments, classes, enrollment and guardianship instead."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("администратор ЭЖ")
        DIRECTOR = "director", _("директор")
        DEPUTY = "deputy", _("заместитель директора по УВР")
        SECRETARY = "secretary", _("секретарь")
        SCHEDULER = "scheduler", _("диспетчер расписания")

    user = models.ForeignKey(User, verbose_name=_("пользователь"), on_delete=models.CASCADE, related_name="roles")
    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("роль"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("назначена"), auto_now_add=True)

    class Meta:
        verbose_name = _("роль")
        verbose_name_plural = _("роли")
        constraints = [models.UniqueConstraint(fields=["user", "school", "role"], name="role_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class Guardianship(models.Model):
    """Parent (законный представитель) ↔ child."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("мать")
        FATHER = "father", _("отец")
        GUARDIAN = "guardian", _("опекун")

    parent = models.ForeignKey(
        User, verbose_name=_("родитель"), on_delete=models.CASCADE, related_name="children_links"
    )
    child = models.ForeignKey(User, verbose_name=_("ребёнок"), on_delete=models.CASCADE, related_name="parent_links")
    relation = models.CharField(_("кем приходится"), max_length=16, choices=Relation.choices, blank=True)
    created_at = models.DateTimeField(_("добавлен"), auto_now_add=True)

    class Meta:
        verbose_name = _("законный представитель")
        verbose_name_plural = _("законные представители")
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="guardianship_unique"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("child")),
                name="guardianship_not_self",
                violation_error_message=_("Человек не может быть законным представителем самого себя."),
            ),
        ]

    def __str__(self):
        return f"{self.parent} → {self.child}"


class AuditEvent(models.Model):
    """Append-only, hash-chained trail of every legally significant change.

    PostgreSQL rejects UPDATE and DELETE on this table (trigger in migration 0002).
    Each school has its own chain; `prev_hash` links to the previous row of it.
    """

    school = models.ForeignKey(
        School, verbose_name=_("школа"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        User, verbose_name=_("кто"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("действие"), max_length=64)
    object_type = models.CharField(_("тип объекта"), max_length=64)
    object_id = models.CharField(_("объект"), max_length=64, blank=True)
    before = models.JSONField(_("было"), null=True, blank=True)
    after = models.JSONField(_("стало"), null=True, blank=True)
    reason = models.TextField(_("причина"), blank=True)
    ip = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    created_at = models.DateTimeField(_("время (UTC)"))
    prev_hash = models.CharField(_("хеш предыдущей записи"), max_length=64)
    hash = models.CharField(_("хеш записи"), max_length=64, unique=True)
    # 1: SHA-256 (before the keyed chain); 2: HMAC with the audit key (accounts/audit_keys.py).
    chain_version = models.PositiveSmallIntegerField(_("версия цепочки"), default=2)

    class Meta:
        verbose_name = _("запись журнала аудита")
        verbose_name_plural = _("журнал аудита")
        indexes = [
            models.Index(fields=["school", "id"], name="audit_school_idx"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_time_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class LoginEvent(models.Model):
    """Logins, failed logins and logouts (activity reports, security review)."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("вход")
        FAILED = "failed", _("неудачный вход")
        LOGOUT = "logout", _("выход")

    user = models.ForeignKey(
        User,
        verbose_name=_("пользователь"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="login_events",
    )
    school = models.ForeignKey(
        School, verbose_name=_("школа"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("логин"), max_length=150)
    kind = models.CharField(_("событие"), max_length=8, choices=Kind.choices)
    ip = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    at = models.DateTimeField(_("время"), auto_now_add=True)

    class Meta:
        verbose_name = _("событие входа")
        verbose_name_plural = _("события входа")
        indexes = [models.Index(fields=["school", "at"], name="loginevent_school_at_idx")]

    def __str__(self):
        return f"{self.username} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class DailyActivity(models.Model):
    """One row per user per day, upserted on each request (not a row per request).

    `diary_views` counts the diary pages a parent or pupil opened that day.
    """

    user = models.ForeignKey(User, verbose_name=_("пользователь"), on_delete=models.CASCADE, related_name="activity")
    school = models.ForeignKey(
        School, verbose_name=_("школа"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    day = models.DateField(_("день"))
    requests = models.PositiveIntegerField(_("запросов"), default=0)
    diary_views = models.PositiveIntegerField(_("просмотров дневника"), default=0)
    first_seen = models.DateTimeField(_("первый запрос"))
    last_seen = models.DateTimeField(_("последний запрос"))

    class Meta:
        verbose_name = _("активность за день")
        verbose_name_plural = _("активность пользователей")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="daily_activity_unique")]
        indexes = [models.Index(fields=["school", "day"], name="activity_school_day_idx")]

    def __str__(self):
        return f"{self.user} {self.day}: {self.requests}"


# --- object permissions (django-guardian, direct foreign keys) ---------------------------


class UserDiaryPermission(UserObjectPermissionBase):
    """`read_diary` on a pupil, held by each of the pupil's parents (from Guardianship).

    A direct foreign key instead of guardian's generic table: joins by integer key and
    the row goes away with the pupil.
    """

    content_object = models.ForeignKey(User, on_delete=models.CASCADE, related_name="diary_permissions")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("право на дневник")
        verbose_name_plural = _("права на дневники")


# --- credentials, personal data, compromise ---------------------------------------------


class CredentialIssue(models.Model):
    """A receipt of issued credentials: who gave whom a login and one-time password, when.

    The password itself is never stored; `signed_at` is set when the signed slip is back.
    """

    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        User, verbose_name=_("получатель"), on_delete=models.CASCADE, related_name="credential_issues"
    )
    username = models.CharField(_("логин"), max_length=150)
    issued_by = models.ForeignKey(User, verbose_name=_("выдал"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("выдано"), auto_now_add=True)
    signed_at = models.DateTimeField(_("расписка получена"), null=True, blank=True)
    signed_recorded_by = models.ForeignKey(
        User,
        verbose_name=_("получение расписки отметил"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("выдача реквизитов")
        verbose_name_plural = _("выдача реквизитов")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["user", "issued_at"], name="credissue_user_idx")]

    def __str__(self):
        return f"{self.username} {self.issued_at:%d.%m.%Y}"


class PersonalDataConsent(models.Model):
    """Consent to personal-data processing (152-ФЗ), given by the person or a parent."""

    subject = models.ForeignKey(
        User, verbose_name=_("чьи данные"), on_delete=models.CASCADE, related_name="pd_consents"
    )
    given_by = models.CharField(_("кто дал согласие"), max_length=300)
    given_on = models.DateField(_("дата согласия"))
    recorded_by = models.ForeignKey(User, verbose_name=_("внёс"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("внесено"), auto_now_add=True)
    withdrawn_on = models.DateField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("согласие на обработку персональных данных")
        verbose_name_plural = _("согласия на обработку персональных данных")
        ordering = ["-given_on"]

    def __str__(self):
        return f"{self.subject}: {self.given_on:%d.%m.%Y}"


class CardView(models.Model):
    """Who opened whose personal card, when (152-ФЗ: access to personal data is logged)."""

    viewer = models.ForeignKey(User, verbose_name=_("кто открыл"), on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(
        User, verbose_name=_("чья карточка"), on_delete=models.CASCADE, related_name="card_views"
    )
    school = models.ForeignKey(
        School, verbose_name=_("школа"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("время"), auto_now_add=True)
    ip = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)

    class Meta:
        verbose_name = _("просмотр карточки")
        verbose_name_plural = _("просмотры карточек")
        indexes = [models.Index(fields=["subject", "at"], name="cardview_subject_idx")]

    def __str__(self):
        return f"{self.viewer} → {self.subject} {self.at:%d.%m.%Y %H:%M}"


COMPROMISE_REASON_MAX = 2000  # docs/DESIGN.md §3.24


class Compromise(models.Model):
    """An account reported compromised (docs/DESIGN.md §3.11).

    Everything the account did from `learned_at` on is void: listed and reverted.
    """

    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, verbose_name=_("учётная запись"), on_delete=models.PROTECT, related_name="+")
    REASON_MAX = COMPROMISE_REASON_MAX

    learned_at = models.DateTimeField(_("когда школе стало известно"))
    reason = models.TextField(_("обстоятельства"), max_length=REASON_MAX)
    recorded_by = models.ForeignKey(User, verbose_name=_("зафиксировал"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("зафиксировано"), auto_now_add=True)

    class Meta:
        verbose_name = _("компрометация учётной записи")
        verbose_name_plural = _("компрометации учётных записей")
        ordering = ["-recorded_at"]
        constraints = [
            moment_range("learned_at", "compromise_learned_at_range"),
            text_limit("reason", COMPROMISE_REASON_MAX, "compromise_reason_length"),
        ]

    def __str__(self):
        return _("%(user)s с %(moment)s") % {"user": self.user, "moment": f"{self.learned_at:%d.%m.%Y %H:%M}"}


class VoidedOperation(models.Model):
    """One operation of a compromised account and what became of it."""

    class Outcome(models.TextChoices):
        REVERTED = "reverted", _("отменена")
        SUPERSEDED = "superseded", _("не отменена: позже изменена другим пользователем")
        MANUAL = "manual", _("требует ручной проверки")
        FAILED = "failed", _("не удалось отменить")

    compromise = models.ForeignKey(
        Compromise, verbose_name=_("компрометация"), on_delete=models.PROTECT, related_name="voided"
    )
    event = models.ForeignKey(AuditEvent, verbose_name=_("операция"), on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("итог"), max_length=12, choices=Outcome.choices)
    note = models.CharField(_("пояснение"), max_length=500, blank=True)
    reversal = models.ForeignKey(
        AuditEvent, verbose_name=_("отмена"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("аннулированная операция")
        verbose_name_plural = _("аннулированные операции")
        ordering = ["event_id"]
        constraints = [models.UniqueConstraint(fields=["compromise", "event"], name="voided_unique")]

    def __str__(self):
        return f"{self.event} — {self.get_outcome_display()}"
