"""The register's records in one SQL query (journal/register.py): the period's lessons with
their works and the works' colours, their attendance, their marks and the period marks.

UNION ALL of four same-shaped selects over one CTE of the period's lessons, written as SQL
like the lesson page's records (journal/views/lesson_sections.py `Records`): the grid page
is the journal's hottest read, and the ORM spent longer building its five querysets than
PostgreSQL running them. The Python twins, which answer a single cell's save, are
`register._colours` (the colours by the school's order of work types) and `saved_cell`;
tests/test_grid_queries.py proves the page shows what they do.
"""

from dataclasses import dataclass, field

from django.db import connection

from .models import Assessment, Attendance, Bell, Lesson, Mark, PeriodMark, WorkType

COLOURS = 8  # .wt0 … .wt7 in static/css/grid.css

_T = {m.__name__: m._meta.db_table for m in (Lesson, Assessment, Attendance, Mark, PeriodMark, WorkType, Bell)}

# One shape for the four selects: kind, then
#   L  lesson id, bell number, work id, work type id, work position, topic, work type name,
#      work description, topic late, date, weight, bell start, colour: one row per work (or
#      one with a NULL work for a lesson without works)
#   A  lesson id, pupil id, version, -, -, code, -, -, late
#   M  lesson id, pupil id, version, work id, -, value, -, -, late
#   P  period id, pupil id, version, period mark id, -, value, kind
SQL = f"""
WITH l AS (
    SELECT id, date, topic, topic_late, bell_id FROM {_T["Lesson"]}
    WHERE assignment_id = %(assignment)s AND date >= %(start)s AND date <= %(end)s AND NOT status = %(cancelled)s
), colour AS (
    SELECT id, (row_number() OVER (ORDER BY "order", name, id) - 1) %% {COLOURS} AS n
    FROM {_T["WorkType"]} WHERE school_id = %(school)s
)
SELECT 'L', l.id, b.number, w.id, w.work_type_id, w.position, l.topic, t.name, w.description,
       l.topic_late, l.date, w.weight, b.starts, COALESCE(colour.n, 0)::int
  FROM l JOIN {_T["Bell"]} b ON b.id = l.bell_id
  LEFT JOIN {_T["Assessment"]} w ON w.lesson_id = l.id
  LEFT JOIN {_T["WorkType"]} t ON t.id = w.work_type_id
  LEFT JOIN colour ON colour.id = w.work_type_id
UNION ALL
SELECT 'A', a.lesson_id, a.pupil_id, a.version, NULL, NULL, a.code, NULL, NULL, a.is_late, NULL, NULL, NULL, NULL
  FROM {_T["Attendance"]} a WHERE a.lesson_id IN (SELECT id FROM l)
UNION ALL
SELECT 'M', w.lesson_id, m.pupil_id, m.version, m.assessment_id, NULL, m.value, NULL, NULL, m.is_late,
       NULL, NULL, NULL, NULL
  FROM {_T["Mark"]} m JOIN {_T["Assessment"]} w ON w.id = m.assessment_id
  WHERE %(marks)s AND w.lesson_id IN (SELECT id FROM l)
UNION ALL
SELECT 'P', p.period_id, p.pupil_id, p.version, p.id, NULL, p.value, p.kind, NULL, NULL, NULL, NULL, NULL, NULL
  FROM {_T["PeriodMark"]} p
  WHERE p.subject_id = %(subject)s AND p.period_id = ANY(%(periods)s) AND p.pupil_id = ANY(%(pupils)s)
"""  # noqa: S608 — the table names are ours, the values are parameters


@dataclass
class RegisterRecords:
    """What the query read: lesson rows (with works), attendance, marks and period marks."""

    lessons: list = field(default_factory=list)  # (date, bell number, lesson id, position, work id, row)
    att: dict = field(default_factory=dict)  # (lesson id, pupil id) -> (code, version, late)
    marks: list = field(default_factory=list)  # (work id, lesson id, pupil id, value, version, late)
    period_marks: dict = field(default_factory=dict)  # (pupil id, kind, period id) -> (value, version, id)


def read(assignment, start, end, *, school_id, marks, pm_periods, pupil_ids) -> RegisterRecords:
    """One query. `marks`: read the marks (not in grade 1); `pm_periods`: the period ids whose
    period marks the panel shows, of `pupil_ids`."""
    params = {
        "assignment": assignment.pk,
        "start": start,
        "end": end,
        "cancelled": Lesson.Status.CANCELLED.value,
        "school": school_id,
        "marks": bool(marks),
        "subject": assignment.subject_id,
        "periods": list(pm_periods),
        "pupils": list(pupil_ids),
    }
    out = RegisterRecords()
    with connection.cursor() as cur:
        cur.execute(SQL, params)
        rows = cur.fetchall()
    lessons, att, mark_rows, pms = out.lessons, out.att, out.marks, out.period_marks
    for kind, i1, i2, i3, i4, i5, t1, t2, t3, b1, d1, n1, tm, colour in rows:
        if kind == "M":
            mark_rows.append((i4, i1, i2, t1, i3, b1))
        elif kind == "A":
            att[(i1, i2)] = (t1, i3, b1)
        elif kind == "L":
            # the page's order: date, bell, lesson, then the works by position and id
            lessons.append(
                (
                    (d1, i2, i1, i5 or 0, i3 or 0),
                    (i1, d1, t1, b1, i2, tm, i3, t2, n1, t3, i4, colour),
                )
            )
        else:
            pms[(i2, t2, i1)] = (t1, i3, i4)
    lessons.sort(key=lambda r: r[0])
    out.lessons = [r for _key, r in lessons]
    return out
