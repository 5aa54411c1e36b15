"""Access rows for the lists of journals (issue 14): «Мои журналы» is a teacher's (or a
substitute's); «Журналы школы» the deputy's and director's; a class's page its class
teacher's and the administration's — a subject teacher of the class does not get it."""

from . import Row

ROWS = [
    Row("journal:my_journals", expect={"teacher": 200}, default=403),
    Row("journal:school_journals", expect={"deputy": 200, "director": 200, "outsider": 200}, default=403),
    Row(
        "journal:class_page",
        kwargs=lambda w: {"pk": w.klass.pk},
        expect={"class_teacher": 200, "deputy": 200, "director": 200},
    ),
    Row(
        "journal:class_page",
        kwargs=lambda w: {"pk": w.other_class.pk},
        expect={"deputy": 200, "director": 200},
        note="a class without a class teacher: the administration only",
    ),
    Row(
        "journal:class_page",
        kwargs=lambda w: {"pk": w.foreign_class.pk},
        expect={"outsider": 200},
        note="another school's class",
    ),
]
