"""Access rows for «Настройка школы» (issue 15 point 5): the administrator's pages for the
years, periods, holidays, bells, rooms, subjects, classes, curriculum and loads. The
administrator of the school opens them; every other role is told no (403, also for another
school's objects: the page is the administrator's before it is the object's); another
school's objects are 404 for the administrator."""

from . import Row

ADMIN = {"admin": 200}
THERE = {"admin": 404}


def _room(school):
    from journal.models import Room

    return Room.objects.get_or_create(school=school, number="301")[0]


def _line(klass):
    from journal.models import CurriculumLine, TeachingAssignment

    subject = TeachingAssignment.objects.filter(school_class=klass).first().subject
    return CurriculumLine.objects.get_or_create(
        school_class=klass, subject=subject, defaults={"hours_per_week": 4, "hours_per_year": 136}
    )[0]


def _bell(w, foreign=False):
    return (w.foreign_lesson if foreign else w.lessons[0]).bell


OBJECTS = {
    # URL name stem: (here, there)
    "year": (lambda w: w.year, lambda w: w.foreign_class.year),
    "period": (lambda w: w.year.periods.order_by("pk").first(), lambda w: w.foreign_class.year.periods.first()),
    "holidays": (lambda w: w.year.holidays.order_by("pk").first(), lambda w: w.foreign_class.year.holidays.first()),
    "bell": (lambda w: _bell(w), lambda w: _bell(w, foreign=True)),
    "room": (lambda w: _room(w.school), lambda w: _room(w.foreign_school)),
    "subject": (lambda w: w.subject, lambda w: w.foreign_assignment.subject),
    "class": (lambda w: w.klass, lambda w: w.foreign_class),
    "curriculum": (lambda w: _line(w.klass), lambda w: _line(w.foreign_class)),
    "load": (lambda w: w.assignment, lambda w: w.foreign_assignment),
}
# URL names with an object in the path, by the object they take.
PAGES = {
    "year": ["setup_year", "setup_year_change", "setup_year_delete", "setup_period_add", "setup_holidays_add",
             "setup_class_add"],
    "period": ["setup_period_change", "setup_period_delete"],
    "holidays": ["setup_holidays_change", "setup_holidays_delete"],
    "bell": ["setup_bell_change", "setup_bell_delete"],
    "room": ["setup_room_change", "setup_room_delete"],
    "subject": ["setup_subject_change", "setup_subject_delete"],
    "class": ["setup_class", "setup_class_change", "setup_class_delete", "setup_curriculum_add", "setup_load_add"],
    "curriculum": ["setup_curriculum_change", "setup_curriculum_delete"],
    "load": ["setup_load_change", "setup_load_end", "setup_load_resume"],
}  # fmt: skip


def _object_rows():
    rows = []
    for kind, names in PAGES.items():
        here, there = OBJECTS[kind]
        for name in names:
            rows.append(
                Row(f"journal:{name}", kwargs=lambda w, f=here: {"pk": f(w).pk}, expect=ADMIN, default=403, note=kind)
            )
            rows.append(
                Row(
                    f"journal:{name}",
                    kwargs=lambda w, f=there: {"pk": f(w).pk},
                    expect=THERE,
                    default=403,
                    note=f"another school's {kind}",
                )
            )
    return rows


def _post(name, data, status, kwargs=None, note=""):
    return Row(
        f"journal:{name}", method="POST", kwargs=kwargs, data=data, expect={"admin": status}, default=403, note=note
    )


_pk = lambda f: lambda w: {"pk": f(w).pk}  # noqa: E731

