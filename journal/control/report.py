"""Control of the journal («контрольный отчёт», docs/DESIGN.md §4.3, §3.22): plain data for pages and reports.

Every function takes the school (or a class) and a date range and returns plain
dataclasses, computed in a constant number of SQL queries whatever the size of
the school. The deputy's page and the printable control report are both built
on them.

    stats = journal_stats(school, start, end, now)      # one row per journal (teacher × class/group × subject)
    by_teacher(stats), by_class(stats)                  # the same figures summed per teacher / per class
    open_violations(school, school_class=..., limit=…)  # open Violation objects, described
    risk_group(school_class, start, end, now)           # the class's risk group (definition below)
    control_range(school, today)                        # the default range: the current period so far

Definitions (one place, used everywhere):
- a lesson is *held* when it is planned (not cancelled), in an active journal,
  dated in the range and its day's cut-off has passed by `now`;
- it is *filled* when it has a topic and its attendance is entered (an absence
  row or «все присутствуют», see AttendanceRoll); *on time* when filled and the
  topic was not entered late (Lesson.topic_late), *late* when filled late,
  *unfilled* otherwise;
- *mark density* = marks ÷ (pupils × lessons held) for the journal's current
  pupils (enrolled at the range's end or today, in the group for group journals);
- pupils *with no marks* / *with one mark* in the range, among those pupils;
- *homework filled* = lessons held with homework ÷ lessons held;
- *plan vs delivered*: the thematic plan (КТП) has no dates, only the year's topics
  and hours, so it is compared on the same footing: the plan's hours for the year
  (and the curriculum's, CurriculumLine) against the lessons held from the start
  of the year to the end of the range (`held_to_date`). A journal without a plan
  has `plan_hours` None.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone

from .. import rules
from ..access import current_year
from ..models import Attendance, StudyPeriod, Violation
from ..models.dated import in_group_sql, on_sql
from .base import ATTENDANCE_TAKEN, Moment
from .describe import DESCRIBE_RELATED


def _share(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """Counts that add up over journals; shares and density are derived."""

    lessons: int = 0
    on_time: int = 0
    late: int = 0
    unfilled: int = 0
    homework: int = 0
    marks: int = 0
    pupil_lessons: int = 0  # Σ pupils × lessons held, the density's denominator
    pupils_no_marks: int = 0
    pupils_one_mark: int = 0
    pupils: int = 0
    curriculum_hours: int = 0
    plan_hours: int | None = None  # the КТП's hours for the whole year; None: no plan
    held_to_date: int = 0  # lessons held from the start of the year to the end of the range
    open_violations: int = 0

    @property
    def on_time_pct(self):
        return _share(self.on_time, self.lessons)

    @property
    def late_pct(self):
        return _share(self.late, self.lessons)

    @property
    def unfilled_pct(self):
        return _share(self.unfilled, self.lessons)

    @property
    def homework_pct(self):
        return _share(self.homework, self.lessons)

    @property
    def no_marks_pct(self):
        return _share(self.pupils_no_marks, self.pupils)

    @property
    def one_mark_pct(self):
        return _share(self.pupils_one_mark, self.pupils)

    @property
    def density(self) -> Decimal | None:
        """Marks per pupil per lesson."""
        if not self.pupil_lessons:
            return None
        return (Decimal(self.marks) / Decimal(self.pupil_lessons)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def add(self, other: "Figures"):
        for name in (
            "lessons",
            "on_time",
            "late",
            "unfilled",
            "homework",
            "marks",
            "pupil_lessons",
            "pupils_no_marks",
            "pupils_one_mark",
            "pupils",
            "curriculum_hours",
            "held_to_date",
            "open_violations",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.plan_hours is not None:
            self.plan_hours = (self.plan_hours or 0) + other.plan_hours


@dataclass
class JournalStats(Figures):
    """One journal: a teaching assignment."""

    assignment_id: int = 0
    teacher_id: int = 0
    teacher: str = ""
    class_id: int = 0
    class_name: str = ""
    group: str = ""
    subject: str = ""


@dataclass
class GroupStats(Figures):
    """Figures summed over the journals of one teacher or one class."""

    key: int = 0
    name: str = ""
    journals: list = field(default_factory=list)


def control_range(school, today: date) -> tuple[date, date, StudyPeriod | None]:
    """The current quarter/half (of the most common scheme) up to today, else the year so far."""
    year = current_year(school, today)
    if year is None:
        return today, today, None
    period = (
        StudyPeriod.objects.on(today)
        .filter(year=year)
        .exclude(scheme=StudyPeriod.Scheme.YEAR)
        .order_by("scheme")
        .first()
    )
    if period:
        return period.start, period.end, period
    return year.start, min(year.end, today), None


_STATS_SQL = f"""
WITH j AS (
    SELECT a.id, a.teacher_id, a.school_class_id, a.group_id, a.subject_id
    FROM journal_teachingassignment a JOIN journal_schoolclass c ON c.id = a.school_class_id
    WHERE c.year_id = %(year)s AND a.is_active
      AND (%(teacher)s::bigint IS NULL OR a.teacher_id = %(teacher)s)
      AND (%(class)s::bigint IS NULL OR a.school_class_id = %(class)s)
),
ls AS (
    SELECT l.assignment_id, count(*) AS lessons,
           count(*) FILTER (WHERE f.filled AND NOT l.topic_late) AS on_time,
           count(*) FILTER (WHERE f.filled AND l.topic_late) AS late,
           count(*) FILTER (WHERE NOT f.filled) AS unfilled,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM journal_homework h WHERE h.lesson_id = l.id)) AS homework
    FROM journal_lesson l
    CROSS JOIN LATERAL (SELECT (l.topic <> '' AND {ATTENDANCE_TAKEN}) AS filled) f
    WHERE l.assignment_id IN (SELECT id FROM j) AND l.status = 'planned'
      AND l.date BETWEEN %(start)s AND %(held_until)s
    GROUP BY 1
),
roster AS (
    SELECT j.id AS assignment_id, e.pupil_id
    FROM j JOIN journal_enrollment e ON e.school_class_id = j.school_class_id AND {on_sql("e", "%(ref)s")}
    WHERE {in_group_sql("j", "e.pupil_id", "%(ref)s")}
),
mk AS (
    SELECT l.assignment_id, m.pupil_id, count(*) AS n
    FROM journal_lesson l
    JOIN journal_assessment s ON s.lesson_id = l.id
    JOIN journal_mark m ON m.assessment_id = s.id
    WHERE l.assignment_id IN (SELECT id FROM j) AND l.date BETWEEN %(start)s AND %(end)s
    GROUP BY 1, 2
),
pp AS (
    SELECT r.assignment_id, count(*) AS pupils, sum(COALESCE(mk.n, 0)) AS marks,
           count(*) FILTER (WHERE mk.n IS NULL) AS no_marks, count(*) FILTER (WHERE mk.n = 1) AS one_mark
    FROM roster r LEFT JOIN mk ON mk.assignment_id = r.assignment_id AND mk.pupil_id = r.pupil_id
    GROUP BY 1
),
cum AS (
    SELECT l.assignment_id, count(*) AS held FROM journal_lesson l
    WHERE l.assignment_id IN (SELECT id FROM j) AND l.status = 'planned'
      AND l.date BETWEEN %(year_start)s AND %(held_until)s
    GROUP BY 1
),
ph AS (
    SELECT tp.assignment_id, sum(i.hours) AS hours
    FROM journal_thematicplan tp JOIN journal_planitem i ON i.plan_id = tp.id
    WHERE tp.assignment_id IN (SELECT id FROM j)
    GROUP BY 1
),
vi AS (
    SELECT v.assignment_id, count(*) AS n FROM journal_violation v
    WHERE v.school_id = %(school)s AND v.resolved_at IS NULL AND v.assignment_id IN (SELECT id FROM j)
    GROUP BY 1
)
SELECT j.id, j.teacher_id, u.last_name, u.first_name, u.patronymic, c.id, c.grade, c.letter,
       COALESCE(g.name, ''), s.name,
       COALESCE(ls.lessons, 0), COALESCE(ls.on_time, 0), COALESCE(ls.late, 0), COALESCE(ls.unfilled, 0),
       COALESCE(ls.homework, 0), COALESCE(pp.marks, 0), COALESCE(pp.pupils, 0), COALESCE(pp.no_marks, 0),
       COALESCE(pp.one_mark, 0), COALESCE(cl.hours_per_year, 0), COALESCE(vi.n, 0),
       ph.hours, COALESCE(cum.held, 0)
