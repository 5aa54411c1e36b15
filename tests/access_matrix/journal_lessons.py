"""Access rows for lesson changes by hand and the lessons for the deputy (issue 15):
the deputy and the scheduler (no persona here; tests/test_lesson_changes.py) change
lessons; everyone else is told no (403); another school's lessons and reviews are 404."""

from django.utils import timezone

from . import Row

EDITORS = {"deputy": 200, "outsider": 200}


def _review(w, lesson=None):
    from journal.models import LessonReview

    lesson = lesson or w.lessons[2]
    school = lesson.assignment.school_class.year.school
    review, _ = LessonReview.objects.get_or_create(
        lesson=lesson, resolved_at=None, defaults={"school": school, "kind": "removed", "detected_at": timezone.now()}
    )
    return review


ROWS = [
    Row("journal:lesson_changes", expect=EDITORS, default=403),
    Row(
        "journal:lesson_changes",
        query=lambda w: {"klass": w.klass.pk, "week": "2026-11-09"},
        expect=EDITORS,
        default=403,
        note="a class's week (another school's deputy gets the form back)",
    ),  # fmt: skip
    Row("journal:lesson_add", expect=EDITORS, default=403),
    Row(
        "journal:lesson_add",
        method="POST",
        data=lambda w: {"assignment": w.assignment.pk, "date": "2026-09-01", "bell": w.lessons[0].bell_id},
        expect={"deputy": 422, "outsider": 422},
        default=403,
        note="a day already past: refused with the form",
    ),
    Row(
        "journal:lesson_move",
        kwargs=lambda w: {"pk": w.lessons[0].pk},
        expect={"deputy": 200, "outsider": 404},
        default=403,
    ),
    Row(
        "journal:lesson_move",
        kwargs=lambda w: {"pk": w.foreign_lesson.pk},
        expect={"deputy": 404, "outsider": 200},
        default=403,
        note="another school's lesson",
    ),
    Row(
        "journal:lesson_move",
        method="POST",
        kwargs=lambda w: {"pk": w.lessons[0].pk},
        data=lambda w: {"date": "2026-11-10", "bell": w.lessons[0].bell_id},
        expect={"deputy": 422, "outsider": 404},
        default=403,
        note="a lesson already past: refused with the form",
    ),
    Row(
        "journal:lesson_cancel",
        kwargs=lambda w: {"pk": w.lessons[0].pk},
        expect={"deputy": 200, "outsider": 404},
        default=403,
    ),
    Row(
        "journal:lesson_cancel",
        method="POST",
        kwargs=lambda w: {"pk": w.lessons[0].pk},
        data=lambda w: {"reason": "Учитель на курсах"},
        expect={"deputy": 302, "outsider": 404},
        default=403,
    ),
    Row(
        "journal:lesson_restore",
        kwargs=lambda w: {"pk": w.lessons[0].pk},
        expect={"deputy": 200, "outsider": 404},
        default=403,
    ),
    Row(
        "journal:lesson_restore",
        kwargs=lambda w: {"pk": w.foreign_lesson.pk},
        expect={"deputy": 404, "outsider": 200},
        default=403,
        note="another school's lesson",
    ),
    Row(
        "journal:lesson_restore",
        method="POST",
        kwargs=lambda w: {"pk": w.lessons[0].pk},
        data=lambda w: {},
        expect={"deputy": 422, "outsider": 404},
        default=403,
        note="the lesson is not cancelled: refused with the page",
    ),
    Row("journal:lesson_reviews", expect=EDITORS, default=403),
    Row(
        "journal:lesson_review_keep",
        method="POST",
        kwargs=lambda w: {"pk": _review(w).pk},
        expect={"deputy": 302, "outsider": 404},
        default=403,
    ),
    Row(
        "journal:lesson_review_keep",
        method="POST",
        kwargs=lambda w: {"pk": _review(w, w.foreign_lesson).pk},
        expect={"deputy": 404, "outsider": 302},
        default=403,
        note="another school's review",
    ),
    Row(
        "journal:lesson_review_move",
        method="POST",
        kwargs=lambda w: {"pk": _review(w).pk},
        expect={"deputy": 302, "outsider": 404},
        default=403,
        note="no new place in the timetable: the deputy is told so on the list",
    ),
]