ROWS = [
    Row("journal:setup", expect=ADMIN, default=403),
    Row("journal:setup_bells", expect=ADMIN, default=403),
    Row("journal:setup_bell_add", expect=ADMIN, default=403),
    Row("journal:setup_rooms", expect=ADMIN, default=403),
    Row("journal:setup_room_add", expect=ADMIN, default=403),
    Row("journal:setup_subjects", expect=ADMIN, default=403),
    Row("journal:setup_subject_add", expect=ADMIN, default=403),
    Row("journal:setup_year_add", expect=ADMIN, default=403),
    *_object_rows(),
    # writes: a refusal shows the form again (422); a valid one goes on (302)
    _post("setup_year_add", lambda w: {"name": "2026/2027", "start": "2026-09-01", "end": "2027-05-31"}, 422,
          note="the year exists: refused"),
    _post("setup_year_add", lambda w: {"name": "2027/2028", "start": "2027-09-01", "end": "2028-05-31"}, 302),
    _post("setup_year_change", lambda w: {"name": "2026/2027", "start": "2026-10-01", "end": "2027-05-31"}, 422,
          kwargs=_pk(OBJECTS["year"][0]), note="the first quarter would fall outside"),
    _post("setup_year_delete", lambda w: {}, 422, kwargs=_pk(OBJECTS["year"][0]), note="it has classes"),
    _post("setup_period_add", lambda w: {"scheme": "quarter", "number": 2, "start": "2026-11-05", "end": "2026-12-28"},
          422, kwargs=_pk(OBJECTS["year"][0]), note="the 2nd quarter exists"),
    _post("setup_period_change", lambda w: {"number": 1, "start": "2026-08-01", "end": "2026-10-24"}, 422,
          kwargs=_pk(OBJECTS["period"][0]), note="before the year"),
    _post("setup_period_delete", lambda w: {}, 302, kwargs=_pk(lambda w: w.year.periods.get(scheme="half", number=2)),
          note="a period without marks"),
    _post("setup_holidays_add", lambda w: {"name": "Доп.", "start": "2027-02-16", "end": "2027-02-22", "grades": "1"},
          302, kwargs=_pk(OBJECTS["year"][0])),
    _post("setup_holidays_change", lambda w: {"name": "Осенние", "start": "2026-10-25", "end": "2026-08-01"}, 422,
          kwargs=_pk(OBJECTS["holidays"][0]), note="reversed dates"),
    _post("setup_holidays_delete", lambda w: {}, 302, kwargs=_pk(OBJECTS["holidays"][0])),
    _post("setup_class_add", lambda w: {"grade": 5, "letter": "А", "period_scheme": "quarter"}, 422,
          kwargs=_pk(OBJECTS["year"][0]), note="5А exists"),
    _post("setup_class_add", lambda w: {"grade": 6, "letter": "А", "period_scheme": "quarter"}, 302,
          kwargs=_pk(OBJECTS["year"][0])),
    _post("setup_class_change", lambda w: {"grade": 5, "letter": "Б", "period_scheme": "quarter"}, 422,
          kwargs=_pk(OBJECTS["class"][0]), note="5Б exists"),
    _post("setup_class_delete", lambda w: {}, 422, kwargs=_pk(OBJECTS["class"][0]), note="it has pupils"),
    _post("setup_bell_add", lambda w: {"number": 1, "starts": "08:00", "ends": "08:45"}, 422, note="bell 1 exists"),
    _post("setup_bell_change", lambda w: {"number": 1, "starts": "09:00", "ends": "08:00"}, 422,
          kwargs=_pk(OBJECTS["bell"][0]), note="ends before it starts"),
    _post("setup_bell_delete", lambda w: {}, 422, kwargs=_pk(OBJECTS["bell"][0]), note="lessons on it"),
    _post("setup_room_add", lambda w: {"number": "404", "name": "Информатика"}, 302),
    _post("setup_room_change", lambda w: {"number": "", "name": ""}, 422, kwargs=_pk(OBJECTS["room"][0])),
    _post("setup_room_delete", lambda w: {}, 302, kwargs=_pk(OBJECTS["room"][0])),
    _post("setup_subject_add", lambda w: {"name": w.subject.name, "order": 1, "assessment": "numeric"}, 422,
          note="a duplicate"),
    _post("setup_subject_change", lambda w: {"name": "Алгебра", "order": 1, "assessment": "numeric"}, 302,
          kwargs=_pk(OBJECTS["subject"][0])),
    _post("setup_subject_delete", lambda w: {}, 422, kwargs=_pk(OBJECTS["subject"][0]), note="in the loads"),
    _post("setup_curriculum_add", lambda w: {"subject": w.subject.pk, "hours_per_week": "0"}, 422,
          kwargs=_pk(OBJECTS["class"][0]), note="hours not positive"),
    _post("setup_curriculum_change", lambda w: {"hours_per_week": "5"}, 302, kwargs=_pk(OBJECTS["curriculum"][0])),
    _post("setup_curriculum_delete", lambda w: {}, 422, kwargs=_pk(OBJECTS["curriculum"][0]), note="a load on it"),
    _post("setup_load_add", lambda w: {"subject": w.subject.pk, "staff_member": w.teacher.pk}, 422,
          kwargs=_pk(OBJECTS["class"][0]), note="the load exists"),
    _post("setup_load_change", lambda w: {"staff_member": w.teacher.pk}, 422, kwargs=_pk(OBJECTS["load"][0]),
          note="the same teacher"),
    _post("setup_load_end", lambda w: {}, 302, kwargs=_pk(OBJECTS["load"][0])),
    _post("setup_load_resume", lambda w: {}, 422, kwargs=_pk(OBJECTS["load"][0]), note="already active"),
    _post("setup_load_end", lambda w: {}, 404, kwargs=_pk(OBJECTS["load"][1]), note="another school's load"),
]  # fmt: skip
