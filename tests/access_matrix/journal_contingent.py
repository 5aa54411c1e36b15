"""Access rows for the contingent pages (issue 15): a class's pupils, their parents and
the import of its list are its class teacher's and the administrator's (and the
secretary's, who is no persona here: tests/test_contingent.py); everyone else 404,
the school's class list is the administrator's (403 for the rest)."""

from . import Row

MANAGERS = {"class_teacher": 200, "admin": 200}
BAD_PUPIL = {"last_name": "Новый", "first_name": "Ученик", "birth_date": ""}
BAD_PARENT = {"last_name": "Новая", "first_name": "Мать", "phone": "", "email": ""}

ROWS = [
    Row("journal:contingent_classes", expect={"admin": 200}, default=403),
    Row("journal:pupil_new", kwargs=lambda w: {"pk": w.klass.pk}, expect=MANAGERS),
    Row("journal:pupil_new", kwargs=lambda w: {"pk": w.other_class.pk}, expect={"admin": 200}, note="not own class"),
    Row("journal:pupil_new", kwargs=lambda w: {"pk": w.foreign_class.pk}, expect={}, note="another school"),
    Row(
        "journal:pupil_new",
        method="POST",
        kwargs=lambda w: {"pk": w.klass.pk},
        data=lambda w: BAD_PUPIL,
        expect=MANAGERS,
        note="the form again with its error, nothing written",
    ),
    Row(
        "journal:pupil_new",
        method="POST",
        kwargs=lambda w: {"pk": w.foreign_class.pk},
        data=lambda w: BAD_PUPIL,
        expect={},
        note="another school",
    ),
    Row("journal:parent_new", kwargs=lambda w: {"pk": w.pupil.pk}, expect=MANAGERS),
    Row("journal:parent_new", kwargs=lambda w: {"pk": w.other_pupil.pk}, expect={"admin": 200}, note="not own class"),
    Row("journal:parent_new", kwargs=lambda w: {"pk": w.foreign_pupil.pk}, expect={}, note="another school"),
    Row("journal:parent_new", kwargs=lambda w: {"pk": w.parent.pk}, expect={}, note="a parent is no pupil"),
    Row(
        "journal:parent_new",
        method="POST",
        kwargs=lambda w: {"pk": w.pupil.pk},
        data=lambda w: BAD_PARENT,
        expect=MANAGERS,
        note="the form again with its error",
    ),
    Row("journal:class_import", kwargs=lambda w: {"pk": w.klass.pk}, expect=MANAGERS),
    Row("journal:class_import", kwargs=lambda w: {"pk": w.other_class.pk}, expect={"admin": 200}, note="not own"),
    Row("journal:class_import", kwargs=lambda w: {"pk": w.foreign_class.pk}, expect={}, note="another school"),
    Row(
        "journal:class_import",
        method="POST",
        kwargs=lambda w: {"pk": w.klass.pk},
        data=lambda w: {},
        expect=MANAGERS,
        note="no file: the form says so",
    ),
    Row(
        "journal:class_import_confirm",
        method="POST",
        kwargs=lambda w: {"pk": w.klass.pk},
        data=lambda w: {"token": "forged"},
        expect={"class_teacher": 302, "admin": 302},
        note="a forged preview: back to the upload with the message",
    ),
    Row(
        "journal:class_import_confirm",
        method="POST",
        kwargs=lambda w: {"pk": w.foreign_class.pk},
        data=lambda w: {"token": "forged"},
        expect={},
        note="another school",
    ),
]

ROWS += [
    Row("journal:staff_import", expect={"admin": 200}, default=403),
    Row("journal:staff_import", method="POST", data=lambda w: {}, expect={"admin": 200}, default=403, note="no file"),
    Row(
        "journal:staff_import_confirm",
        method="POST",
        data=lambda w: {"token": "forged"},
        expect={"admin": 302},
        default=403,
        note="a forged preview: back to the upload with the message",
    ),
]
