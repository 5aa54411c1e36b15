"""Lists of journals: «Мои журналы», a class's journals, the school's classes (issue 14).

Each journal row carries its last held lesson, whether that lesson is filled (topic,
attendance, homework) and how many days are left before it locks for its teacher
(journal/rules.py, docs/DESIGN.md §3.4). Plain data from a fixed number of queries,
whatever the number of journals: one for the journals with their last lesson's id, one
for those lessons with their filled flags.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from . import access, rules
from .models import Attendance, AttendanceRoll, Homework, Lesson, SchoolClass, TeachingAssignment

JOURNAL_RELATED = ("school_class__year__school", "group", "subject", "teacher")
LESSON_RELATED = (
    "assignment__school_class__year__school",
    "assignment__group",
    "assignment__subject",
    "assignment__teacher",
    "bell",
)


@dataclass
class LessonState:
    """What a list says about one lesson: filled or not, and when it locks."""

    lesson: Lesson
    topic: bool
    attendance: bool
    homework: bool | None  # None: no homework in this class (grade 1, docs/DESIGN.md §3.13)
    locked: bool
    lock_at: datetime  # the moment the lesson locks for its teacher
    days_left: int | None  # whole days from today to the lock; None once locked

    @property
    def last_day(self) -> date:
        """The last day the teacher may still change the lesson herself."""
        return timezone.localtime(self.lock_at).date() - timedelta(days=1)

    @property
    def filled(self) -> bool:
        return self.topic and self.attendance and self.homework is not False

    @property
    def missing(self) -> list[str]:
        """Keys of what is still empty: topic, attendance, homework."""
        return [k for k in ("topic", "attendance", "homework") if getattr(self, k) is False]


@dataclass
class JournalRow:
    assignment: TeachingAssignment
    last: LessonState | None  # None: no lesson held yet


def _with_flags(lessons):
    return lessons.annotate(
        has_attendance=Exists(Attendance.objects.filter(lesson=OuterRef("pk")))
        | Exists(AttendanceRoll.objects.filter(lesson=OuterRef("pk"))),
        has_homework=Exists(Homework.objects.filter(lesson=OuterRef("pk"))),
    )


def lesson_state(lesson, now) -> LessonState:
    """`lesson` must come from _with_flags with LESSON_RELATED loaded."""
    school_class = lesson.assignment.school_class
    school = school_class.year.school
    lock_at = rules.lock_moment(lesson, school)
    locked = rules.is_locked(lesson, school, now)
    if lesson.unlocked_until and lesson.unlocked_until > now:
        lock_at = max(lock_at, lesson.unlocked_until)
    today = timezone.localtime(now).date()
    return LessonState(
        lesson=lesson,
        topic=bool(lesson.topic.strip()),
        attendance=lesson.has_attendance,
        homework=lesson.has_homework if rules.homework_allowed(school_class, school) else None,
        locked=locked,
        lock_at=lock_at,
        days_left=None if locked else max(0, (timezone.localtime(lock_at).date() - today).days),
    )


def held_lessons(today):
    """Lessons held by `today`: planned (not cancelled), dated today or earlier."""
    return Lesson.objects.filter(status=Lesson.Status.PLANNED, date__lte=today)


def journal_rows(assignments, now=None) -> list[JournalRow]:
    """Rows for a queryset of journals, in the order of the queryset (two queries)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    last = held_lessons(today).filter(assignment=OuterRef("pk")).order_by("-date", "-bell__number").values("pk")[:1]
    journals = list(assignments.select_related(*JOURNAL_RELATED).annotate(last_lesson_id=Subquery(last)))
    ids = [a.last_lesson_id for a in journals if a.last_lesson_id]
    lessons = {}
    if ids:
        lessons = {x.pk: x for x in _with_flags(Lesson.objects.filter(pk__in=ids).select_related("bell"))}
    rows = []
    for a in journals:
        lesson = lessons.get(a.last_lesson_id)
        if lesson is not None:
            lesson.assignment = a  # already loaded with its class, year and school
        rows.append(JournalRow(assignment=a, last=lesson_state(lesson, now) if lesson else None))
    return rows


def _journal_order(qs):
    return qs.order_by(
        "school_class__grade", "school_class__letter", "subject__order", "subject__name", "group__name", "pk"
    )


def my_journals(user, year):
    """The journals `user` keeps in `year` (what get_assignment_for_user lets her write)."""
    if year is None:
        return TeachingAssignment.objects.none()
    return _journal_order(access.own_assignments(user).filter(school_class__year=year, is_active=True))


def class_journals(klass):
    """Every journal of a class (all its subjects and groups)."""
    return _journal_order(TeachingAssignment.objects.filter(school_class=klass, is_active=True))


def substitute_lessons(user, now=None) -> list[LessonState]:
    """The lessons `user` substitutes in now (active substitutions), in time order (one query)."""
    now = now or timezone.now()
    lessons = _with_flags(access.substituted_lessons(user).select_related(*LESSON_RELATED, "room")).order_by(
        "date", "bell__number", "pk"
    )
    return [lesson_state(lesson, now) for lesson in lessons]


def school_classes(user, year):
    """The school's classes of `year` with the number of their journals (one query)."""
    if year is None:
        return []
    return list(
        SchoolClass.objects.filter(year=year, year__school_id=user.school_id)
        .select_related("class_teacher")
        .annotate(journal_count=Count("assignments", filter=Q(assignments__is_active=True)))
        .order_by("grade", "letter")
    )
