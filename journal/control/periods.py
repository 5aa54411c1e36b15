"""Checks on study periods: period marks and the minimum number of marks.

Rules (docs/DESIGN.md §3.6, §3.15):
- period marks are given in the last week of the period (its last 7 days), so a
  reminder goes out when that week starts, for journals with pupils still
  lacking the mark;
- after the period's deadline (StudyPeriod.deadline: the school's order, else
  the end) a missing period mark is a violation, escalated to the class teacher
  (who may set period marks for every subject) and the deputy;
- two weeks before a period ends, a pupil with fewer than `min_marks` marks in a
  subject cannot be attested: the teacher is reminded per pupil, until the
  period's deadline.
The year is a period of its own (scheme `year`): year marks follow the same rules.
"""

from django.db import connection

from .. import rules
from ..models import Violation
from ..models.dated import in_group_sql, on_sql
from .base import ROSTER, Moment, Outcome, resolve_all, sync

K = Violation.Kind
LAST_WEEK_DAYS = rules.PERIOD_MARKS_WINDOW_DAYS - 1  # the last week: the period's end and the 6 days before it
FEW_MARKS_DAYS = rules.FEW_MARKS_REMINDER_DAYS

_DEADLINE = rules.period_deadline_sql("p")


def _expire(kind, m: Moment, window_sql: str, params):
    """Close reminders whose period left the reminder window: they are not fixed, just over."""
    with connection.cursor() as cur:
        cur.execute(
            f"""UPDATE journal_violation v SET resolved_at = %(now)s, resolution = %(expired)s
                WHERE v.school_id = %(school)s AND v.kind = %(kind)s AND v.resolved_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM journal_studyperiod p WHERE p.id = v.period_id AND {window_sql})""",
            {**params, "now": m.now, "school": m.school.pk, "kind": kind, "expired": Violation.Resolution.EXPIRED},
        )


def _period_marks(kind, m: Moment, window_sql: str, since_sql: str) -> Outcome:
    roster = ROSTER.format(day='LEAST(p."end", %(today)s)')
    sql = f"""
        SELECT 'assignment:' || a.id || '/period:' || p.id AS object_key, a.teacher_id AS responsible_id,
               a.school_class_id, a.id AS assignment_id, NULL::bigint AS lesson_id, NULL::bigint AS assessment_id,
               NULL::bigint AS pupil_id, p.id AS period_id, {_DEADLINE} AS day, {since_sql} AS since,
               jsonb_build_object('missing', miss.n) AS details
        FROM journal_studyperiod p
        JOIN journal_schoolclass c ON c.year_id = p.year_id AND (c.period_scheme = p.scheme OR p.scheme = 'year')
        JOIN journal_teachingassignment a ON a.school_class_id = c.id AND a.is_active
        CROSS JOIN LATERAL (
            SELECT count(*) AS n FROM {roster}
              AND NOT EXISTS (
                  SELECT 1 FROM journal_periodmark pm
                  WHERE pm.pupil_id = e.pupil_id AND pm.subject_id = a.subject_id AND pm.period_id = p.id
                    AND pm.kind IN ('period', 'year'))
        ) miss
        WHERE p.year_id = %(year)s AND {window_sql} AND {rules.marks_allowed_sql("c")} AND miss.n > 0
          AND EXISTS (
              SELECT 1 FROM journal_lesson l
              WHERE l.assignment_id = a.id AND l.status = 'planned' AND l.date BETWEEN p.start AND p."end")
    """
    return sync(kind, m, sql, m.params(grade1_marks=m.school.grade1_marks, last_week=LAST_WEEK_DAYS))


def period_marks_due(school, now) -> Outcome:
    """Reminder: the last week of a period has begun and period marks are missing."""
    m = Moment(school, now)
    if m.year is None:
        return resolve_all(K.PERIOD_MARKS_DUE, m, Violation.Resolution.EXPIRED)
    window = rules.period_window_sql("p")
    _expire(K.PERIOD_MARKS_DUE, m, window, {"last_week": LAST_WEEK_DAYS, "today": m.today})
    since = '((p."end" - %(last_week)s)::timestamp AT TIME ZONE %(tz)s)'
    return _period_marks(K.PERIOD_MARKS_DUE, m, window, since)


