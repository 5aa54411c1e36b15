"""Access rows for diary/ (issue 5): a parent sees own children, a pupil own diary, staff
the pupils of their journals and classes; ids of other children, lessons and messages
give 404."""

from . import Row

EVERYONE = ("teacher", "class_teacher", "parent", "other_parent", "pupil", "deputy", "director", "admin", "outsider")
ALL_200 = dict.fromkeys(EVERYONE, 200)
FAMILY = {"parent": 200, "pupil": 200}
# Who reads Иванова's (5А) diary: her family, her teacher, her class teacher, the school's deputy and director.
READERS = {**FAMILY, "teacher": 200, "class_teacher": 200, "deputy": 200, "director": 200}


def _thread(w):
    from diary import services

    return services.start_thread(
        w.parent, pupil_id=w.pupil.pk, to=f"teacher:{w.teacher.pk}", subject="Контрольная", body="Можно переписать?"
    )


def _pupil_thread(w):
    from diary import services

    return services.start_thread(
        w.teacher, pupil_id=w.pupil.pk, to=f"pupil:{w.pupil.pk}", subject="Доклад", body="Подготовь к пятнице"
    )


def _colleague_thread(w):
    from diary import services

    return services.start_thread(
        w.teacher, pupil_id=None, to=f"colleague:{w.class_teacher.pk}", subject="5А", body="Контрольная в среду"
    )


def _announcement(w):
    from diary import services

    return services.publish_announcement(
        w.class_teacher, school_class_id=w.klass.pk, audience="both", title="Экскурсия", body="В пятницу"
    )


def _token(w):
    from diary import services

    return services.unsubscribe_token(w.parent.pk, "weekly")


