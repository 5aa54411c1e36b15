"""The machinery shared by every check: the moment, the school's year, and the upsert.

A check is a plain function `check(school, now) -> Outcome`. It describes the
objects that violate its rule *right now* as one SQL SELECT with the columns of
`COLUMNS`, and `sync()` turns that set into Violation rows in one statement:
new objects are inserted, open violations whose object left the set are
resolved, still-open ones get fresh details. Running it twice changes nothing
the second time. No per-lesson Python loop: the database does the set work.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .. import access, rules
from ..models import Violation, dated

COLUMNS = (
    "object_key",
    "responsible_id",
    "school_class_id",
    "assignment_id",
    "lesson_id",
    "assessment_id",
    "pupil_id",
    "period_id",
    "day",
    "since",
    "details",
)


@dataclass
class Outcome:
    kind: str
    opened: int = 0
    resolved: int = 0
    open: int = 0


class Moment:
    """`now` seen from one school: local date, the academic year, the last cut-off passed."""

    def __init__(self, school, now: datetime):
        if timezone.is_naive(now):
            raise ValueError("now must be timezone-aware")
        self.school = school
        self.now = now
        self.local = timezone.localtime(now)
        self.today = self.local.date()
        self.tz = settings.TIME_ZONE

    @cached_property
    def year(self):
        year = access.current_year(self.school, self.today)
        return None if year is None or year.is_closed else year

    @property
    def last_cutoff_day(self):
        """The latest lesson day whose entry cut-off (18:00) has passed by now."""
        if self.local.time() >= self.school.entry_cutoff:
            return self.today
        return self.today - timedelta(days=1)

    def params(self, **extra):
        return {
            "school": self.school.pk,
            "year": self.year.pk if self.year else None,
            "now": self.now,
            "today": self.today,
            "tz": self.tz,
            **rules.sql_params(self.school),  # what the SQL twins of journal.rules read
            **extra,
        }


def sync(kind: str, moment: Moment, select_sql: str, params: dict, *, resolution=Violation.Resolution.FIXED) -> Outcome:
    """Make the open violations of `kind` in the school equal the rows of `select_sql`.

    `select_sql` yields the columns of COLUMNS (by name) using pyformat parameters
    from `params`. Reminders that leave their window are closed as `expired`
    rather than `fixed`: pass `resolution` accordingly.
    """
    table = Violation._meta.db_table
    cols = ", ".join(COLUMNS)
    cur_cols = ", ".join(f"cur.{c}" for c in COLUMNS)
    sql = f"""
        WITH cur AS ({select_sql}),
        ins AS (
            INSERT INTO {table} (school_id, kind, {cols}, detected_at, resolution)
            SELECT %(v_school)s, %(v_kind)s, {cur_cols}, %(v_now)s, ''
            FROM cur
            ON CONFLICT (kind, object_key) WHERE resolved_at IS NULL
            DO UPDATE SET details = EXCLUDED.details, responsible_id = EXCLUDED.responsible_id
            WHERE {table}.details IS DISTINCT FROM EXCLUDED.details
               OR {table}.responsible_id IS DISTINCT FROM EXCLUDED.responsible_id
            RETURNING (xmax = 0) AS inserted
        ),
        res AS (
            UPDATE {table} v SET resolved_at = %(v_now)s, resolution = %(v_resolution)s
            WHERE v.school_id = %(v_school)s AND v.kind = %(v_kind)s AND v.resolved_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM cur WHERE cur.object_key = v.object_key)
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM ins WHERE inserted), (SELECT count(*) FROM res), (SELECT count(*) FROM cur)
    """
    all_params = {
        **params,
        "v_school": moment.school.pk,
        "v_kind": kind,
        "v_now": moment.now,
        "v_resolution": resolution,
    }
    with connection.cursor() as cur:
        cur.execute(sql, all_params)
        opened, resolved, open_ = cur.fetchone()
    return Outcome(kind=kind, opened=opened, resolved=resolved, open=open_)


def resolve_all(kind: str, moment: Moment, resolution=Violation.Resolution.FIXED) -> Outcome:
    """No year to check (summer, closed year): whatever is open of this kind is over."""
    n = Violation.objects.filter(school=moment.school, kind=kind, resolved_at__isnull=True).update(
        resolved_at=moment.now, resolution=resolution
    )
    return Outcome(kind=kind, resolved=n)


# SQL fragments shared by the checks. Table names are fixed by the models (app_label + model).

# Lessons of the moment's year that count: held as planned, in an active journal.
YEAR_LESSONS = """
    journal_lesson l
    JOIN journal_teachingassignment a ON a.id = l.assignment_id
    JOIN journal_schoolclass c ON c.id = a.school_class_id
"""
YEAR_LESSONS_WHERE = "c.year_id = %(year)s AND a.is_active AND l.status = 'planned'"

# "Attendance entered": an absence row or the teacher's «все присутствуют» (AttendanceRoll).
ATTENDANCE_TAKEN = """(
    EXISTS (SELECT 1 FROM journal_attendance at WHERE at.lesson_id = l.id)
    OR EXISTS (SELECT 1 FROM journal_attendanceroll ar WHERE ar.lesson_id = l.id)
)"""

# Pupils of journal `a` on date `{day}`: defined next to its Python twin, Enrollment.objects.roster().
ROSTER = dated.ROSTER


def local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
