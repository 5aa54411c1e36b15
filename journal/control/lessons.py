"""Checks on lessons: filled by the day's cut-off, homework in time, locked unfilled, test marks.

Rules (docs/DESIGN.md §3.2, §3.3, §3.4; per-school settings on School):
- topic and attendance of a lesson by `entry_cutoff` (18:00) of its day;
- homework within `homework_hours` (1.5 h) after the class's last lesson that day;
- a lesson still unfilled `lock_after_days` (7) days after it is locked for its
  teacher: a separate violation, escalated to the deputy;
- marks of a test (WorkType.is_test) for every pupil present, `test_marks_days`
  (1) day after it, by the cut-off of that day.
"""

from datetime import timedelta

from .. import rules
from ..models import Attendance, Violation
from .base import ATTENDANCE_TAKEN, ROSTER, YEAR_LESSONS, YEAR_LESSONS_WHERE, Moment, Outcome, resolve_all, sync

K = Violation.Kind

_UNFILLED_SELECT = f"""
    SELECT 'lesson:' || l.id AS object_key, a.teacher_id AS responsible_id, a.school_class_id,
           a.id AS assignment_id, l.id AS lesson_id, NULL::bigint AS assessment_id, NULL::bigint AS pupil_id,
           NULL::bigint AS period_id, l.date AS day, {{since}} AS since,
           jsonb_build_object('no_topic', l.topic = '', 'no_attendance', NOT {ATTENDANCE_TAKEN}) AS details
    FROM {YEAR_LESSONS}
    WHERE {YEAR_LESSONS_WHERE} AND l.date <= %(last_day)s
      AND (l.topic = '' OR NOT {ATTENDANCE_TAKEN})
"""


def lesson_unfilled(school, now) -> Outcome:
    """Lessons whose day's cut-off has passed without a topic or without attendance."""
    m = Moment(school, now)
    if m.year is None:
        return resolve_all(K.LESSON_UNFILLED, m)
    sql = _UNFILLED_SELECT.format(since=rules.entry_deadline_sql("l.date"))
    return sync(K.LESSON_UNFILLED, m, sql, m.params(last_day=m.last_cutoff_day))


def lesson_locked(school, now) -> Outcome:
    """Lessons past the lock moment (midnight after day + lock_after_days) and still unfilled."""
    m = Moment(school, now)
    if m.year is None:
        return resolve_all(K.LESSON_LOCKED, m)
    days = rules.lock_days(school)
    sql = _UNFILLED_SELECT.format(since=rules.lock_moment_sql("l.date"))
    return sync(K.LESSON_LOCKED, m, sql, m.params(last_day=m.today - timedelta(days=days), lock_days=days))


def homework_missing(school, now) -> Outcome:
    """Lessons without homework `homework_hours` after the class's last lesson of that day.

    Homework is expected for every lesson where the school has homework (grade 1 only
    if `grade1_homework`); a lesson with nothing to do at home says so in the text.
    """
    m = Moment(school, now)
    if m.year is None:
        return resolve_all(K.HOMEWORK_MISSING, m)
    sql = f"""
        WITH miss AS (
            SELECT l.id, l.date, a.id AS assignment_id, a.teacher_id, a.school_class_id
            FROM {YEAR_LESSONS}
            WHERE {YEAR_LESSONS_WHERE} AND l.date <= %(today)s AND {rules.homework_allowed_sql("c")}
              AND NOT EXISTS (SELECT 1 FROM journal_homework h WHERE h.lesson_id = l.id)
        ),
        day_end AS (
            SELECT a.school_class_id, l.date, max(b.ends) AS ends
            FROM journal_lesson l
            JOIN journal_teachingassignment a ON a.id = l.assignment_id
            JOIN journal_bell b ON b.id = l.bell_id
            WHERE l.status = 'planned' AND a.is_active
              AND (a.school_class_id, l.date) IN (SELECT school_class_id, date FROM miss)
            GROUP BY 1, 2
        )
        SELECT 'lesson:' || miss.id AS object_key, miss.teacher_id AS responsible_id, miss.school_class_id,
               miss.assignment_id, miss.id AS lesson_id, NULL::bigint AS assessment_id, NULL::bigint AS pupil_id,
               NULL::bigint AS period_id, miss.date AS day,
               ((d.date + d.ends) AT TIME ZONE %(tz)s) + %(hw)s AS since, '{{}}'::jsonb AS details
        FROM miss JOIN day_end d ON d.school_class_id = miss.school_class_id AND d.date = miss.date
        WHERE ((d.date + d.ends) AT TIME ZONE %(tz)s) + %(hw)s <= %(now)s
    """
    params = m.params(grade1_homework=school.grade1_homework, hw=timedelta(hours=float(school.homework_hours)))
    return sync(K.HOMEWORK_MISSING, m, sql, params)


def test_marks(school, now) -> Outcome:
    """Tests whose marks are due (cut-off of day + test_marks_days) and a present pupil has none."""
    m = Moment(school, now)
    if m.year is None:
        return resolve_all(K.TEST_MARKS, m)
    roster = ROSTER.format(day="l.date")
    sql = f"""
        SELECT 'assessment:' || s.id AS object_key, a.teacher_id AS responsible_id, a.school_class_id,
               a.id AS assignment_id, l.id AS lesson_id, s.id AS assessment_id, NULL::bigint AS pupil_id,
               NULL::bigint AS period_id, l.date AS day,
               {rules.test_marks_deadline_sql("l.date")} AS since,
               jsonb_build_object('missing', miss.n) AS details
        FROM journal_assessment s
        JOIN journal_worktype w ON w.id = s.work_type_id
        JOIN journal_lesson l ON l.id = s.lesson_id
        JOIN journal_teachingassignment a ON a.id = l.assignment_id
        JOIN journal_schoolclass c ON c.id = a.school_class_id
        CROSS JOIN LATERAL (
            SELECT count(*) AS n FROM {roster}
              AND NOT EXISTS (SELECT 1 FROM journal_mark mk WHERE mk.assessment_id = s.id AND mk.pupil_id = e.pupil_id)
              AND NOT EXISTS (
                  SELECT 1 FROM journal_attendance ab
                  WHERE ab.lesson_id = l.id AND ab.pupil_id = e.pupil_id AND {rules.is_absence_sql("ab")})
        ) miss
        WHERE w.is_test AND {YEAR_LESSONS_WHERE} AND l.date <= %(test_last_day)s
          AND {rules.marks_allowed_sql("c")} AND miss.n > 0
    """
    params = m.params(
        test_days=school.test_marks_days,
        test_last_day=m.last_cutoff_day - timedelta(days=school.test_marks_days),
        grade1_marks=school.grade1_marks,
        late=Attendance.Code.LATE.value,
    )
    return sync(K.TEST_MARKS, m, sql, params)