def period_marks_overdue(school, now) -> Outcome:
    """Violation: the period's deadline day is over and period marks are missing."""
    m = Moment(school, now)
    if m.year is None:
        return resolve_all(K.PERIOD_MARKS_OVERDUE, m)
    window = f"{_DEADLINE} < %(today)s"
    since = f"(({_DEADLINE} + 1)::timestamp AT TIME ZONE %(tz)s)"
    return _period_marks(K.PERIOD_MARKS_OVERDUE, m, window, since)


def few_marks(school, now) -> Outcome:
    """Reminder per pupil and journal: fewer than `min_marks` marks, two weeks or less before the end."""
    m = Moment(school, now)
    if m.year is None:
        return resolve_all(K.FEW_MARKS, m, Violation.Resolution.EXPIRED)
    window = f'p."end" - %(few_days)s <= %(today)s AND %(today)s <= {_DEADLINE}'
    _expire(K.FEW_MARKS, m, window, {"few_days": FEW_MARKS_DAYS, "today": m.today})
    sql = f"""
        WITH p AS (
            SELECT p.* FROM journal_studyperiod p
            WHERE p.year_id = %(year)s AND p.scheme <> 'year' AND {window}
        ),
        counts AS (
            SELECT p.id AS period_id, l.assignment_id, mk.pupil_id, count(*) AS n
            FROM p
            JOIN journal_lesson l ON l.date BETWEEN p.start AND p."end" AND l.status = 'planned'
            JOIN journal_teachingassignment a ON a.id = l.assignment_id AND a.is_active
            JOIN journal_schoolclass c ON c.id = a.school_class_id AND c.year_id = %(year)s
                 AND c.period_scheme = p.scheme
            JOIN journal_assessment s ON s.lesson_id = l.id
            JOIN journal_mark mk ON mk.assessment_id = s.id
            GROUP BY 1, 2, 3
        )
        SELECT 'pupil:' || e.pupil_id || '/assignment:' || a.id || '/period:' || p.id AS object_key,
               a.teacher_id AS responsible_id, a.school_class_id, a.id AS assignment_id, NULL::bigint AS lesson_id,
               NULL::bigint AS assessment_id, e.pupil_id, p.id AS period_id, p."end" AS day,
               ((p."end" - %(few_days)s)::timestamp AT TIME ZONE %(tz)s) AS since,
               jsonb_build_object('marks', COALESCE(cn.n, 0), 'min', %(min_marks)s) AS details
        FROM p
        JOIN journal_schoolclass c ON c.year_id = p.year_id AND c.period_scheme = p.scheme
        JOIN journal_teachingassignment a ON a.school_class_id = c.id AND a.is_active
        JOIN journal_enrollment e ON e.school_class_id = c.id AND {on_sql("e", 'LEAST(p."end", %(today)s)')}
        LEFT JOIN counts cn ON cn.period_id = p.id AND cn.assignment_id = a.id AND cn.pupil_id = e.pupil_id
        WHERE {rules.marks_allowed_sql("c")} AND COALESCE(cn.n, 0) < %(min_marks)s
          AND {in_group_sql("a", "e.pupil_id", 'LEAST(p."end", %(today)s)')}
          AND NOT EXISTS (
              SELECT 1 FROM journal_periodmark pm
              WHERE pm.pupil_id = e.pupil_id AND pm.subject_id = a.subject_id AND pm.period_id = p.id)
          AND EXISTS (
              SELECT 1 FROM journal_lesson l
              WHERE l.assignment_id = a.id AND l.status = 'planned' AND l.date BETWEEN p.start AND p."end")
    """
    params = m.params(few_days=FEW_MARKS_DAYS, min_marks=school.min_marks, grade1_marks=school.grade1_marks)
    return sync(K.FEW_MARKS, m, sql, params)
