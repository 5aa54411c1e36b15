"""The pupil's diary week and lesson: plain data from a fixed number of queries.

Everything that belongs to the pupil in a lesson (marks with work type and weight,
attendance, individual homework, the teacher's comment) is folded into the one
lesson query as subqueries, so the cost does not grow with lessons or marks.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from ejournal import params, prepared
from journal import rules
from journal.models import (
    Attendance,
    Enrollment,
    IndividualHomework,
    Lesson,
    LessonComment,
    Mark,
    StudyPeriod,
)
from journal.models.groups import lesson_of_pupil_q

DAYS_IN_WEEK = 6  # Monday to Saturday


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_day(value, default: date) -> date:
    """A date from the query string (1900–2100, docs/DESIGN.md §3.24); anything else
    means `default` (never a 500: 9999-12-31 has no next Monday)."""
    return params.parse_date(value, default)


def _enrollments(pupil):
    periods = (
        StudyPeriod.objects.filter(year_id=OuterRef("school_class__year_id"))
        .filter(Q(scheme=OuterRef("school_class__period_scheme")) | Q(scheme=StudyPeriod.Scheme.YEAR))
        .order_by("start", "-end")
        .values(j=JSONObject(id="id", scheme="scheme", number="number", start="start", end="end"))
    )
    return (
        Enrollment.objects.filter(pupil=pupil)
        .select_related("school_class__year__school", "school_class__class_teacher")
        .annotate(periods_json=ArraySubquery(periods))
        .order_by("start")
    )


def pupil_enrollments(pupil) -> list[Enrollment]:
    """All enrollments of the pupil with class, year, school and the year's periods (one query,
    compiled once per process: every diary page asks it)."""
    rows = prepared.objects("diary.enrollments", _enrollments, pupil=pupil.pk)
    for e in rows:
        e.periods = [
            StudyPeriod(
                id=p["id"],
                year_id=e.school_class.year_id,
                scheme=p["scheme"],
                number=p["number"],
                start=date.fromisoformat(p["start"]),
                end=date.fromisoformat(p["end"]),
            )
            for p in e.periods_json
        ]
    return rows


def overlapping(enrollments, start: date, end: date):
    """The loaded `enrollments` sharing a day with [start, end] (Enrollment.overlaps)."""
    return [e for e in enrollments if e.overlaps(start, end)]


def enrollment_on(enrollments, day: date):
    """The enrollment current on `day`, else the nearest earlier one, else the first."""
    current = overlapping(enrollments, day, day)
    if current:
        return current[-1]
    earlier = [e for e in enrollments if e.start <= day]
    return (earlier or enrollments or [None])[-1]


def has_marks(school_class) -> bool:
    """Grade 1 has no marks (unless the school decided otherwise): journal.rules.marks_allowed."""
    return rules.marks_allowed(school_class)


def pupil_lessons(pupil, enrollments, start: date, end: date):
    """Lessons of the class's journals without group and of the pupil's groups on the days he
    is in them (dated memberships), within the enrollment dates."""
    spans = _spans(enrollments, start, end)
    if not spans:
        return Lesson.objects.none()
    return Lesson.objects.filter(_span_q(spans)).filter(lesson_of_pupil_q(pupil.pk))


def _spans(enrollments, start: date, end: date) -> list[tuple]:
    """(class id, first day, last day) of each stay in a class within [start, end]."""
    return [
        (e.school_class_id, max(start, e.start), min(end, e.end or end)) for e in overlapping(enrollments, start, end)
    ]


def _span_q(spans) -> Q:
    span = Q()
    for class_id, first, last in spans:
        span |= Q(assignment__school_class_id=class_id, date__gte=first, date__lte=last)
    return span


def with_pupil_details(lessons, pupil, marks: bool):
    """Annotate each lesson with the pupil's own records (one query in all)."""
    pupil_id = pupil if isinstance(pupil, int) else pupil.pk
    own = {"pupil_id": pupil_id, "lesson": OuterRef("pk")}
    qs = lessons.select_related(
        "assignment__subject", "assignment__teacher", "assignment__group", "bell", "room", "homework"
    ).annotate(
        attendance_code=Subquery(Attendance.objects.filter(**own).values("code")[:1]),
        own_homework=Subquery(IndividualHomework.objects.filter(**own).values("text")[:1]),
        comment=Subquery(LessonComment.objects.filter(**own).values("text")[:1]),
    )
    if marks:
        qs = qs.annotate(
            marks_json=ArraySubquery(
                Mark.objects.filter(pupil_id=pupil_id, assessment__lesson=OuterRef("pk"))
                .order_by("assessment__position", "assessment_id")
                .values(
                    j=JSONObject(
                        id="id",
                        value="value",
                        work_type="assessment__work_type__name",
                        weight="assessment__weight",
                        description="assessment__description",
                    )
                )
            )
        )
    return qs.order_by("date", "bell__number", "pk")