FROM j
JOIN accounts_user u ON u.id = j.teacher_id
JOIN journal_schoolclass c ON c.id = j.school_class_id
JOIN journal_subject s ON s.id = j.subject_id
LEFT JOIN journal_group g ON g.id = j.group_id
LEFT JOIN ls ON ls.assignment_id = j.id
LEFT JOIN pp ON pp.assignment_id = j.id
LEFT JOIN vi ON vi.assignment_id = j.id
LEFT JOIN ph ON ph.assignment_id = j.id
LEFT JOIN cum ON cum.assignment_id = j.id
LEFT JOIN journal_curriculumline cl ON cl.school_class_id = j.school_class_id AND cl.subject_id = j.subject_id
ORDER BY c.grade, c.letter, s."order", s.name, g.name NULLS FIRST, j.id
"""


def _short(last, first, patronymic):
    initials = " ".join(f"{p[0]}." for p in (first, patronymic) if p)
    return f"{last} {initials}".strip()


def journal_stats(school, start: date, end: date, now=None, *, teacher=None, school_class=None) -> list[JournalStats]:
    """Figures per journal of the school's current year over [start, end] as of `now`. One query."""
    now = now or timezone.now()
    m = Moment(school, now)
    year = current_year(school, min(end, m.today))
    if year is None:
        return []
    params = {
        "year": year.pk,
        "school": school.pk,
        "teacher": getattr(teacher, "pk", teacher),
        "class": getattr(school_class, "pk", school_class),
        "start": start,
        "end": end,
        "held_until": min(end, m.last_cutoff_day),
        "ref": min(end, m.today),
        "year_start": year.start,
    }
    with connection.cursor() as cur:
        cur.execute(_STATS_SQL, params)
        rows = cur.fetchall()
    out = []
    for r in rows:
        st = JournalStats(
            assignment_id=r[0],
            teacher_id=r[1],
            teacher=_short(r[2], r[3], r[4]),
            class_id=r[5],
            class_name=f"{r[6]}{r[7]}",
            group=r[8],
            subject=r[9],
            lessons=r[10],
            on_time=r[11],
            late=r[12],
            unfilled=r[13],
            homework=r[14],
            marks=int(r[15]),
            pupils=r[16],
            pupils_no_marks=r[17],
            pupils_one_mark=r[18],
            curriculum_hours=r[19],
            open_violations=r[20],
            plan_hours=None if r[21] is None else int(r[21]),
            held_to_date=r[22],
        )
        st.pupil_lessons = st.pupils * st.lessons
        out.append(st)
    return out


