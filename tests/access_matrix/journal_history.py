"""Access rows for the history pages (journal/views/history.py): deputy and director read
the history of records of their school; a reader of the record in another role gets 403;
out of scope is 404. The card-view log: the pupil's class teacher and the administrator."""

from . import Row

CONTROL = {"deputy": 200, "director": 200}
JOURNAL_READERS_403 = {"teacher": 403, "class_teacher": 403}


def _work(w, lesson=None):
    from tests import factories as F

    return F.AssessmentFactory(lesson=lesson or w.lessons[0], work_type=w.work_type)


def _period_mark(w, foreign=False):
    from tests import factories as F

    if foreign:
        return F.PeriodMarkFactory(pupil=w.foreign_pupil, assignment=w.foreign_assignment)
    return F.PeriodMarkFactory(pupil=w.pupil, assignment=w.assignment)


ROWS = [
    Row(
        "journal:mark_history",
        kwargs=lambda w: {"assessment": _work(w).pk, "pupil": w.pupil.pk},
        expect={**CONTROL, **JOURNAL_READERS_403},
    ),
    Row(
        "journal:mark_history",
        kwargs=lambda w: {"assessment": _work(w, w.foreign_lesson).pk, "pupil": w.foreign_pupil.pk},
        expect={"outsider": 200},
        note="foreign school: only its own deputy",
    ),
    Row(
        "journal:attendance_history",
        kwargs=lambda w: {"lesson": w.lessons[0].pk, "pupil": w.pupil.pk},
        expect={**CONTROL, **JOURNAL_READERS_403},
    ),
    Row(
        "journal:attendance_history",
        kwargs=lambda w: {"lesson": w.foreign_lesson.pk, "pupil": w.foreign_pupil.pk},
        expect={"outsider": 200},
    ),
    Row(
        "journal:lesson_history",
        kwargs=lambda w: {"pk": w.lessons[0].pk},
        expect={**CONTROL, **JOURNAL_READERS_403},
    ),
    Row("journal:lesson_history", kwargs=lambda w: {"pk": w.foreign_lesson.pk}, expect={"outsider": 200}),
    Row(
        "journal:period_mark_history",
        kwargs=lambda w: {"pk": _period_mark(w).pk},
        expect={**CONTROL, **JOURNAL_READERS_403, "parent": 403, "pupil": 403},
    ),
    Row(
        "journal:period_mark_history",
        kwargs=lambda w: {"pk": _period_mark(w, foreign=True).pk},
        expect={"outsider": 200},
    ),
    Row(
        "journal:card_views",
        kwargs=lambda w: {"pk": w.pupil.pk},
        expect={"class_teacher": 200, "admin": 200, "deputy": 403, "director": 403, "teacher": 403}
        | {"parent": 403, "pupil": 403},
    ),
    Row("journal:card_views", kwargs=lambda w: {"pk": w.foreign_pupil.pk}, expect={"outsider": 403}),
]
