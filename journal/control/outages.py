"""The temporary (paper) journal: transferred within `temp_journal_days` working days of an outage.

During an outage lessons are recorded on the class's paper blank of the day
(journal.services.temp_journal); afterwards each class's day is imported
(TempJournalImport). A class's day needs a transfer when one of its lessons
overlapped the outage (by the bell times). The transfer is due by the end of
the n-th working day after the outage ended (the same date the outage page
shows, transfer_due_date: production calendar plus school holidays), so it is
overdue from the midnight after. One violation per outage, class and day; the
class teacher is responsible (the deputies when the class has none), the
deputy hears about it too; it closes when that day is imported. An outage still
going on has no deadline yet.
"""

from datetime import timedelta

from ..models import Outage, Violation
from ..services.temp_journal import transfer_due_date
from .base import Moment, Outcome, local_midnight, resolve_all, sync

K = Violation.Kind


def overdue_from(outage, year):
    return local_midnight(transfer_due_date(outage, year) + timedelta(days=1))


def temp_journal(school, now) -> Outcome:
    m = Moment(school, now)
    if m.year is None:
        return resolve_all(K.TEMP_JOURNAL, m)
    ids, since = [], []
    # A handful of outages a year: their deadlines are computed in Python, where the
    # production calendar is.
    for outage in Outage.objects.filter(
        school=school, end__isnull=False, end__gte=local_midnight(m.year.start)
    ).select_related("school"):
        moment = overdue_from(outage, m.year)
        if m.now >= moment:
            ids.append(outage.pk)
            since.append(moment)
    sql = """
        SELECT 'outage:' || o.id || '/class:' || c.id || '/day:' || l.date AS object_key,
               c.class_teacher_id AS responsible_id, c.id AS school_class_id, NULL::bigint AS assignment_id,
               NULL::bigint AS lesson_id, NULL::bigint AS assessment_id, NULL::bigint AS pupil_id,
               NULL::bigint AS period_id, l.date AS day, d.since,
               jsonb_build_object(
                   'outage', o.id,
                   'outage_start', to_char(o.start AT TIME ZONE %(tz)s, 'DD.MM.YYYY HH24:MI'),
                   'outage_end', to_char(o."end" AT TIME ZONE %(tz)s, 'DD.MM.YYYY HH24:MI'),
                   'lessons', count(*)) AS details
        FROM unnest(%(outages)s::bigint[], %(since)s::timestamptz[]) AS d(outage_id, since)
        JOIN journal_outage o ON o.id = d.outage_id AND o.school_id = %(school)s
        JOIN journal_lesson l ON l.date BETWEEN (o.start AT TIME ZONE %(tz)s)::date
                                            AND (o."end" AT TIME ZONE %(tz)s)::date
        JOIN journal_bell b ON b.id = l.bell_id
        JOIN journal_teachingassignment a ON a.id = l.assignment_id
        JOIN journal_schoolclass c ON c.id = a.school_class_id
        WHERE c.year_id = %(year)s AND a.is_active AND l.status = 'planned'
          AND ((l.date + b.starts) AT TIME ZONE %(tz)s) < o."end"
          AND ((l.date + b.ends) AT TIME ZONE %(tz)s) > o.start
          AND NOT EXISTS (
              SELECT 1 FROM journal_tempjournalimport ti
              WHERE ti.outage_id = o.id AND ti.school_class_id = c.id AND ti.paper_date = l.date)
        GROUP BY o.id, c.id, l.date, d.since
    """
    return sync(K.TEMP_JOURNAL, m, sql, m.params(outages=ids, since=since))
