"""factory_boy factories for the domain; tests build data only through these."""

from datetime import date, time
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accounts.models import Guardianship, RoleAssignment, School, User
from journal.models import (
    AcademicYear,
    Assessment,
    Attendance,
    Bell,
    CurriculumLine,
    Enrollment,
    Group,
    GroupMembership,
    GroupSplit,
    Holidays,
    Lesson,
    Mark,
    Room,
    SchoolClass,
    StudyPeriod,
    Subject,
    TeachingAssignment,
    TimetableEntry,
    WorkType,
)

PASSWORD = "Vb7-kol-Zn4"  # a password every factory user gets (passes the validators)


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"МБОУ СОШ № {n + 1}")
    full_name = factory.LazyAttribute(lambda o: f"Муниципальное бюджетное общеобразовательное учреждение «{o.name}»")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = factory.Iterator(["Иванов", "Петров", "Смирнов", "Кузнецов", "Соколов"])
    first_name = factory.Iterator(["Алексей", "Дмитрий", "Иван", "Сергей", "Михаил"])
    patronymic = factory.Iterator(["Петрович", "Иванович", "Сергеевич", "Андреевич", "Олегович"])
    school = factory.SubFactory(SchoolFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    school = factory.LazyAttribute(lambda o: o.user.school)
    role = RoleAssignment.Role.DEPUTY


class GuardianshipFactory(DjangoModelFactory):
    class Meta:
        model = Guardianship

    parent = factory.SubFactory(UserFactory)
    child = factory.SubFactory(UserFactory)
    relation = Guardianship.Relation.MOTHER


class YearFactory(DjangoModelFactory):
    """2026/2027 by default, with quarters, halves and the year as periods."""

    class Meta:
        model = AcademicYear
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = "2026/2027"
    start = date(2026, 9, 1)
    end = date(2027, 5, 31)

    @factory.post_generation
    def periods(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        Q = StudyPeriod.Scheme
        y = obj.start.year
        quarters = [
            (date(y, 9, 1), date(y, 10, 24)),
            (date(y, 11, 5), date(y, 12, 28)),
            (date(y + 1, 1, 12), date(y + 1, 3, 20)),
            (date(y + 1, 3, 30), date(y + 1, 5, 31)),
        ]
        for n, (s, e) in enumerate(quarters, 1):
            StudyPeriod.objects.create(year=obj, scheme=Q.QUARTER, number=n, start=s, end=e)
        StudyPeriod.objects.create(year=obj, scheme=Q.HALF, number=1, start=date(y, 9, 1), end=date(y, 12, 28))
        StudyPeriod.objects.create(year=obj, scheme=Q.HALF, number=2, start=date(y + 1, 1, 12), end=date(y + 1, 5, 31))
        StudyPeriod.objects.create(year=obj, scheme=Q.YEAR, number=1, start=obj.start, end=obj.end)
        for name, s, e in [
            ("Осенние каникулы", date(y, 10, 25), date(y, 11, 4)),
            ("Зимние каникулы", date(y, 12, 29), date(y + 1, 1, 11)),
            ("Весенние каникулы", date(y + 1, 3, 21), date(y + 1, 3, 29)),
        ]:
            Holidays.objects.create(year=obj, name=name, start=s, end=e)


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room

    school = factory.SubFactory(SchoolFactory)
    number = factory.Sequence(lambda n: str(100 + n))


class BellFactory(DjangoModelFactory):
    class Meta:
        model = Bell
        django_get_or_create = ("school", "number")

    school = factory.SubFactory(SchoolFactory)
    number = 1
    starts = factory.LazyAttribute(lambda o: time(8 + o.number - 1, 0))
    ends = factory.LazyAttribute(lambda o: time(8 + o.number - 1, 45))


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("school", "name")

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Предмет {n}")


class WorkTypeFactory(DjangoModelFactory):
    class Meta:
        model = WorkType
        django_get_or_create = ("school", "code")

    school = factory.SubFactory(SchoolFactory)
    name = "Ответ на уроке"
    code = "oral"
    weight = Decimal("1.0")


class ClassFactory(DjangoModelFactory):
    class Meta:
        model = SchoolClass

    year = factory.SubFactory(YearFactory)
    grade = 5
    letter = factory.Sequence(lambda n: "АБВГДЕЖ"[n % 7])


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group

    school_class = factory.SubFactory(ClassFactory)
    name = factory.Sequence(lambda n: f"Группа {n + 1}")


class GroupSplitFactory(DjangoModelFactory):
    class Meta:
        model = GroupSplit

    school_class = factory.SubFactory(ClassFactory)
    name = factory.Sequence(lambda n: f"Деление {n + 1}")


class GroupMembershipFactory(DjangoModelFactory):
    """A pupil in a group, by default from the start of the class's year, open-ended."""

    class Meta:
        model = GroupMembership

    start = factory.LazyAttribute(lambda o: o.group.school_class.year.start)


class CurriculumFactory(DjangoModelFactory):
    class Meta:
        model = CurriculumLine

    hours_per_week = Decimal("2")
    hours_per_year = 68


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = TeachingAssignment

    school_class = factory.SubFactory(ClassFactory)
    teacher = factory.SubFactory(UserFactory, school=factory.SelfAttribute("..school_class.year.school"))
    subject = factory.SubFactory(SubjectFactory, school=factory.SelfAttribute("..school_class.year.school"))


class TimetableFactory(DjangoModelFactory):
    class Meta:
        model = TimetableEntry

    assignment = factory.SubFactory(AssignmentFactory)
    weekday = 1
    bell = factory.SubFactory(BellFactory, school=factory.SelfAttribute("..assignment.school_class.year.school"))
    valid_from = factory.LazyAttribute(lambda o: o.assignment.school_class.year.start)


class EnrollmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrollment

    school_class = factory.SubFactory(ClassFactory)
    pupil = factory.SubFactory(UserFactory, school=factory.SelfAttribute("..school_class.year.school"))
    start = factory.LazyAttribute(lambda o: o.school_class.year.start)
    start_order = "15-у"
    start_order_date = factory.LazyAttribute(lambda o: o.start)


class LessonFactory(DjangoModelFactory):
    class Meta:
        model = Lesson

    assignment = factory.SubFactory(AssignmentFactory)
    date = date(2026, 11, 9)
    bell = factory.SubFactory(BellFactory, school=factory.SelfAttribute("..assignment.school_class.year.school"))


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    lesson = factory.SubFactory(LessonFactory)
    work_type = factory.SubFactory(
        WorkTypeFactory, school=factory.SelfAttribute("..lesson.assignment.school_class.year.school")
    )
    weight = factory.LazyAttribute(lambda o: o.work_type.weight)
    position = factory.Sequence(lambda n: n + 1)


class MarkFactory(DjangoModelFactory):
    class Meta:
        model = Mark

    assessment = factory.SubFactory(AssessmentFactory)
    value = "5"
    created_by = factory.LazyAttribute(lambda o: o.assessment.lesson.assignment.teacher)
    updated_by = factory.LazyAttribute(lambda o: o.created_by)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    lesson = factory.SubFactory(LessonFactory)
    code = Attendance.Code.ABSENT
    created_by = factory.LazyAttribute(lambda o: o.lesson.assignment.teacher)


# --- records (issue 4): substitutions and outages --------------------------------------

from datetime import timedelta as _td  # noqa: E402

from django.utils import timezone as _tz  # noqa: E402

from journal.models import Outage, Substitution  # noqa: E402


class SubstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Substitution

    lesson = factory.SubFactory(LessonFactory)
    substitute = factory.SubFactory(UserFactory)
    reason = "Больничный основного учителя"
    batch = factory.Faker("uuid4", cast_to=None)
    assigned_by = factory.SubFactory(UserFactory)
    ends_at = factory.LazyFunction(lambda: _tz.now() + _td(days=1))


class OutageFactory(DjangoModelFactory):
    class Meta:
        model = Outage

    school = factory.SubFactory(SchoolFactory)
    start = factory.LazyFunction(lambda: _tz.now() - _td(days=1))
    end = factory.LazyFunction(_tz.now)
    reason = "Нет доступа к интернету"
    created_by = factory.SubFactory(UserFactory, school=factory.SelfAttribute("..school"))


# --- diary (issue 5): the rest of a lesson's records ---------------------------------
# --- deadline control (issue 7) ---
from django.utils import timezone  # noqa: E402

from journal.models import (  # noqa: E402
    AttendanceRoll,  # noqa: E402
    Homework,
    IndividualHomework,
    LessonComment,
    PeriodMark,
)


class HomeworkFactory(DjangoModelFactory):
    class Meta:
        model = Homework

    lesson = factory.SubFactory(LessonFactory)
    text = "§ 12, № 1–5"


class IndividualHomeworkFactory(DjangoModelFactory):
    class Meta:
        model = IndividualHomework

    lesson = factory.SubFactory(LessonFactory)
    text = "Карточка № 3"


class LessonCommentFactory(DjangoModelFactory):
    class Meta:
        model = LessonComment

    lesson = factory.SubFactory(LessonFactory)
    text = "Хорошо работала у доски"


class AttendanceRollFactory(DjangoModelFactory):
    class Meta:
        model = AttendanceRoll

    lesson = factory.SubFactory(LessonFactory)
    taken_by = factory.LazyAttribute(lambda o: o.lesson.assignment.teacher)
    taken_at = factory.LazyFunction(timezone.now)


class PeriodMarkFactory(DjangoModelFactory):
    class Meta:
        model = PeriodMark

    assignment = factory.SubFactory(AssignmentFactory)
    subject = factory.LazyAttribute(lambda o: o.assignment.subject)
    period = factory.LazyAttribute(
        lambda o: o.assignment.school_class.year.periods.get(scheme=StudyPeriod.Scheme.QUARTER, number=1)
    )
    kind = PeriodMark.Kind.PERIOD
    value = "5"
    set_by = factory.LazyAttribute(lambda o: o.assignment.teacher)


# --- reports (issue 6) ---------------------------------------------------------------


class ReportJobFactory(DjangoModelFactory):
    class Meta:
        model = "reports.ReportJob"

    school = factory.LazyAttribute(lambda o: o.created_by.school)
    kind = "school_summaries"
    params = factory.LazyAttribute(lambda o: {"object": o.school.years.first().pk})
    title = "Сводные ведомости"
    created_by = factory.SubFactory(UserFactory)


class MonthlyActivityFactory(DjangoModelFactory):
    class Meta:
        model = "reports.MonthlyActivity"
        django_get_or_create = ("school", "month")

    month = date(2026, 11, 1)
    data = factory.LazyAttribute(
        lambda o: {
            "month": o.month.isoformat(),
            "roles": [],
            "diary": {
                "parent": {"total": 0, "opened": 0, "percent": "None"},
                "student": {"total": 0, "opened": 0, "percent": "None"},
            },
            "teachers": [],
        }
    )
