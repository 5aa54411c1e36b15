"""Access rows for the journal grid, period marks, lesson page and cell saves (issue 4).

Cells and the lesson page's forms (each posted to its own URL) are POSTed for
world.lessons[0] (2026-11-09), which is locked for its teacher by now (7 days), so the
teacher gets the rule's 422, the readers 403 (they may open the journal but not
write), everyone else 404. Period marks are POSTed
for quarter 1, whose window closed on 2026-10-24.
"""

from journal.models import StudyPeriod

from .. import factories as F
from . import Row

READERS = {"teacher": 200, "class_teacher": 200, "deputy": 200, "director": 200}
REDIRECT = {k: 302 for k in READERS}
WRITE = {"teacher": 422, "class_teacher": 403, "deputy": 403, "director": 403}


def quarter(w, n, year=None):
    return StudyPeriod.objects.get(year=year or w.year, scheme="quarter", number=n)


def work(w):
    """The graded work of world.lessons[0], made on first use."""
    return w.lessons[0].assessments.first() or F.AssessmentFactory(lesson=w.lessons[0], work_type=w.work_type)


def lesson_action_rows(name, data):
    """A form of the lesson page posted to its own URL, for our lesson and a foreign one."""
    return [
        Row(name, method="POST", kwargs=lambda w: {"pk": w.lessons[0].pk}, data=data, expect=WRITE),
        Row(
            name,
            method="POST",
            kwargs=lambda w: {"pk": w.foreign_lesson.pk},
            data=lambda w: {},
            expect={"outsider": 403},
        ),
    ]


def cell_data(w):
    return {"k": "m", "p": w.pupil.pk, "v": 0, "value": "5", "s": ""}


ROWS = [
    Row("journal:grid", kwargs=lambda w: {"pk": w.assignment.pk}, expect=REDIRECT),
    Row(
        "journal:grid",
        kwargs=lambda w: {"pk": w.other_assignment.pk},
        expect={"deputy": 302, "director": 302},
        note="5Б: neither our teacher's nor our class teacher's journal",
    ),
    Row("journal:grid", kwargs=lambda w: {"pk": w.foreign_assignment.pk}, expect={"outsider": 302}),
    Row(
        "journal:grid_period",
        kwargs=lambda w: {"pk": w.assignment.pk, "period": quarter(w, 2).pk},
        expect=READERS,
    ),
    Row(
        "journal:grid_period",
        kwargs=lambda w: {"pk": w.assignment.pk, "period": quarter(w, 2, w.foreign_assignment.school_class.year).pk},
        expect={},
        note="a period of another school's year",
    ),
    Row(
        "journal:period_mark",
        method="POST",
        kwargs=lambda w: {"pk": w.assignment.pk, "period": quarter(w, 1).pk},
        data=lambda w: {"p": w.pupil.pk, "v": 0, "value": "5", "kind": "period"},
        expect={"teacher": 422, "class_teacher": 422, "deputy": 403, "director": 403},
    ),
    Row(
        "journal:period_mark",
        method="POST",
        kwargs=lambda w: {
            "pk": w.foreign_assignment.pk,
            "period": quarter(w, 1, w.foreign_assignment.school_class.year).pk,
        },
        data=lambda w: {"p": w.foreign_pupil.pk, "v": 0, "value": "5", "kind": "period"},
        expect={"outsider": 403},
    ),
    Row("journal:lesson", kwargs=lambda w: {"pk": w.lessons[0].pk}, expect=READERS),
    Row("journal:lesson", kwargs=lambda w: {"pk": w.foreign_lesson.pk}, expect={"outsider": 200}),
    Row(
        "journal:lesson",
        method="POST",
        kwargs=lambda w: {"pk": w.lessons[0].pk},
        data=lambda w: {"topic": "Дроби", "version": 1},
        default=405,
        note="the page takes no POST: each of its forms has its own URL",
    ),
    *lesson_action_rows("journal:lesson_topic", lambda w: {"topic": "Дроби", "version": 1}),
    *lesson_action_rows("journal:lesson_homework", lambda w: {"text": "§ 12, № 3"}),
    *lesson_action_rows(
        "journal:lesson_work_add", lambda w: {"new-work_type": w.work_type.pk, "new-weight": "1", "new-description": ""}
    ),
    *lesson_action_rows(
        "journal:lesson_work_change",
        lambda w: {
            "assessment": work(w).pk,
            f"w{work(w).pk}-work_type": w.work_type.pk,
            f"w{work(w).pk}-weight": "2",
            f"w{work(w).pk}-description": "",
        },
    ),
    *lesson_action_rows(
        "journal:lesson_work_remove",
        lambda w: {"assessment": work(w).pk, f"r{work(w).pk}-reason": "ошибка"},
    ),
    *lesson_action_rows("journal:lesson_pupil_notes", lambda w: {f"comment_{w.pupil.pk}": "Молодец"}),
    *lesson_action_rows("journal:lesson_topic_from_plan", lambda w: {"item": 0, "version": 1}),
    *lesson_action_rows("journal:lesson_attendance", lambda w: {f"att_{w.pupil.pk}": "н", f"v_{w.pupil.pk}": 0}),
    Row(
        "journal:cell",
        method="POST",
        kwargs=lambda w: {"pk": w.lessons[0].pk},
        data=cell_data,
        expect=WRITE,
    ),
    Row(
        "journal:cell",
        method="POST",
        kwargs=lambda w: {"pk": w.foreign_lesson.pk},
        data=lambda w: {"k": "a", "p": w.foreign_pupil.pk, "v": 0, "value": "н"},
        expect={"outsider": 403},
    ),
]
