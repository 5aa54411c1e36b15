"""Absence reasons: the class teacher sets УП / НП / Б within `absence_reason_days` working days.

An absence entered as plain «Н» has no reason yet. It is due by the end of the
n-th working day after the absence (Russian production calendar plus the
school's holidays for the pupil's grade: docs/DESIGN.md §3.5, §3.8), so it is overdue
from the midnight after. One violation per pupil and day, whatever the number
of lessons missed; the class teacher is responsible (the deputy when the class
has none).
"""

from datetime import timedelta

from django.db import connection

from ..calendar import add_working_days
from ..models import Attendance, Violation
from .base import Moment, Outcome, local_midnight, resolve_all, sync

K = Violation.Kind

_UNSET = "at.code = %(absent)s AND at.reason_set_at IS NULL"


def overdue_from(day, n, holiday_ranges):
    """The moment an absence of `day` without a reason becomes overdue."""
    return local_midnight(add_working_days(day, n, holiday_ranges) + timedelta(days=1))


def absence_reason(school, now) -> Outcome:
    m = Moment(school, now)
    if m.year is None:
        return resolve_all(K.ABSENCE_REASON, m)
    base = {"year": m.year.pk, "absent": Attendance.Code.ABSENT, "today": m.today}
    with connection.cursor() as cur:
        cur.execute(
            f"""SELECT DISTINCT l.date, c.grade
                FROM journal_attendance at
                JOIN journal_lesson l ON l.id = at.lesson_id
                JOIN journal_teachingassignment a ON a.id = l.assignment_id
                JOIN journal_schoolclass c ON c.id = a.school_class_id
                WHERE c.year_id = %(year)s AND l.date < %(today)s AND {_UNSET}""",
            base,
        )
        candidates = cur.fetchall()
    # Deadlines per (day, grade) in Python: a few hundred pairs at most, and the
    # production calendar lives in the `holidays` package, not in SQL.
    holidays = list(m.year.holidays.all())
    ranges: dict[int, list] = {}
    grades, days, since = [], [], []
    for day, grade in candidates:
        if grade not in ranges:
            ranges[grade] = [(h.start, h.end) for h in holidays if h.applies_to(grade)]
        moment = overdue_from(day, school.absence_reason_days, ranges[grade])
        if m.now >= moment:
            grades.append(grade)
            days.append(day)
            since.append(moment)
    sql = f"""
        SELECT 'pupil:' || at.pupil_id || '/day:' || l.date AS object_key,
               (array_agg(c.class_teacher_id ORDER BY c.id))[1] AS responsible_id,
               (array_agg(c.id ORDER BY c.id))[1] AS school_class_id, NULL::bigint AS assignment_id,
               NULL::bigint AS lesson_id, NULL::bigint AS assessment_id, at.pupil_id, NULL::bigint AS period_id,
               l.date AS day, min(d.since) AS since, jsonb_build_object('lessons', count(*)) AS details
        FROM journal_attendance at
        JOIN journal_lesson l ON l.id = at.lesson_id
        JOIN journal_teachingassignment a ON a.id = l.assignment_id
        JOIN journal_schoolclass c ON c.id = a.school_class_id
        JOIN unnest(%(grades)s::int[], %(days)s::date[], %(since)s::timestamptz[]) AS d(grade, day, since)
             ON d.grade = c.grade AND d.day = l.date
        WHERE c.year_id = %(year)s AND l.status = 'planned' AND {_UNSET}
        GROUP BY at.pupil_id, l.date
    """
    return sync(
        K.ABSENCE_REASON, m, sql, m.params(absent=Attendance.Code.ABSENT, grades=grades, days=days, since=since)
    )
