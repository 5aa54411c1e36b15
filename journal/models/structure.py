"""The school's academic structure (docs/DESIGN.md §2.1)."""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import School

from . import dated
from .dated import DateRangeQuerySet, EnrollmentQuerySet


class DateRange(Func):
    """daterange(start, end, '[]'); a NULL end means open-ended."""

    function = "DATERANGE"
    output_field = DateRangeField()


class DateRangeModel(models.Model):
    """A model with a (from, to) date pair under an exclusion constraint.

    Validating the exclusion constraint asks PostgreSQL for DATERANGE(from, to), which
    fails outright when `to` is before `from`; then only the other constraints are
    validated, and the check constraint names the reversed dates in Russian."""

    range_fields = ("start", "end")

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        lower, upper = (getattr(self, f) for f in self.range_fields)
        if lower is None or upper is None or upper >= lower:
            return super().validate_constraints(exclude=exclude)
        errors = []
        for constraint in self._meta.constraints:
            if isinstance(constraint, ExclusionConstraint):
                continue
            try:
                constraint.validate(type(self), self, exclude=exclude)
            except ValidationError as e:
                errors.append(e)
        if errors:
            raise ValidationError(errors)

    def covers(self, day) -> bool:
        """Is this row current on `day`? (the in-memory twin of `objects.on(day)`)"""
        lower, upper = (getattr(self, f) for f in self.range_fields)
        return dated.covers(lower, upper, day)

    def overlaps(self, start, end) -> bool:
        """Does this row share a day with [start, end]? (twin of `objects.overlapping()`)"""
        lower, upper = (getattr(self, f) for f in self.range_fields)
        return dated.overlaps(lower, upper, start, end)


class AcademicYear(DateRangeModel):
    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="years")
    name = models.CharField(_("название"), max_length=20, help_text="2026/2027")
    start = models.DateField(_("начало"))
    end = models.DateField(_("окончание"))
    is_closed = models.BooleanField(_("закрыт"), default=False)
    exam_marks_deadline = models.DateField(
        _("крайний срок экзаменационных и итоговых отметок"),
        null=True,
        blank=True,
        help_text=_("Экзамены 9 и 11 классов идут в июне; пусто — 30 июня."),
    )

    objects = DateRangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("учебный год")
        verbose_name_plural = _("учебные годы")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="year_name_unique"),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="year_end_after_start",
                violation_error_message=_("Окончание учебного года должно быть позже его начала."),
            ),
            ExclusionConstraint(
                name="year_no_overlap",
                expressions=[
                    (DateRange("start", "end", models.Value("[]")), RangeOperators.OVERLAPS),
                    ("school", RangeOperators.EQUAL),
                ],
                violation_error_message=_("Учебные годы школы не могут пересекаться."),
            ),
        ]

    def __str__(self):
        return self.name


class StudyPeriod(DateRangeModel):
    """A quarter, half-year, trimester, or the whole year; exam and final marks
    are period marks of kinds, not periods."""

    class Scheme(models.TextChoices):
        QUARTER = "quarter", _("четверть")
        HALF = "half", _("полугодие")
        TRIMESTER = "trimester", _("триместр")
        YEAR = "year", _("год")

    year = models.ForeignKey(
        AcademicYear, verbose_name=_("учебный год"), on_delete=models.CASCADE, related_name="periods"
    )
    scheme = models.CharField(_("вид периода"), max_length=16, choices=Scheme.choices)
    number = models.PositiveSmallIntegerField(_("номер"))
    start = models.DateField(_("начало"))
    end = models.DateField(_("окончание"))
    marks_deadline = models.DateField(
        _("крайний срок итоговых отметок"),
        null=True,
        blank=True,
        help_text=_("По приказу школы; пусто — день окончания."),
    )

    objects = DateRangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("учебный период")
        verbose_name_plural = _("учебные периоды")
        ordering = ["year", "scheme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "scheme", "number"], name="period_unique"),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="period_end_after_start",
                violation_error_message=_("Окончание периода не может быть раньше его начала."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=4),
                name="period_number_range",
                violation_error_message=_("Номер периода — от 1 до 4."),
            ),
            ExclusionConstraint(
                name="period_no_overlap",
                expressions=[
                    (DateRange("start", "end", models.Value("[]")), RangeOperators.OVERLAPS),
                    ("year", RangeOperators.EQUAL),
                    ("scheme", RangeOperators.EQUAL),
                ],
                violation_error_message=_("Периоды одного вида не могут пересекаться."),
            ),
        ]

    def __str__(self):
        if self.scheme == self.Scheme.YEAR:
            return str(_("Год"))
        return f"{self.number} {self.get_scheme_display()}"

    @property
    def deadline(self):
        return self.marks_deadline or self.end


