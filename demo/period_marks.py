"""Period marks of the demo: what the teachers of a demo school set when a period ends.

For every study period of a class's scheme that ended before `today`, each pupil still
in the class at the period's end gets, in each journal where they have marks of the
period, the mark the journal suggests (the weighted average rounded half up, as
journal/averages.py; «зач» / «незач» by the majority for pass/fail subjects), set by the
journal's teacher on the period's last day. One SQL statement per school; periods that
already have a mark keep it, and a closed year is left alone (docs/DESIGN.md §3.25), so running it again (the nightly `demo.keep_going`) only
adds the periods finished since.
"""

from datetime import date

from django.conf import settings
from django.db import connection

from accounts.models import AuditEvent

SQL = """
INSERT INTO journal_periodmark
    (pupil_id, assignment_id, subject_id, kind, period_id, value, set_by_id, set_at, is_late, version)
SELECT m.pupil_id, a.id, a.subject_id, 'period', p.id,
       CASE WHEN s.assessment = 'pass_fail' THEN
                CASE WHEN count(*) FILTER (WHERE m.value = 'зач') >= count(*) FILTER (WHERE m.value = 'незач')
                     THEN 'зач' ELSE 'незач' END
            ELSE round(round(sum(asm.weight * CASE WHEN m.value ~ '^[1-5]$' THEN m.value::numeric END)
                             / sum(CASE WHEN m.value ~ '^[1-5]$' THEN asm.weight END), 2))::int::text
       END,
       a.teacher_id, ((p."end" + time '15:00') AT TIME ZONE %(tz)s), false, 1
  FROM journal_mark m
  JOIN journal_assessment asm ON asm.id = m.assessment_id
  JOIN journal_lesson l ON l.id = asm.lesson_id
  JOIN journal_teachingassignment a ON a.id = l.assignment_id
  JOIN journal_schoolclass c ON c.id = a.school_class_id
  JOIN journal_academicyear y ON y.id = c.year_id
  JOIN journal_subject s ON s.id = a.subject_id
  JOIN journal_studyperiod p
    ON p.year_id = c.year_id AND p.scheme = c.period_scheme AND l.date BETWEEN p.start AND p."end"
 WHERE y.school_id = %(school)s AND NOT y.is_closed AND p."end" < %(today)s AND l.status = 'planned'
   AND (s.assessment = 'pass_fail' OR m.value ~ '^[1-5]$')
   AND EXISTS (SELECT 1 FROM journal_enrollment e
                WHERE e.pupil_id = m.pupil_id AND e.school_class_id = c.id
                  AND e.start <= p."end" AND (e."end" IS NULL OR e."end" >= p."end"))
 GROUP BY m.pupil_id, a.id, a.subject_id, p.id, p."end", s.assessment, a.teacher_id
ON CONFLICT (pupil_id, subject_id, period_id, kind) DO NOTHING
"""


def write_period_marks(school_id: int, today: date) -> int:
    """Period marks of the periods finished before `today`; returns how many were added."""
    with connection.cursor() as cur:
        cur.execute(SQL, {"school": school_id, "today": today, "tz": settings.TIME_ZONE})
        return cur.rowcount


def demo_school_ids() -> list[int]:
    """Schools the demo generator wrote (each has its one «demo.seed» audit event)."""
    return sorted(set(AuditEvent.objects.filter(action="demo.seed").values_list("school_id", flat=True)))
