"""Access rows for the timetable editor (issue 15, point 3): the timetable editors
(journal.roles.TIMETABLE_EDITORS: deputy, scheduler, administrator) open it; everyone
else is told no (403); another school's classes, teachers, rooms and lines are 404."""

from . import Row

EDITORS = {"deputy": 200, "admin": 200, "outsider": 200}
HERE = {"deputy": 200, "admin": 200, "outsider": 404}
THERE = {"deputy": 404, "admin": 404, "outsider": 200}


def _room(school):
    from journal.models import Room

    return Room.objects.get_or_create(school=school, number="201")[0]


def _entry(assignment):
    from journal.models import TimetableEntry

    return TimetableEntry.objects.get_or_create(
        assignment=assignment,
        weekday=1,
        bell=assignment.school_class.year.school.bells.order_by("number").first()
        or assignment.school_class.year.school.bells.create(number=1, starts="08:00", ends="08:45"),
        defaults={"valid_from": assignment.school_class.year.start},
    )[0]


def _both(name, here, there, note=""):
    return [
        Row(name, kwargs=lambda w: {"pk": here(w).pk}, expect=HERE, default=403, note=note),
        Row(name, kwargs=lambda w: {"pk": there(w).pk}, expect=THERE, default=403, note="another school's " + note),
    ]


ROWS = [
    Row("journal:timetable", expect=EDITORS, default=403),
    *_both("journal:timetable_class", lambda w: w.klass, lambda w: w.foreign_class, "class"),
    *_both("journal:timetable_class_pdf", lambda w: w.klass, lambda w: w.foreign_class, "class"),
    *_both("journal:timetable_add", lambda w: w.klass, lambda w: w.foreign_class, "class"),
    Row(
        "journal:timetable_add",
        method="POST",
        kwargs=lambda w: {"pk": w.klass.pk},
        data=lambda w: {
            "assignment": w.assignment.pk,
            "weekday": 1,
            "bell": w.lessons[0].bell_id,
            "valid_from": "2030-09-01",
        },  # fmt: skip
        expect={"deputy": 422, "admin": 422, "outsider": 404},
        default=403,
        note="a day outside the year: refused with the form",
    ),
    *_both("journal:timetable_teacher", lambda w: w.teacher, lambda w: w.foreign_assignment.teacher, "teacher"),
    *_both("journal:timetable_teacher_pdf", lambda w: w.teacher, lambda w: w.foreign_assignment.teacher, "teacher"),
    *_both("journal:timetable_room", lambda w: _room(w.school), lambda w: _room(w.foreign_school), "room"),
    *_both("journal:timetable_change", lambda w: _entry(w.assignment), lambda w: _entry(w.foreign_assignment), "line"),
    *_both("journal:timetable_end", lambda w: _entry(w.assignment), lambda w: _entry(w.foreign_assignment), "line"),
    Row(
        "journal:timetable_change",
        method="POST",
        kwargs=lambda w: {"pk": _entry(w.assignment).pk},
        data=lambda w: {"weekday": 2, "bell": w.lessons[0].bell_id, "valid_from": "2030-09-01"},
        expect={"deputy": 422, "admin": 422, "outsider": 404},
        default=403,
        note="a day outside the year: refused with the form",
    ),
    Row(
        "journal:timetable_end",
        method="POST",
        kwargs=lambda w: {"pk": _entry(w.assignment).pk},
        data=lambda w: {"last_day": ""},
        expect={"deputy": 422, "admin": 422, "outsider": 404},
        default=403,
        note="no last day: refused with the form",
    ),
]