class Holidays(models.Model):
    year = models.ForeignKey(
        AcademicYear, verbose_name=_("учебный год"), on_delete=models.CASCADE, related_name="holidays"
    )
    name = models.CharField(_("название"), max_length=100)
    start = models.DateField(_("начало"))
    end = models.DateField(_("окончание"))
    grades = models.CharField(
        _("только для параллелей"),
        max_length=40,
        blank=True,
        help_text=_("Например «1» для доп. каникул первоклассников; пусто — все."),
    )

    class Meta:
        verbose_name = _("каникулы")
        verbose_name_plural = _("каникулы")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="holidays_end_after_start",
                violation_error_message=_("Окончание каникул не может быть раньше их начала."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.start:%d.%m}–{self.end:%d.%m})"

    def applies_to(self, grade: int) -> bool:
        if not self.grades:
            return True
        return str(grade) in {g.strip() for g in self.grades.split(",")}


class Room(models.Model):
    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="rooms")
    number = models.CharField(_("номер"), max_length=20)
    name = models.CharField(_("название"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("кабинет")
        verbose_name_plural = _("кабинеты")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["school", "number"], name="room_unique")]

    def __str__(self):
        return self.number


class Bell(models.Model):
    """One line of the bell schedule (режим звонков)."""

    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="bells")
    number = models.PositiveSmallIntegerField(_("номер урока"))
    starts = models.TimeField(_("начало"))
    ends = models.TimeField(_("окончание"))

    class Meta:
        verbose_name = _("звонок")
        verbose_name_plural = _("расписание звонков")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="bell_unique"),
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")),
                name="bell_ends_after_start",
                violation_error_message=_("Урок должен заканчиваться позже, чем начинается."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.starts:%H:%M}–{self.ends:%H:%M}"


class Subject(models.Model):
    class Assessment(models.TextChoices):
        NUMERIC = "numeric", _("пятибалльная")
        PASS_FAIL = "pass_fail", _("зачёт/незачёт")

    school = models.ForeignKey(School, verbose_name=_("школа"), on_delete=models.PROTECT, related_name="subjects")
    name = models.CharField(_("название"), max_length=120)
    short_name = models.CharField(_("сокращение"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("порядок в ведомостях"), default=100)
    assessment = models.CharField(
        _("система оценивания"), max_length=16, choices=Assessment.choices, default=Assessment.NUMERIC
    )

    class Meta:
        verbose_name = _("предмет")
        verbose_name_plural = _("предметы")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="subject_unique")]

    def __str__(self):
        return self.name


class SchoolClass(models.Model):
    year = models.ForeignKey(
        AcademicYear, verbose_name=_("учебный год"), on_delete=models.PROTECT, related_name="classes"
    )
    grade = models.PositiveSmallIntegerField(_("параллель"))
    letter = models.CharField(_("литера"), max_length=4)
    class_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("классный руководитель"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_classes",
    )
    period_scheme = models.CharField(
        _("деление на периоды"), max_length=16, choices=StudyPeriod.Scheme.choices, default=StudyPeriod.Scheme.QUARTER
    )
    room = models.ForeignKey(
        Room, verbose_name=_("кабинет"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The previous year's class this one continues (5А of last year → 6А): the promotion
    # by order moves its pupils here (docs/DESIGN.md §3.26). Empty for a new 1st class.
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("продолжает класс прошлого года"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
    )

    class Meta:
        verbose_name = _("класс")
        verbose_name_plural = _("классы")
        ordering = ["grade", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "grade", "letter"], name="class_unique"),
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=11),
                name="class_grade_range",
                violation_error_message=_("Параллель — число от 1 до 11."),
            ),
            models.CheckConstraint(
                condition=~Q(period_scheme="year"),
                name="class_scheme_not_year",
                violation_error_message=_("Класс делится на четверти, полугодия или триместры, а не на год."),
            ),
        ]
        permissions = [("lead_class", _("классное руководство"))]

    def __str__(self):
        return f"{self.grade}{self.letter}"

    @property
    def school_id(self):
        return self.year.school_id

    @property
    def has_marks(self):
        from .. import rules

        return rules.marks_allowed(self)


class CurriculumLine(models.Model):
    """Учебный план: class × subject × hours."""

    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("класс"), on_delete=models.CASCADE, related_name="curriculum"
    )
    subject = models.ForeignKey(Subject, verbose_name=_("предмет"), on_delete=models.PROTECT, related_name="+")
    hours_per_week = models.DecimalField(_("часов в неделю"), max_digits=4, decimal_places=1)
    hours_per_year = models.PositiveSmallIntegerField(_("часов в год"))

    class Meta:
        verbose_name = _("строка учебного плана")
        verbose_name_plural = _("учебный план")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "subject"], name="curriculum_unique"),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0),
                name="curriculum_hours_positive",
                violation_error_message=_("Число часов в неделю должно быть больше нуля."),
            ),
        ]

    def __str__(self):
        return gettext("%(class)s %(subject)s: %(hours)s ч/нед") % {
            "class": self.school_class,
            "subject": self.subject,
            "hours": self.hours_per_week,
        }