ROWS = [
    Row("diary:index", expect={"parent": 302, "pupil": 302, "other_parent": 302}, default=403),
    Row("diary:week", kwargs=lambda w: {"pupil_id": w.pupil.pk}, expect=READERS),
    Row(
        "diary:week",
        kwargs=lambda w: {"pupil_id": w.other_pupil.pk},
        expect={"other_parent": 200, "deputy": 200, "director": 200},
        note="5Б pupil",
    ),
    Row(
        "diary:week", kwargs=lambda w: {"pupil_id": w.foreign_pupil.pk}, expect={"outsider": 200}, note="another school"
    ),
    Row("diary:lesson", kwargs=lambda w: {"pupil_id": w.pupil.pk, "lesson_id": w.lessons[0].pk}, expect=READERS),
    Row(
        "diary:lesson",
        kwargs=lambda w: {"pupil_id": w.pupil.pk, "lesson_id": w.other_assignment.lessons.first().pk},
        expect={},
        note="a lesson of another class under her id",
    ),
    Row("diary:marks", kwargs=lambda w: {"pupil_id": w.pupil.pk}, expect=READERS),
    Row(
        "diary:marks",
        kwargs=lambda w: {"pupil_id": w.other_pupil.pk},
        expect={"other_parent": 200, "deputy": 200, "director": 200},
    ),
    Row("diary:print_week", kwargs=lambda w: {"pupil_id": w.pupil.pk}, expect=READERS),
    Row("diary:print_week", kwargs=lambda w: {"pupil_id": w.foreign_pupil.pk}, expect={"outsider": 200}),
    Row(
        "diary:print_class",
        kwargs=lambda w: {"class_id": w.klass.pk},
        expect={"class_teacher": 200, "deputy": 200, "director": 200},
    ),
    Row("diary:print_class", kwargs=lambda w: {"class_id": w.foreign_class.pk}, expect={"outsider": 200}),
    # Paper copies (docs/DESIGN.md §4.4): a parent for own children, the class teacher for her class's families.
    Row("diary:paper_requests", expect={"parent": 200, "other_parent": 200}, default=403),
    Row(
        "diary:paper_requests",
        query=lambda w: {"class": w.klass.pk},
        expect={"class_teacher": 200},
        note="5А's families: its class teacher only",
    ),
    Row("diary:inbox", expect=ALL_200),
    # A family starts from the inbox; staff from the inbox's picker (class → pupil, all
    # parents of a class, a colleague) or from a pupil (the diary, the grid row, the card).
    Row(
        "diary:thread_new",
        expect={**dict.fromkeys(EVERYONE, 200), "pupil": 403, "admin": 403},
    ),
    Row(
        "diary:thread_new",
        query=lambda w: {"class": w.klass.pk},
        expect={
            "teacher": 200,
            "class_teacher": 200,
            "deputy": 200,
            "director": 200,
            "parent": 200,
            "other_parent": 200,
            "pupil": 403,
            "admin": 403,
        },
        note="the picker at 5А (a parent gets the family form: the class is not asked)",
    ),
    Row(
        "diary:thread_new",
        query=lambda w: {"class": w.other_class.pk},
        expect={"deputy": 200, "director": 200, "parent": 200, "other_parent": 200, "pupil": 403, "admin": 403},
        note="the picker at 5Б: not a class of the teacher's or the class teacher's",
    ),
    Row(
        "diary:class_message",
        kwargs=lambda w: {"class_id": w.klass.pk},
        expect={"class_teacher": 200, "deputy": 200, "director": 200},
        note="all parents of 5А: its class teacher and the administration",
    ),
    Row(
        "diary:class_message",
        kwargs=lambda w: {"class_id": w.foreign_class.pk},
        expect={"outsider": 200},
        note="another school's class: its own deputy only",
    ),
    Row(
        "diary:thread_new",
        query=lambda w: {"pupil": w.pupil.pk},
        expect={
            "parent": 200,
            "teacher": 200,
            "class_teacher": 200,
            "deputy": 200,
            "director": 200,
            "pupil": 403,
            "admin": 403,
        },
        note="about Иванова",
    ),
    Row(
        "diary:thread_new",
        query=lambda w: {"pupil": w.foreign_pupil.pk},
        expect={"outsider": 200, "pupil": 403, "admin": 403},
        note="about another school's pupil",
    ),
    Row("diary:thread", kwargs=lambda w: {"pk": _thread(w).pk}, expect={"parent": 200, "teacher": 200}),
    # A thread with the pupil: never another family's, never another pupil's.
    Row("diary:thread", kwargs=lambda w: {"pk": _pupil_thread(w).pk}, expect={"pupil": 200, "teacher": 200}),
    Row(
        "diary:thread",
        kwargs=lambda w: {"pk": _colleague_thread(w).pk},
        expect={"teacher": 200, "class_teacher": 200},
        note="teacher → class teacher",
    ),
    Row(
        "diary:message", kwargs=lambda w: {"pk": _thread(w).messages.first().pk}, expect={"parent": 302, "teacher": 302}
    ),
    Row("diary:announcements", expect=ALL_200),
    Row(
        "diary:announcement_new",
        expect={"class_teacher": 200, "deputy": 200, "director": 200, "admin": 200, "outsider": 200},
        default=403,
    ),
    Row(
        "diary:announcement",
        kwargs=lambda w: {"pk": _announcement(w).pk},
        # An announcement is read by its author and its addressees only.
        expect={"parent": 200, "pupil": 200, "class_teacher": 200},
    ),
    Row("diary:email_settings", expect={"parent": 200, "other_parent": 200}, default=403),
    Row(
        "diary:unsubscribe",
        kwargs=lambda w: {"token": _token(w)},
        expect=dict.fromkeys((*EVERYONE, "anonymous"), 200),
        public=True,
        note="one click from the letter, no login",
    ),
    Row(
        "diary:unsubscribe",
        kwargs=lambda w: {"token": "forged"},
        expect=dict.fromkeys((*EVERYONE, "anonymous"), 400),
        public=True,
    ),
]