def _group(stats, key, name) -> list[GroupStats]:
    groups: dict[int, GroupStats] = {}
    for st in stats:
        g = groups.get(key(st))
        if g is None:
            g = groups[key(st)] = GroupStats(key=key(st), name=name(st))
        g.add(st)
        g.journals.append(st)
    return list(groups.values())


def by_teacher(stats: list[JournalStats]) -> list[GroupStats]:
    """Per teacher, sorted by name. (Pupil counts add up over journals: a pupil counts once per subject.)"""
    return sorted(_group(stats, lambda s: s.teacher_id, lambda s: s.teacher), key=lambda g: g.name)


def by_class(stats: list[JournalStats]) -> list[GroupStats]:
    """Per class, in the order of the journals (grade, letter)."""
    return _group(stats, lambda s: s.class_id, lambda s: s.class_name)


def open_violations(school, *, school_class=None, responsible=None, limit=200) -> list[Violation]:
    """Open violations, newest deadline first, ready for `describe()` without further queries."""
    qs = Violation.objects.filter(school=school, resolved_at__isnull=True).select_related(*DESCRIBE_RELATED)
    if school_class is not None:
        qs = qs.filter(school_class=school_class)
    if responsible is not None:
        qs = qs.filter(responsible=responsible)
    return list(qs.order_by("-since", "id")[:limit])


# --- risk group ------------------------------------------------------------------------

# The class teacher's risk group («группа риска», docs/DESIGN.md §3.23): a pupil is in it when,
# over the range, at least one of these holds.
RISK_LOW_AVERAGE = Decimal("2.50")  # weighted average in a subject below it: the suggestion is «2»
RISK_ABSENCE_SHARE = Decimal("0.30")  # missed (Н, Б, УП, НП; not ОП) ≥ 30 % of the lessons held…
RISK_ABSENCE_MIN_LESSONS = 10  # …once at least this many lessons were held
# Too few marks: fewer than the school's `min_marks` in a subject once half the range has passed.


@dataclass
class RiskPupil:
    pupil_id: int
    name: str
    low_subjects: list = field(default_factory=list)  # [(subject, average)]
    few_marks_subjects: list = field(default_factory=list)  # [(subject, marks)]
    missed: int = 0
    held: int = 0

    @property
    def many_absences(self) -> bool:
        return self.held >= RISK_ABSENCE_MIN_LESSONS and Decimal(self.missed) >= RISK_ABSENCE_SHARE * self.held

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.low_subjects:
            out.append("low_average")
        if self.many_absences:
            out.append("absences")
        if self.few_marks_subjects:
            out.append("few_marks")
        return out


