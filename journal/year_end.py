"""The year-end check (docs/DESIGN.md §3.25): what still blocks closing a school year.

Before the director closes a year every journal should be complete. The check lists, with
a link to the page where each is fixed:

- journals with period or year marks missing (pupil × subject) — the journal's grid for
  the period;
- pupils not attested («н/а» as the year or final mark) — the grid of the year;
- lessons held but unfilled (no topic or no attendance, docs/DESIGN.md §3.2) — the first such lesson;
- correction requests still waiting for the deputy (docs/DESIGN.md §3.10) — the request;
- temporary journals of outages not transferred (docs/DESIGN.md §3.7), or an outage still open — the outage;
- pupils in the year's classes on its last day with no promotion decision (docs/DESIGN.md §3.26)
  — the promotion page: a closed year can no longer end their enrollments.

Late entries (docs/DESIGN.md §3.2) are listed too but do not block: a late record stays late for good, so
nothing on the page could fix it; the control report counts them.

Plain data from a fixed number of queries whatever the school's size (the page's budget is
20 queries, tests/test_year_end.py); the SQL reuses the deadline checks' fragments
(journal/control/base.py) so "unfilled" means here what it means to the checks.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from . import rules
from .control.base import ATTENDANCE_TAKEN, ROSTER, YEAR_LESSONS, YEAR_LESSONS_WHERE, local_midnight
from .models import (
    CorrectionRequest,
    Enrollment,
    Outage,
    PeriodMark,
    PromotionDecision,
    SchoolClass,
    StudyPeriod,
    TeachingAssignment,
)

User = get_user_model()

# The kinds of rows, in the page's order.
PERIOD_MARKS = "period_marks"
NOT_ATTESTED = "not_attested"
UNFILLED = "unfilled"
CORRECTIONS = "corrections"
TEMP_JOURNALS = "temp_journals"
PROMOTION = "promotion"
BLOCKING_KINDS = (PERIOD_MARKS, NOT_ATTESTED, UNFILLED, CORRECTIONS, TEMP_JOURNALS, PROMOTION)


@dataclass
class Row:
    """One thing to fix: what, where (class, journal) and the link to the page that fixes it."""

    kind: str
    url: str
    school_class: object = None
    assignment: object = None
    period: object = None
    pupils: list = field(default_factory=list)
    count: int = 0
    first_day: object = None
    obj: object = None  # the correction request or the outage


@dataclass
class YearEndCheck:
    year: object
    rows: dict  # kind -> [Row]
    late: list  # [Row]: journals with late entries (not blocking)

    @property
    def blockers(self) -> int:
        return sum(len(self.rows[k]) for k in BLOCKING_KINDS)

    @property
    def passed(self) -> bool:
        return self.blockers == 0

    def of(self, kind) -> list:
        return self.rows[kind]

    def summary(self) -> dict:
        """{kind: number of rows}: what the audit event of a closing records."""
        return {k: len(self.rows[k]) for k in BLOCKING_KINDS}


def _fetch(sql, params) -> list[dict]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        names = [c.name for c in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


# Journals × periods (the class's own and the year) with pupils lacking the period or year
# mark: the pupils on the roster at the period's end, in journals that had lessons in it
# (the same rule as the check `period_marks_overdue`, journal/control/periods.py).
_MISSING_MARKS = f"""
    SELECT a.id AS assignment_id, p.id AS period_id, miss.pupils
    FROM journal_studyperiod p
    JOIN journal_schoolclass c ON c.year_id = p.year_id AND (c.period_scheme = p.scheme OR p.scheme = 'year')
    JOIN journal_teachingassignment a ON a.school_class_id = c.id AND a.is_active
    CROSS JOIN LATERAL (
        SELECT array_agg(e.pupil_id ORDER BY e.pupil_id) AS pupils FROM {ROSTER.format(day='p."end"')}
          AND NOT EXISTS (
              SELECT 1 FROM journal_periodmark pm
              WHERE pm.pupil_id = e.pupil_id AND pm.subject_id = a.subject_id AND pm.period_id = p.id
                AND pm.kind IN ('period', 'year'))
    ) miss
    WHERE p.year_id = %(year)s AND {rules.marks_allowed_sql("c")} AND miss.pupils IS NOT NULL
      AND EXISTS (
          SELECT 1 FROM journal_lesson l
          WHERE l.assignment_id = a.id AND l.status = 'planned' AND l.date BETWEEN p.start AND p."end")
    ORDER BY c.grade, c.letter, a.id, p.start, p."end"
