"""Access rows for closing the school year (issue 16; docs/DESIGN.md §3.25): the check is
the deputy's and the director's (403 for other roles), closing and reopening the director's
alone; another school's year is "not found". The POSTs send empty forms: the director gets
the page back with the message (422), nothing is closed."""

from . import Row

READERS = {"deputy": 200, "director": 200, "outsider": 200}

ROWS = [
    Row("journal:year_end", expect=READERS, default=403),
    Row(
        "journal:year_end",
        query=lambda w: {"year": w.foreign_class.year.pk},
        expect={"deputy": 404, "director": 404, "outsider": 200},
        default=403,
        note="another school's year",
    ),
    Row(
        "journal:year_close",
        kwargs=lambda w: {"pk": w.year.pk},
        method="POST",
        data=lambda w: {},
        expect={"director": 422, "outsider": 404},
        default=403,
        note="blockers and no override reason: refused with the message",
    ),
    Row(
        "journal:year_close",
        kwargs=lambda w: {"pk": w.foreign_class.year.pk},
        method="POST",
        data=lambda w: {},
        expect={"deputy": 404, "director": 404},
        default=403,
        note="another school's year; its deputy may not close",
    ),
    Row(
        "journal:year_reopen",
        kwargs=lambda w: {"pk": w.year.pk},
        method="POST",
        data=lambda w: {},
        expect={"director": 422, "outsider": 404},
        default=403,
        note="no reason: refused with the message",
    ),
    Row(
        "journal:year_reopen",
        kwargs=lambda w: {"pk": w.foreign_class.year.pk},
        method="POST",
        data=lambda w: {},
        expect={"deputy": 404, "director": 404},
        default=403,
        note="another school's year",
    ),
]
