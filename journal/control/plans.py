"""The thematic plan (КТП) against the curriculum: by 1 September the hours must match.

Each journal's plan is written for the year, so its total hours must equal the
hours per year of the curriculum line (учебный план) of its class and subject
(journal.services.plans.hours_check shows the same comparison on the plan page).
From 1 September of the academic year a journal whose plan differs (or that has
no plan yet) is a violation of its teacher, escalated to the deputy; it closes
when the plan is corrected. Journals whose subject has no curriculum line are
not judged: there is nothing to compare with.
"""

from datetime import date

from ..models import Violation
from .base import Moment, Outcome, local_midnight, resolve_all, sync

K = Violation.Kind


def plan_due(year) -> date:
    """1 September of the academic year: plans are approved before lessons start."""
    return date(year.start.year, 9, 1)


def plan_hours(school, now) -> Outcome:
    m = Moment(school, now)
    if m.year is None:
        return resolve_all(K.PLAN_HOURS, m)
    due = plan_due(m.year)
    sql = """
        SELECT 'assignment:' || a.id AS object_key, a.teacher_id AS responsible_id, a.school_class_id,
               a.id AS assignment_id, NULL::bigint AS lesson_id, NULL::bigint AS assessment_id,
               NULL::bigint AS pupil_id, NULL::bigint AS period_id, %(due)s::date AS day, %(since)s AS since,
               jsonb_build_object('plan_hours', ph.hours, 'curriculum_hours', cl.hours_per_year) AS details
        FROM journal_teachingassignment a
        JOIN journal_schoolclass c ON c.id = a.school_class_id
        JOIN journal_curriculumline cl ON cl.school_class_id = a.school_class_id AND cl.subject_id = a.subject_id
        CROSS JOIN LATERAL (
            SELECT COALESCE(sum(i.hours), 0) AS hours
            FROM journal_thematicplan tp JOIN journal_planitem i ON i.plan_id = tp.id
            WHERE tp.assignment_id = a.id
        ) ph
        WHERE c.year_id = %(year)s AND a.is_active AND %(today)s >= %(due)s AND ph.hours <> cl.hours_per_year
    """
    return sync(K.PLAN_HOURS, m, sql, m.params(due=due, since=local_midnight(due)))