class TeachingAssignment(models.Model):
    """Нагрузка: one teacher's journal (class or group × subject × year)."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("учитель"), on_delete=models.PROTECT, related_name="assignments"
    )
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("класс"), on_delete=models.PROTECT, related_name="assignments"
    )
    group = models.ForeignKey(
        "Group", verbose_name=_("группа"), on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("предмет"), on_delete=models.PROTECT, related_name="assignments"
    )
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        verbose_name = _("учебная нагрузка")
        verbose_name_plural = _("учебная нагрузка")
        constraints = [
            # One journal per class (or group) and subject.
            models.UniqueConstraint(
                fields=["school_class", "subject"],
                condition=Q(group__isnull=True),
                name="assignment_class_subject_unique",
            ),
            models.UniqueConstraint(
                fields=["group", "subject"], condition=Q(group__isnull=False), name="assignment_group_subject_unique"
            ),
        ]
        indexes = [models.Index(fields=["teacher", "is_active"], name="assignment_teacher_idx")]
        permissions = [("fill_journal", _("вести журнал (уроки, отметки, посещаемость)"))]

    def __str__(self):
        where = self.group if self.group_id else self.school_class
        return f"{where} · {self.subject}"


class TimetableEntry(DateRangeModel):
    range_fields = ("valid_from", "valid_to")

    class Weekday(models.IntegerChoices):
        MON = 1, _("понедельник")
        TUE = 2, _("вторник")
        WED = 3, _("среда")
        THU = 4, _("четверг")
        FRI = 5, _("пятница")
        SAT = 6, _("суббота")

    assignment = models.ForeignKey(
        TeachingAssignment, verbose_name=_("нагрузка"), on_delete=models.CASCADE, related_name="timetable"
    )
    weekday = models.PositiveSmallIntegerField(_("день недели"), choices=Weekday.choices)
    bell = models.ForeignKey(Bell, verbose_name=_("урок"), on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(
        Room, verbose_name=_("кабинет"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    valid_from = models.DateField(_("действует с"))
    valid_to = models.DateField(_("действует по"), null=True, blank=True)

    class Meta:
        verbose_name = _("строка расписания")
        verbose_name_plural = _("расписание")
        ordering = ["weekday", "bell__number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="timetable_valid_range",
                violation_error_message=_("«Действует по» не может быть раньше «действует с»."),
            ),
            ExclusionConstraint(
                name="timetable_no_double_booking",
                expressions=[
                    (DateRange("valid_from", "valid_to", models.Value("[]")), RangeOperators.OVERLAPS),
                    ("assignment", RangeOperators.EQUAL),
                    ("weekday", RangeOperators.EQUAL),
                    ("bell", RangeOperators.EQUAL),
                ],
                violation_error_message=_("Этот урок уже стоит в расписании на это время."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.bell.number}: {self.assignment}"


class Enrollment(DateRangeModel):
    """A pupil's stay in a class, with the orders of arrival and departure."""

    class Movement(models.TextChoices):
        ADMITTED = "admitted", _("прибыл")
        TRANSFERRED = "transferred", _("переведён")
        LEFT = "left", _("выбыл")
        PROMOTED = "promoted", _("переведён в следующий класс")
        GRADUATED = "graduated", _("окончил")
        # The promotion by order (docs/DESIGN.md §3.26).
        CONDITIONAL = "conditional", _("переведён условно")
        REPEATED = "repeated", _("оставлен на повторное обучение")

    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ученик"), on_delete=models.PROTECT, related_name="enrollments"
    )
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("класс"), on_delete=models.PROTECT, related_name="enrollments"
    )
    start = models.DateField(_("с"))
    end = models.DateField(_("по"), null=True, blank=True)
    start_reason = models.CharField(
        _("основание зачисления"), max_length=16, choices=Movement.choices, default=Movement.ADMITTED
    )
    start_order = models.CharField(_("приказ о зачислении №"), max_length=40, blank=True)
    start_order_date = models.DateField(_("дата приказа о зачислении"), null=True, blank=True)
    end_reason = models.CharField(_("основание выбытия"), max_length=16, choices=Movement.choices, blank=True)
    end_order = models.CharField(_("приказ о выбытии №"), max_length=40, blank=True)
    end_order_date = models.DateField(_("дата приказа о выбытии"), null=True, blank=True)
    destination = models.CharField(_("куда выбыл"), max_length=200, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("зачисление")
        verbose_name_plural = _("движение учащихся")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="enrollment_range",
                violation_error_message=_("Дата выбытия не может быть раньше даты зачисления."),
            ),
            ExclusionConstraint(
                name="enrollment_no_overlap",
                expressions=[
                    (DateRange("start", "end", models.Value("[]")), RangeOperators.OVERLAPS),
                    ("pupil", RangeOperators.EQUAL),
                ],
                violation_error_message=_("Ученик не может числиться в двух классах одновременно."),
            ),
        ]
        indexes = [models.Index(fields=["school_class", "start"], name="enrollment_class_idx")]

    def __str__(self):
        return gettext("%(pupil)s в %(class)s с %(start)s") % {
            "pupil": self.pupil,
            "class": self.school_class,
            "start": f"{self.start:%d.%m.%Y}",
        }

    def arrived_within(self, lo, hi) -> bool:
        return dated.arrived(self.start, lo, hi)

    def left_within(self, lo, hi) -> bool:
        return dated.left(self.end, lo, hi)
