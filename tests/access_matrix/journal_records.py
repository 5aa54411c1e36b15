"""Access rows for the journal's records procedures (issue 4) and people pages (issue 3):
thematic plans, corrections, substitutions, absence reasons, outages and the temporary
journal; the class's people and the pupil's card."""

from journal.models import StudyPeriod

from . import Row

STAFF = ("teacher", "class_teacher", "deputy", "director", "admin")
JOURNAL_READERS = {"teacher": 200, "class_teacher": 200, "deputy": 200, "director": 200}
SCHOOL_WIDE = {"deputy": 200, "director": 200}
DAY = "2026-11-09"


def _item(w):
    from journal.services import plans

    return plans.add_item(w.teacher, assignment_id=w.assignment.pk, topic="Натуральные числа", hours=2)


def _correction(w):
    from journal.services import corrections

    lesson = w.lessons[0]
    return corrections.create_lesson_request(
        w.teacher,
        lesson_id=lesson.pk,
        changes=[{"kind": "attendance", "pupil_id": w.pupil.pk, "new_value": "н"}],
        reasons="Пропуск не отмечен по ошибке: ученица отсутствовала весь день.",
    )


def _substitution(w):
    from tests import factories as F

    return F.SubstitutionFactory(lesson=w.lessons[2], substitute=w.class_teacher, assigned_by=w.deputy)


def _outage(w, school=None):
    from tests import factories as F

    return F.OutageFactory(school=school or w.school, created_by=w.deputy if school is None else w.outsider)


def _q1(w):
    return StudyPeriod.objects.get(year=w.year, scheme="quarter", number=1).pk