"""

# Per journal: lessons held (their day's cut-off passed) without a topic or attendance
# (the check `lesson_unfilled`), the first of them, and lessons with late entries.
_LESSONS = f"""
    SELECT a.id AS assignment_id,
           count(*) FILTER (WHERE l.topic = '' OR NOT {ATTENDANCE_TAKEN}) AS unfilled,
           (array_agg(l.id ORDER BY l.date, l.id) FILTER (WHERE l.topic = '' OR NOT {ATTENDANCE_TAKEN}))[1]
               AS first_lesson,
           min(l.date) FILTER (WHERE l.topic = '' OR NOT {ATTENDANCE_TAKEN}) AS first_day,
           count(*) FILTER (WHERE l.topic_late
               OR EXISTS (SELECT 1 FROM journal_attendance at2 WHERE at2.lesson_id = l.id AND at2.is_late)
               OR EXISTS (SELECT 1 FROM journal_homework h WHERE h.lesson_id = l.id AND h.is_late)
               OR EXISTS (SELECT 1 FROM journal_assessment s JOIN journal_mark mk ON mk.assessment_id = s.id
                          WHERE s.lesson_id = l.id AND mk.is_late)) AS late
    FROM {YEAR_LESSONS}
    WHERE {YEAR_LESSONS_WHERE} AND l.date <= %(last_day)s
    GROUP BY a.id
    HAVING count(*) FILTER (WHERE l.topic = '' OR NOT {ATTENDANCE_TAKEN}) > 0
        OR count(*) FILTER (WHERE l.topic_late
               OR EXISTS (SELECT 1 FROM journal_attendance at2 WHERE at2.lesson_id = l.id AND at2.is_late)
               OR EXISTS (SELECT 1 FROM journal_homework h WHERE h.lesson_id = l.id AND h.is_late)
               OR EXISTS (SELECT 1 FROM journal_assessment s JOIN journal_mark mk ON mk.assessment_id = s.id
                          WHERE s.lesson_id = l.id AND mk.is_late)) > 0
"""

# Class days of the year's ended outages with a lesson overlapping the outage and no
# transfer (the check `temp_journal`, journal/control/outages.py), without its deadline:
# at the year's end every paper journal must be in.
_NOT_TRANSFERRED = """
    SELECT o.id AS outage_id, c.id AS school_class_id, count(DISTINCT l.date) AS days, min(l.date) AS first_day
    FROM journal_outage o
    JOIN journal_lesson l ON l.date BETWEEN (o.start AT TIME ZONE %(tz)s)::date AND (o."end" AT TIME ZONE %(tz)s)::date
    JOIN journal_bell b ON b.id = l.bell_id
    JOIN journal_teachingassignment a ON a.id = l.assignment_id
    JOIN journal_schoolclass c ON c.id = a.school_class_id
    WHERE o.school_id = %(school)s AND o."end" IS NOT NULL AND c.year_id = %(year)s AND a.is_active
      AND l.status = 'planned'
      AND ((l.date + b.starts) AT TIME ZONE %(tz)s) < o."end"
      AND ((l.date + b.ends) AT TIME ZONE %(tz)s) > o.start
      AND NOT EXISTS (
          SELECT 1 FROM journal_tempjournalimport ti
          WHERE ti.outage_id = o.id AND ti.school_class_id = c.id AND ti.paper_date = l.date)
    GROUP BY o.id, c.id
    ORDER BY min(l.date), c.id