_RISK_SQL = f"""
WITH pupils AS (
    SELECT e.pupil_id FROM journal_enrollment e
    WHERE e.school_class_id = %(class)s AND {on_sql("e", "%(ref)s")}
),
held AS (
    SELECT p.pupil_id, a.subject_id, count(l.id) AS lessons
    FROM pupils p
    JOIN journal_teachingassignment a ON a.school_class_id = %(class)s AND a.is_active
    JOIN journal_lesson l ON l.assignment_id = a.id AND l.status = 'planned'
         AND l.date BETWEEN %(start)s AND %(held_until)s
    WHERE {in_group_sql("a", "p.pupil_id", "l.date")}
    GROUP BY 1, 2
),
marks AS (
    SELECT m.pupil_id, a.subject_id, count(*) AS n,
           round(sum(m.value::numeric * s.weight) FILTER (WHERE m.value ~ '^[0-9]$')
                 / NULLIF(sum(s.weight) FILTER (WHERE m.value ~ '^[0-9]$'), 0), 2) AS average
    FROM journal_mark m
    JOIN journal_assessment s ON s.id = m.assessment_id
    JOIN journal_lesson l ON l.id = s.lesson_id
    JOIN journal_teachingassignment a ON a.id = l.assignment_id
    WHERE a.school_class_id = %(class)s AND l.date BETWEEN %(start)s AND %(end)s
      AND m.pupil_id IN (SELECT pupil_id FROM pupils)
    GROUP BY 1, 2
),
missed AS (
    SELECT at.pupil_id, count(*) AS n
    FROM journal_attendance at
    JOIN journal_lesson l ON l.id = at.lesson_id
    JOIN journal_teachingassignment a ON a.id = l.assignment_id
    WHERE a.school_class_id = %(class)s AND l.date BETWEEN %(start)s AND %(end)s AND {rules.is_absence_sql("at")}
    GROUP BY 1
)
SELECT h.pupil_id, u.last_name, u.first_name, u.patronymic, sj.name, h.lessons,
       COALESCE(mk.n, 0), mk.average, COALESCE(ms.n, 0)
FROM held h
JOIN accounts_user u ON u.id = h.pupil_id
JOIN journal_subject sj ON sj.id = h.subject_id
LEFT JOIN marks mk ON mk.pupil_id = h.pupil_id AND mk.subject_id = h.subject_id
LEFT JOIN missed ms ON ms.pupil_id = h.pupil_id
ORDER BY u.last_name, u.first_name, u.patronymic, h.pupil_id, sj."order", sj.name
"""


def risk_group(school_class, start: date, end: date, now=None) -> list[RiskPupil]:
    """The pupils of the class in the risk group over [start, end] as of `now`. One query.

    In the risk group: a weighted average below 2.50 in a subject (RISK_LOW_AVERAGE),
    or missed ≥ 30 % of the lessons held (at least 10 held), or — once half of the
    range has passed — fewer than the school's `min_marks` marks in a subject that
    had lessons. Grade 1 (no marks) is judged by absences only.
    """
    now = now or timezone.now()
    school = school_class.year.school
    m = Moment(school, now)
    params = {
        "class": school_class.pk,
        "start": start,
        "end": end,
        "held_until": min(end, m.last_cutoff_day),
        "ref": min(end, m.today),
        "late": Attendance.Code.LATE.value,  # late counts as present
    }
    with connection.cursor() as cur:
        cur.execute(_RISK_SQL, params)
        rows = cur.fetchall()
    half_passed = m.today >= start + timedelta(days=(end - start).days // 2)
    marks_expected = half_passed and rules.marks_allowed(school_class, school)
    pupils: dict[int, RiskPupil] = {}
    held_total: dict[int, int] = {}
    for pupil_id, last, first, patronymic, subject, lessons, n, average, missed in rows:
        rp = pupils.setdefault(pupil_id, RiskPupil(pupil_id=pupil_id, name=_short(last, first, patronymic)))
        rp.missed = missed
        held_total[pupil_id] = held_total.get(pupil_id, 0) + lessons
        if average is not None and average < RISK_LOW_AVERAGE:
            rp.low_subjects.append((subject, average))
        if marks_expected and lessons and n < school.min_marks:
            rp.few_marks_subjects.append((subject, n))
    out = []
    for pupil_id, rp in pupils.items():
        rp.held = held_total[pupil_id]
        if rp.reasons:
            out.append(rp)
    return out
