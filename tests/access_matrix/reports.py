"""Access rows for reports/ (docs/DESIGN.md §4): class teacher — own class; subject teacher — own
journals; deputy and director — the whole school; parents, pupils, admin — none."""

from django.core.files.base import ContentFile

from reports.registry import ASSIGNMENT, CLASS, KINDS, SCHOOL, STAFF

from . import Row

STAFF_OK = {"deputy": 200, "director": 200}
CLASS_OK = {"class_teacher": 200, **STAFF_OK}
SUBJECT_OK = {"teacher": 200, **STAFF_OK}
FOREIGN_OK = {"outsider": 200}  # the outsider is the deputy of the foreign school
SCHOOL_OK = {"deputy": 200, "director": 200, "outsider": 200}


def _job(w, done=False):
    from tests import factories as F

    job = F.ReportJobFactory(created_by=w.deputy, school=w.school, params={"object": w.year.pk})
    if done:
        job.file.save("access-matrix.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        job.status = "done"
        job.sha256 = "0" * 64
        job.save()
    return job


def _activity(w, school=None):
    from tests import factories as F

    return F.MonthlyActivityFactory(school=school or w.school)


ROWS = [
    Row("reports:index", expect={"teacher": 200, "class_teacher": 200, **SCHOOL_OK}, default=403),
    # The form's GET: a choice within the user's scope goes to the report; outside it the
    # form comes back with its message (400): the teacher has no class reports, the
    # outsider (another school's deputy) has not this class.
    Row(
        "reports:choose",
        query=lambda w: {"report": "summary_marks", "klass": w.klass.pk, "format": "pdf"},
        expect={"class_teacher": 302, "deputy": 302, "director": 302, "teacher": 400, "outsider": 400},
        default=403,
    ),
    Row(
        "reports:choose",
        query=lambda w: {"report": "control", "format": "xlsx"},
        expect={"deputy": 302, "director": 302, "outsider": 302, "teacher": 400, "class_teacher": 400},
        default=403,
        note="school reports: deputy and director only",
    ),
]

for k in KINDS.values():
    if k.scope == CLASS:
        own = STAFF_OK if k.roles == STAFF else CLASS_OK
        ROWS += [
            Row("reports:class_report", kwargs=lambda w, c=k.code: {"pk": w.klass.pk, "kind": c}, expect=own),
            Row(
                "reports:class_report",
                kwargs=lambda w, c=k.code: {"pk": w.other_class.pk, "kind": c},
                expect=STAFF_OK,
                note="another class: not the class teacher's",
            ),
            Row(
                "reports:class_report",
                kwargs=lambda w, c=k.code: {"pk": w.foreign_class.pk, "kind": c},
                expect=FOREIGN_OK,
                note="foreign school: only its own deputy",
            ),
        ]
    elif k.scope == ASSIGNMENT:
        ROWS += [
            Row(
                "reports:assignment_report",
                kwargs=lambda w, c=k.code: {"pk": w.assignment.pk, "kind": c},
                expect=SUBJECT_OK,
            ),
            Row(
                "reports:assignment_report",
                kwargs=lambda w, c=k.code: {"pk": w.other_assignment.pk, "kind": c},
                expect=STAFF_OK,
                note="another teacher's journal",
            ),
            Row(
                "reports:assignment_report",
                kwargs=lambda w, c=k.code: {"pk": w.foreign_assignment.pk, "kind": c},
                expect=FOREIGN_OK,
                note="foreign school: only its own deputy",
            ),
        ]
    elif k.scope == SCHOOL:
        ROWS.append(Row("reports:school_report", kwargs=lambda w, c=k.code: {"kind": c}, expect=SCHOOL_OK, default=403))

ROWS += [
    Row("reports:class_report", kwargs=lambda w: {"pk": w.klass.pk, "kind": "no_such_report"}),
    Row(
        "reports:class_report_file",
        kwargs=lambda w: {"pk": w.klass.pk, "kind": "summary_marks", "fmt": "pdf"},
        expect=CLASS_OK,
    ),
    Row(
        "reports:class_report_file",
        kwargs=lambda w: {"pk": w.klass.pk, "kind": "class_results", "fmt": "xlsx"},
        expect=CLASS_OK,
    ),
    Row(
        "reports:class_report_file",
        kwargs=lambda w: {"pk": w.foreign_class.pk, "kind": "summary_marks", "fmt": "pdf"},
        expect=FOREIGN_OK,
    ),
    Row(
        "reports:class_report_file",
        kwargs=lambda w: {"pk": w.klass.pk, "kind": "class_journal", "fmt": "pdf"},
        note="long: only through a job",
    ),
    Row(
        "reports:assignment_report_file",
        kwargs=lambda w: {"pk": w.assignment.pk, "kind": "journal_pages", "fmt": "pdf"},
        expect=SUBJECT_OK,
    ),
    Row(
        "reports:assignment_report_file",
        kwargs=lambda w: {"pk": w.assignment.pk, "kind": "subject_summary", "fmt": "xlsx"},
        expect=SUBJECT_OK,
    ),
    Row(
        "reports:assignment_report_file",
        kwargs=lambda w: {"pk": w.foreign_assignment.pk, "kind": "journal_pages", "fmt": "pdf"},
        expect=FOREIGN_OK,
    ),
    Row(
        "reports:school_report_file",
        kwargs=lambda w: {"kind": "class_sizes", "fmt": "pdf"},
        expect=SCHOOL_OK,
        default=403,
    ),
    Row(
        "reports:school_report_file",
        kwargs=lambda w: {"kind": "movement_dynamics", "fmt": "xlsx"},
        expect=SCHOOL_OK,
        default=403,
    ),
    Row(
        "reports:school_report_file",
        kwargs=lambda w: {"kind": "control", "fmt": "pdf"},
        expect={"deputy": 404, "director": 404, "outsider": 404},
        default=403,
        note="the deputy's control report: long, only through a job (deputy and director)",
    ),
    Row(
        "reports:school_report_file",
        kwargs=lambda w: {"kind": "control", "fmt": "xlsx"},
        expect={"deputy": 404, "director": 404, "outsider": 404},
        default=403,
    ),
    Row(
        "reports:job_create",
        method="POST",
        data=lambda w: {"kind": "control", "format": "xlsx"},
        expect={"deputy": 302, "director": 302, "outsider": 302},
        default=403,
    ),
    Row(
        "reports:school_report_file",
        kwargs=lambda w: {"kind": "school_summaries", "fmt": "pdf"},
        expect={"deputy": 404, "director": 404, "outsider": 404},
        default=403,
        note="long: only through a job",
    ),
    Row(
        "reports:job_create",
        method="POST",
        data=lambda w: {"kind": "class_journal", "object": w.klass.pk},
        expect={"deputy": 302, "director": 302},
    ),
    Row(
        "reports:job_create",
        method="POST",
        data=lambda w: {"kind": "class_journal", "object": w.foreign_class.pk},
        expect={"outsider": 302},
        note="foreign class: only its own deputy",
    ),
    Row(
        "reports:job_create",
        method="POST",
        data=lambda w: {"kind": "school_summaries"},
        expect={"deputy": 302, "director": 302, "outsider": 302},
        default=403,
    ),
    Row("reports:job_detail", kwargs=lambda w: {"pk": _job(w).pk}, expect=STAFF_OK),
    Row("reports:job_status", kwargs=lambda w: {"pk": _job(w).pk}, expect=STAFF_OK),
    Row("reports:job_file", kwargs=lambda w: {"pk": _job(w, done=True).pk}, expect=STAFF_OK),
    Row("reports:activity_list", expect=SCHOOL_OK, default=403),
    Row("reports:activity_detail", kwargs=lambda w: {"pk": _activity(w).pk}, expect=STAFF_OK),
    Row(
        "reports:activity_detail",
        kwargs=lambda w: {"pk": _activity(w, w.foreign_school).pk},
        expect={"outsider": 200},
        note="another school's report",
    ),
    Row("reports:activity_detail_file", kwargs=lambda w: {"pk": _activity(w).pk, "fmt": "pdf"}, expect=STAFF_OK),
]