"""


def _last_day(year, school, now):
    """The latest lesson day that counts as held: the cut-off passed (docs/DESIGN.md §3.2), within the year."""
    local = timezone.localtime(now)
    day = local.date() if local.time() >= school.entry_cutoff else local.date() - timedelta(days=1)
    return min(day, year.end)


def check_year(year, now=None) -> YearEndCheck:
    """What blocks closing `year` (an AcademicYear with its school loaded)."""
    now = now or timezone.now()
    school = year.school
    params = {
        "school": school.pk,
        "year": year.pk,
        "tz": settings.TIME_ZONE,
        "last_day": _last_day(year, school, now),
        **rules.sql_params(school),
    }
    marks = _fetch(_MISSING_MARKS, params)
    lessons = _fetch(_LESSONS, params)
    transfers = _fetch(_NOT_TRANSFERRED, params)

    # The objects the rows name, each kind in one query.
    assignment_ids = {r["assignment_id"] for r in marks} | {r["assignment_id"] for r in lessons}
    assignments = {
        a.pk: a
        for a in TeachingAssignment.objects.filter(pk__in=assignment_ids, school_class__year=year).select_related(
            "school_class", "group", "subject", "teacher"
        )
    }
    periods = {p.pk: p for p in StudyPeriod.objects.filter(year=year)}
    not_attested = list(
        PeriodMark.objects.filter(
            period__year=year,
            kind__in=(PeriodMark.Kind.YEAR, PeriodMark.Kind.FINAL),
            value=PeriodMark.Value.NOT_ATTESTED,
            assignment__school_class__year=year,
        )
        .select_related("pupil", "subject", "period", "assignment__school_class", "assignment__group")
        .order_by("assignment__school_class__grade", "assignment__school_class__letter", "pupil__last_name", "pk")
    )
    pupil_ids = {p for r in marks for p in r["pupils"]}
    pupils = {u.pk: u for u in User.objects.filter(pk__in=pupil_ids).only("last_name", "first_name", "patronymic")}
    corrections = list(
        CorrectionRequest.objects.filter(
            school_id=school.pk, school_class__year=year, status=CorrectionRequest.Status.PENDING
        )
        .select_related("teacher", "school_class", "subject")
        .order_by("created_at", "pk")
    )
    outage_ids = {r["outage_id"] for r in transfers}
    outages = {o.pk: o for o in Outage.objects.filter(school_id=school.pk, pk__in=outage_ids)}
    # An outage still going on has no transfer yet: it must be closed first (docs/DESIGN.md §3.7).
    open_outages = list(
        Outage.objects.filter(
            school_id=school.pk, end__isnull=True, start__lt=local_midnight(year.end + timedelta(days=1))
        ).order_by("start")
    )
    classes = {a.school_class_id: a.school_class for a in assignments.values()}
    missing_classes = {r["school_class_id"] for r in transfers} - set(classes)
    if missing_classes:
        classes.update({c.pk: c for c in SchoolClass.objects.filter(pk__in=missing_classes)})

    rows = {k: [] for k in BLOCKING_KINDS}
    for r in marks:
        a, p = assignments.get(r["assignment_id"]), periods.get(r["period_id"])
        if a is None or p is None:
            continue
        rows[PERIOD_MARKS].append(
            Row(
                kind=PERIOD_MARKS,
                url=reverse("journal:grid_period", kwargs={"pk": a.pk, "period": p.pk}),
                school_class=a.school_class,
                assignment=a,
                period=p,
                pupils=[pupils[i] for i in r["pupils"] if i in pupils],
                count=len(r["pupils"]),
            )
        )
    for pm in not_attested:
        rows[NOT_ATTESTED].append(
            Row(
                kind=NOT_ATTESTED,
                url=reverse("journal:grid_period", kwargs={"pk": pm.assignment_id, "period": pm.period_id}),
                school_class=pm.assignment.school_class,
                assignment=pm.assignment,
                period=pm.period,
                pupils=[pm.pupil],
                count=1,
                obj=pm,
            )
        )
    late = []
    for r in lessons:
        a = assignments.get(r["assignment_id"])
        if a is None:
            continue
        if r["unfilled"]:
            rows[UNFILLED].append(
                Row(
                    kind=UNFILLED,
                    url=reverse("journal:lesson", kwargs={"pk": r["first_lesson"]}),
                    school_class=a.school_class,
                    assignment=a,
                    count=r["unfilled"],
                    first_day=r["first_day"],
                )
            )
        if r["late"]:
            late.append(
                Row(
                    kind="late",
                    url=reverse("journal:grid", kwargs={"pk": a.pk}),
                    school_class=a.school_class,
                    assignment=a,
                    count=r["late"],
                )
            )
    for c in corrections:
        rows[CORRECTIONS].append(
            Row(
                kind=CORRECTIONS,
                url=reverse("journal:correction", kwargs={"pk": c.pk}),
                school_class=c.school_class,
                first_day=c.date,
                obj=c,
            )
        )
    for o in open_outages:
        rows[TEMP_JOURNALS].append(
            Row(kind=TEMP_JOURNALS, url=reverse("journal:outage", kwargs={"pk": o.pk}), obj=o, count=0)
        )
    for r in transfers:
        o = outages.get(r["outage_id"])
        if o is None:
            continue
        rows[TEMP_JOURNALS].append(
            Row(
                kind=TEMP_JOURNALS,
                url=reverse("journal:outage", kwargs={"pk": o.pk}),
                school_class=classes.get(r["school_class_id"]),
                count=r["days"],
                first_day=r["first_day"],
                obj=o,
            )
        )
    undecided = dict(
        Enrollment.objects.on(year.end)
        .filter(school_class__year=year)
        .exclude(pupil_id__in=PromotionDecision.objects.filter(year=year).values("pupil_id"))
        .values("school_class")
        .annotate(n=Count("id"))
        .values_list("school_class", "n")
    )
    if undecided:
        promotion_url = reverse("journal:promotion_year", kwargs={"pk": year.pk})
        for klass in SchoolClass.objects.filter(pk__in=undecided).order_by("grade", "letter"):
            rows[PROMOTION].append(
                Row(kind=PROMOTION, url=promotion_url, school_class=klass, count=undecided[klass.pk])
            )
    return YearEndCheck(year=year, rows=rows, late=late)