ROWS = [
    # people (issue 3)
    Row(
        "journal:class_people",
        kwargs=lambda w: {"pk": w.klass.pk},
        # the administrator keeps the school's contingent (issue 15)
        expect={"class_teacher": 200, "teacher": 200, **SCHOOL_WIDE, "admin": 200},
    ),
    Row("journal:class_people", kwargs=lambda w: {"pk": w.foreign_class.pk}, expect={"outsider": 200}),
    Row(
        "journal:pupil_card",
        kwargs=lambda w: {"pk": w.pupil.pk},
        expect={"class_teacher": 200, "teacher": 200, **SCHOOL_WIDE, "parent": 200, "pupil": 200},
    ),
    Row("journal:pupil_card", kwargs=lambda w: {"pk": w.foreign_pupil.pk}, expect={"outsider": 200}),
    # thematic plan
    Row("journal:plan", kwargs=lambda w: {"pk": w.assignment.pk}, expect=JOURNAL_READERS),
    Row("journal:plan", kwargs=lambda w: {"pk": w.foreign_assignment.pk}, expect={"outsider": 200}),
    Row(
        "journal:plan_import",
        kwargs=lambda w: {"pk": w.assignment.pk},
        expect={"teacher": 200},
    ),
    Row(
        "journal:plan_import_confirm",
        method="POST",
        kwargs=lambda w: {"pk": w.assignment.pk},
        expect={"teacher": 302},
    ),
    Row(
        "journal:plan_fill",
        method="POST",
        kwargs=lambda w: {"pk": w.assignment.pk},
        expect={"teacher": 302},
    ),
    Row(
        "journal:plan_item_edit",
        method="POST",
        kwargs=lambda w: {"pk": _item(w).pk},
        data=lambda w: {"topic": "Дроби", "hours": "3", "work_type": ""},
        expect={"teacher": 302},
    ),
    Row(
        "journal:plan_item_move",
        method="POST",
        kwargs=lambda w: {"pk": _item(w).pk},
        data=lambda w: {"direction": "up"},
        expect={"teacher": 302},
    ),
    Row(
        "journal:plan_item_delete",
        method="POST",
        kwargs=lambda w: {"pk": _item(w).pk},
        expect={"teacher": 302},
    ),
    # corrections (объяснительные)
    Row(
        "journal:corrections",
        expect={"teacher": 200, "class_teacher": 200, **SCHOOL_WIDE, "outsider": 200},
        default=403,
    ),
    Row("journal:correction", kwargs=lambda w: {"pk": _correction(w).pk}, expect={"teacher": 200, **SCHOOL_WIDE}),
    Row("journal:correction_pdf", kwargs=lambda w: {"pk": _correction(w).pk}, expect={"teacher": 200, **SCHOOL_WIDE}),
    Row(
        "journal:correction_approve",
        method="POST",
        kwargs=lambda w: {"pk": _correction(w).pk},
        expect={"deputy": 302},
    ),
    Row(
        "journal:correction_reject",
        method="POST",
        kwargs=lambda w: {"pk": _correction(w).pk},
        data=lambda w: {"comment": "Нет оснований"},
        expect={"deputy": 302},
    ),
    Row(
        "journal:correction_lesson_new",
        kwargs=lambda w: {"pk": w.lessons[0].pk},
        expect={"teacher": 200},
    ),
    Row("journal:correction_lesson_new", kwargs=lambda w: {"pk": w.foreign_lesson.pk}, expect={}),
    Row(
        "journal:correction_period_new",
        kwargs=lambda w: {"pk": w.assignment.pk, "period": _q1(w)},
        expect={"teacher": 200, "class_teacher": 200},
    ),
    Row(
        "journal:lesson_unlock",
        method="POST",
        kwargs=lambda w: {"pk": w.lessons[0].pk},
        data=lambda w: {"hours": "24", "reason": "Больничный учителя"},
        expect={"deputy": 302},
    ),
    # substitutions
    Row(
        "journal:substitutions",
        expect={"teacher": 200, "class_teacher": 200, **SCHOOL_WIDE, "outsider": 200},
        default=403,
    ),
    Row("journal:substitution_new", expect={"deputy": 200, "outsider": 200}, default=403),
    Row(
        "journal:substitution_revoke",
        method="POST",
        kwargs=lambda w: {"pk": _substitution(w).pk},
        expect={"deputy": 302},
    ),
    # absence reasons
    Row("journal:absence_reasons", kwargs=lambda w: {"pk": w.klass.pk}, expect={"class_teacher": 200, **SCHOOL_WIDE}),
    Row("journal:absence_reasons", kwargs=lambda w: {"pk": w.foreign_class.pk}, expect={"outsider": 200}),
    # outages and the temporary journal
    Row("journal:outages", expect={s: 200 for s in STAFF} | {"outsider": 200}, default=403),
    Row("journal:outage", kwargs=lambda w: {"pk": _outage(w).pk}, expect={s: 200 for s in STAFF}),
    Row("journal:outage", kwargs=lambda w: {"pk": _outage(w, w.foreign_school).pk}, expect={"outsider": 200}),
    Row(
        "journal:outage_close",
        method="POST",
        kwargs=lambda w: {"pk": _outage(w).pk},
        expect={"deputy": 302, "admin": 302},
    ),
    # Whoever kept a temporary journal on paper brings it in: a teacher or the deputy.
    Row("journal:temp_import", kwargs=lambda w: {"pk": _outage(w).pk}, expect={"teacher": 200, "deputy": 200}),
    Row(
        "journal:temp_import_confirm",
        method="POST",
        kwargs=lambda w: {"pk": _outage(w).pk},
        expect={"teacher": 302, "deputy": 302},
    ),
    Row("journal:day_blank_pdf", kwargs=lambda w: {"pk": w.klass.pk, "day": DAY}, expect=JOURNAL_READERS),
    Row("journal:day_blank_xlsx", kwargs=lambda w: {"pk": w.klass.pk, "day": DAY}, expect=JOURNAL_READERS),
    Row("journal:day_blank_xlsx", kwargs=lambda w: {"pk": w.foreign_class.pk, "day": DAY}, expect={"outsider": 200}),
]