def _week_lessons_query(pupil, spans: int, marks: bool, **days):
    span = _span_q([(days[f"class{i}"], days[f"from{i}"], days[f"to{i}"]) for i in range(spans)])
    return with_pupil_details(Lesson.objects.filter(span).filter(lesson_of_pupil_q(pupil)), pupil, marks)


def week_lessons(pupil, enrollments, start: date, end: date, marks: bool) -> list:
    """pupil_lessons with_pupil_details, as SQL compiled once per process (ejournal/prepared.py):
    PostgreSQL took 12 ms to plan this join of seven tables and three subqueries, and 3 ms
    to run it; prepared, the plan is kept by the connection."""
    spans = _spans(enrollments, start, end)
    if not spans:
        return []
    values = {"pupil": pupil.pk}
    for i, (class_id, first, last) in enumerate(spans):
        values.update({f"class{i}": class_id, f"from{i}": first, f"to{i}": last})
    build = partial(_week_lessons_query, spans=len(spans), marks=marks)
    return prepared.objects(("diary.week_lessons", len(spans), marks), build, **values)


@dataclass
class DiaryMark:
    id: int
    value: str
    work_type: str
    weight: Decimal
    description: str = ""


@dataclass
class DiaryLesson:
    lesson: Lesson
    marks: list = field(default_factory=list)
    attendance: str = ""  # display form: Н, Б, УП, НП, ОП
    homework: str = ""
    own_homework: str = ""
    comment: str = ""
    unfilled: bool = False
    cancelled: bool = False

    @property
    def subject(self):
        return self.lesson.assignment.subject


@dataclass
class DiaryDay:
    day: date
    lessons: list
    is_today: bool


@dataclass
class DiaryWeek:
    pupil: object
    monday: date
    days: list
    school_class: object
    show_marks: bool
    today: date

    @property
    def saturday(self):
        return self.monday + timedelta(days=DAYS_IN_WEEK - 1)

    @property
    def prev_monday(self):
        return self.monday - timedelta(days=7)

    @property
    def next_monday(self):
        return self.monday + timedelta(days=7)

    @property
    def lessons(self):
        return [dl for d in self.days for dl in d.lessons]


ATTENDANCE_LABELS = dict(Attendance.Code.choices)


def to_diary_lesson(lesson, today, show_marks) -> DiaryLesson:
    homework = getattr(lesson, "homework", None)
    marks = []
    if show_marks:
        marks = [
            DiaryMark(
                id=m["id"],
                value=m["value"],
                work_type=m["work_type"],
                weight=Decimal(str(m["weight"])),
                description=m["description"] or "",
            )
            for m in lesson.marks_json
        ]
    cancelled = lesson.status == Lesson.Status.CANCELLED
    return DiaryLesson(
        lesson=lesson,
        marks=marks,
        attendance=ATTENDANCE_LABELS.get(lesson.attendance_code, "") if lesson.attendance_code else "",
        homework=homework.text if homework else "",
        own_homework=lesson.own_homework or "",
        comment=lesson.comment or "",
        unfilled=not cancelled and lesson.date <= today and not lesson.topic,
        cancelled=cancelled,
    )


def build_week(pupil, day: date, enrollments=None, today=None) -> DiaryWeek:
    """The Monday–Saturday week containing `day`: two queries (enrollments, lessons)."""
    today = today or timezone.localdate()
    monday = monday_of(day)
    saturday = monday + timedelta(days=DAYS_IN_WEEK - 1)
    enrollments = pupil_enrollments(pupil) if enrollments is None else enrollments
    current = enrollment_on(enrollments, saturday if monday <= today <= saturday else monday)
    klass = current.school_class if current else None
    show = bool(klass) and has_marks(klass)
    by_day = {monday + timedelta(days=i): [] for i in range(DAYS_IN_WEEK)}
    for lesson in week_lessons(pupil, enrollments, monday, saturday, show):
        if lesson.date in by_day:
            by_day[lesson.date].append(to_diary_lesson(lesson, today, show))
    days = [DiaryDay(day=d, lessons=ls, is_today=d == today) for d, ls in by_day.items()]
    return DiaryWeek(pupil=pupil, monday=monday, days=days, school_class=klass, show_marks=show, today=today)


def get_pupil_lesson(pupil, lesson_id, enrollments=None, today=None):
    """One lesson of the pupil's diary (Http404 in the view when None)."""
    today = today or timezone.localdate()
    enrollments = pupil_enrollments(pupil) if enrollments is None else enrollments
    if not enrollments:
        return None, None
    start = min(e.start for e in enrollments)
    end = max((e.end or date.max) for e in enrollments)
    lesson = with_pupil_details(pupil_lessons(pupil, enrollments, start, end), pupil, True).filter(pk=lesson_id).first()
    if lesson is None:
        return None, None
    klass = enrollment_on(enrollments, lesson.date).school_class
    show = has_marks(klass)
    return to_diary_lesson(lesson, today, show), klass
