from datetime import date

from reports.builders import attendance, journal_print, marks, movement, subject
from reports.render.html import render_body
from reports.render.pdf import render_pdf
from reports.render.xlsx import render_xlsx
from tests.reports_data import build_report_class


def test_smoke(world, django_assert_max_num_queries):
    rc = build_report_class(world)
    k = rc.klass
    reps = [
        marks.summary_marks(k, today=date(2026, 11, 20)),
        marks.class_results(k, rc.q1),
        marks.class_period_report(k, rc.q1),
        marks.class_period_report(k, rc.q1, preliminary=True),
        marks.pupil_results(k, rc.q1),
        attendance.class_attendance_month(k, 2026, 11),
        attendance.summary_attendance(k),
        movement.class_movement(k),
        movement.movement_dynamics(world.year),
        movement.class_sizes(world.year, date(2026, 9, 15)),
        subject.subject_preliminary(rc.maths, rc.q1),
        subject.subject_results(rc.maths, rc.q1),
        subject.subject_summary(rc.maths),
        journal_print.journal_pages(rc.maths, world.year.periods.get(scheme="quarter", number=2)),
        journal_print.class_journal(k, world.year.periods.get(scheme="quarter", number=2)),
        marks.school_summaries(world.year),
    ]
    import os

    os.makedirs("/tmp/rpt", exist_ok=True)
    for r in reps:
        render_body(r)
        pdf = render_pdf(r)
        open(f"/tmp/rpt/{r.kind}.pdf", "wb").write(pdf)
        open(f"/tmp/rpt/{r.kind}.xlsx", "wb").write(render_xlsx(r))
