"""The family home (docs/DESIGN.md §1.5 "The family home"): for each child of a parent, or
for a pupil themselves, the new marks since the last visit, the next school day's
homework, today's absences and the unread messages — each linking to the diary.

A fixed number of queries whatever the number of children: the visit (one upsert), the
children with everything folded into one query as subqueries, the unread announcements.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone

from accounts.models import User
from ejournal import prepared
from journal.access import children_of
from journal.models import Attendance, Enrollment, GroupMembership, IndividualHomework, Lesson, Mark

from .models import HomeVisit, Receipt, Thread

VISIT_GAP = timedelta(minutes=30)  # the session's idle timeout: a new visit
FIRST_VISIT_DAYS = 7  # no visit yet: the marks of the last week are new
MARKS_SHOWN = 10  # per child; the rest is in the diary

_T = HomeVisit._meta.db_table
_VISIT = f"""
INSERT INTO {_T} (user_id, seen_at, previous_at) VALUES (%(u)s, %(now)s, NULL)
ON CONFLICT (user_id) DO UPDATE SET
    previous_at = CASE WHEN {_T}.seen_at < %(gap)s THEN {_T}.seen_at ELSE {_T}.previous_at END,
    seen_at = %(now)s
RETURNING previous_at, (xmax = 0) AS first
"""  # noqa: S608 — the table name is ours, values are parameters


def record_visit(user, now=None):
    """This visit recorded; the moment of the previous one (None for the first). One query."""
    now = now or timezone.now()
    with connection.cursor() as cur:
        cur.execute(_VISIT, {"u": user.pk, "now": now, "gap": now - VISIT_GAP})
        previous, _first = cur.fetchone()
    return previous


def next_school_day(today: date) -> date:
    """Tomorrow; after Saturday, Monday (no lessons on Sunday)."""
    return today + timedelta(days=2 if today.weekday() == 5 else 1)


@dataclass
class ChildNews:
    pupil: User
    klass: str = ""
    marks: list = field(default_factory=list)
    homework: list = field(default_factory=list)
    absences: list = field(default_factory=list)
    unread: int = 0


@dataclass
class FamilyHome:
    children: list
    since: object  # datetime of the last visit, or None (the last week)
    homework_day: date
    today: date
    announcements: list = field(default_factory=list)


def _pupil_lessons(day: date):
    """Lessons on `day` of the outer pupil's class (enrolled on that day) he attends (his
    groups'), not cancelled: a subquery of the outer User query."""
    enrolled = Enrollment.objects.on(day).filter(
        pupil=OuterRef(OuterRef("pk")), school_class=OuterRef("assignment__school_class")
    )
    in_group = GroupMembership.objects.filter(
        pupil=OuterRef(OuterRef("pk")), group_id=OuterRef("assignment__group_id")
    ).on(day)
    return Lesson.objects.filter(date=day, status=Lesson.Status.PLANNED).filter(
        Exists(enrolled), Q(assignment__group__isnull=True) | Q(Exists(in_group))
    )


def _children_news(user, cutoff, hw_day, today):
    """Per child of `user` (an id): the news since `cutoff`, one row each (family_home)."""
    marks = (
        Mark.objects.filter(pupil=OuterRef("pk"), created_at__gt=cutoff)
        .filter(
            Q(assessment__lesson__assignment__school_class__grade__gt=1)
            | Q(assessment__lesson__assignment__school_class__year__school__grade1_marks=True)
        )
        .order_by("-created_at", "-pk")
        .values(
            j=JSONObject(
                value="value",
                subject="assessment__lesson__assignment__subject__name",
                work="assessment__work_type__name",
                date="assessment__lesson__date",
                lesson="assessment__lesson_id",
            )
        )[:MARKS_SHOWN]
    )
    own_hw = IndividualHomework.objects.filter(lesson=OuterRef("pk"), pupil=OuterRef(OuterRef("pk"))).values("text")[:1]
    homework = (
        _pupil_lessons(hw_day)
        .filter(Q(homework__isnull=False) | Q(Exists(own_hw)))
        .order_by("bell__number", "pk")
        .values(
            j=JSONObject(subject="assignment__subject__name", text="homework__text", own=Subquery(own_hw), lesson="pk")
        )
    )
    absences = (
        Attendance.objects.filter(pupil=OuterRef("pk"), lesson__date=today)
        .order_by("lesson__bell__number", "pk")
        .values(
            j=JSONObject(
                code="code",
                subject="lesson__assignment__subject__name",
                bell="lesson__bell__number",
                lesson="lesson_id",
            )
        )
    )
    klass = (
        Enrollment.objects.on(today)
        .filter(pupil=OuterRef("pk"))
        .order_by("-start")
        .values(j=JSONObject(grade="school_class__grade", letter="school_class__letter"))[:1]
    )
    # The access helpers read only the user's id: a transient User carries it.
    who = User(pk=user)
    unread = (
        Receipt.objects.filter(recipient_id=user, read_at__isnull=True, message__thread__pupil=OuterRef("pk"))
        .filter(message__thread__in=_family_threads(who))
        .order_by()
        .values("message__thread__pupil")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        children_of(who)
        .annotate(
            marks_json=ArraySubquery(marks),
            homework_json=ArraySubquery(homework),
            absences_json=ArraySubquery(absences),
            klass_json=Subquery(klass),
            unread_n=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
        )
        .order_by("last_name", "first_name", "pk")
    )


def family_home(user, today=None, now=None) -> FamilyHome:
    today = today or timezone.localdate()
    since = record_visit(user, now)
    cutoff = since or (now or timezone.now()) - timedelta(days=FIRST_VISIT_DAYS)
    hw_day = next_school_day(today)
    # Compiled once per process (ejournal/prepared.py): the ORM took longer to build these
    # five subqueries than PostgreSQL took to answer them.
    rows = prepared.objects("diary.home", _children_news, user=user.pk, cutoff=cutoff, hw_day=hw_day, today=today)
    children = []
    for p in rows:
        k = p.klass_json
        children.append(
            ChildNews(
                pupil=p,
                klass=f"{k['grade']}{k['letter']}" if k else "",
                marks=[dict(m, date=date.fromisoformat(m["date"])) for m in p.marks_json],
                homework=p.homework_json,
                absences=[dict(a, label=Attendance.Code(a["code"]).label) for a in p.absences_json],
                unread=p.unread_n,
            )
        )
    announcements = [
        r.announcement
        for r in Receipt.objects.filter(recipient=user, read_at__isnull=True, announcement__isnull=False)
        .select_related("announcement")
        .order_by("-announcement__created_at")[:5]
    ]
    return FamilyHome(children=children, since=since, homework_day=hw_day, today=today, announcements=announcements)


def _family_threads(user):
    from .access import as_family_q

    return Thread.objects.filter(as_family_q(user)).values("pk")
