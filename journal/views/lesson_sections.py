"""What the lesson page's sections show, one builder per section, so that an htmx answer
computes only the section it swaps (journal/views/lesson.py).

Sections: the head (deadlines, docs/DESIGN.md §3.2, §3.4), the topic (with the КТП's
next row), attendance and pupils' notes, graded works and marks, homework.
"""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal import params, prepared

from .. import rules
from ..forms import HomeworkForm, TopicForm
from ..grid import mark_cell, pupils_of, slot_headers
from ..models import (
    Assessment,
    Attendance,
    AttendanceRoll,
    Homework,
    IndividualHomework,
    LessonComment,
    Mark,
    WorkType,
)
from ..services.lessons import homework_deadline
from ..services.plans import next_plan_item

CODES = set(Attendance.Code.values)


# The one vocabulary of attendance (docs/DESIGN.md §3.18): the select's options.
ATTENDANCE_OPTIONS = [
    ("", gettext_lazy("присутствует")),
    (Attendance.Code.ABSENT.value, gettext_lazy("Н — отсутствует")),
    (Attendance.Code.ILL.value, gettext_lazy("Б — болеет")),
    (Attendance.Code.EXCUSED.value, gettext_lazy("УП — уважительная причина")),
    (Attendance.Code.UNEXCUSED.value, gettext_lazy("НП — неуважительная причина")),
    (Attendance.Code.LATE.value, gettext_lazy("ОП — опоздание")),
]


def school_of(lesson):
    return lesson.assignment.school_class.year.school


class Slot:
    """A mark column of the marks table (the grid's header contract, journal/grid.py)."""

    kind = "m"

    def __init__(self, lesson, assessment=None):
        self.lesson = lesson
        self.assessment_id = assessment.pk if assessment else None
        if assessment:
            self.label = assessment.work_type.name
            self.title = _("%(work_type)s, вес %(weight)s") % {
                "work_type": assessment.work_type.name,
                "weight": f"{assessment.weight:g}".replace(".", ","),
            }
        else:
            self.label, self.title = _("Отметка"), _("Отметка (вид работы — по умолчанию)")


def head(lesson, now=None):
    """The deadlines, shown before the teacher types (docs/DESIGN.md §3.2, §3.4)."""
    now = now or timezone.now()
    school = school_of(lesson)
    deadline = rules.entry_deadline(lesson, school)
    lock = rules.lock_moment(lesson, school)
    return {
        "entry_deadline": deadline,
        "past_cutoff": now > deadline,
        "future": rules.is_future(lesson, now),
        "last_open_day": (timezone.localtime(lock) - timedelta(days=1)).date(),
        "locked": rules.is_locked(lesson, school, now),
        "unlocked_until": lesson.unlocked_until if lesson.unlocked_until and lesson.unlocked_until > now else None,
    }


def topic(lesson, can_write, form=None):
    plan_item = next_plan_item(lesson) if can_write else None
    if plan_item is not None and plan_item.topic == lesson.topic:
        plan_item = None
    return {
        "topic_form": form or TopicForm(initial={"topic": lesson.topic, "version": lesson.version}),
        "plan_item": plan_item,
    }


def homework(lesson, form=None, records=None):
    school = school_of(lesson)
    hw = records.general_homework if records is not None else Homework.objects.filter(lesson=lesson).first()
    return {
        "homework": hw,
        "homework_allowed": rules.homework_allowed(lesson.assignment.school_class, school),
        "homework_deadline": homework_deadline(lesson, school),
        "homework_form": form or HomeworkForm(initial={"text": hw.text if hw else ""}),
    }


def roster(lesson):
    """The pupils on the lesson's day, in journal order (one query), shared by the tables."""
    return [row.pupil for row in pupils_of(lesson.assignment, lesson.date, lesson.date)]


class Records:
    """The lesson's attendance, comments, individual homework, marks, general homework and
    whether the roll was taken, read in one query: UNION ALL of five same-shaped selects, written as SQL (the page's
    hottest read; the ORM spent longer building the union than PostgreSQL running it)."""

    _t = {
        m.__name__: m._meta.db_table
        for m in (Attendance, LessonComment, IndividualHomework, Mark, Assessment, Homework, AttendanceRoll)
    }
    SQL = (
        f"SELECT 'a', pupil_id, code, version, is_late, 0 FROM {_t['Attendance']} WHERE lesson_id = %(l)s"
        f" UNION ALL SELECT 'c', pupil_id, text, 0, false, 0 FROM {_t['LessonComment']} WHERE lesson_id = %(l)s"
        f" UNION ALL SELECT 'h', pupil_id, text, 0, false, 0 FROM {_t['IndividualHomework']} WHERE lesson_id = %(l)s"
        " UNION ALL SELECT 'm', m.pupil_id, m.value, m.version, m.is_late, m.assessment_id"
        f" FROM {_t['Mark']} m JOIN {_t['Assessment']} w ON w.id = m.assessment_id WHERE w.lesson_id = %(l)s"
        f" UNION ALL SELECT 'H', 0, text, id, is_late, 0 FROM {_t['Homework']} WHERE lesson_id = %(l)s"
        f" UNION ALL SELECT 'R', 0, '', 0, false, 0 FROM {_t['AttendanceRoll']} WHERE lesson_id = %(l)s"
    )

    def __init__(self, lesson):
        self.att, self.comments, self.homework, self.marks = {}, {}, {}, {}
        self.general_homework = None
        self.roll = False  # the teacher took the roll (AttendanceRoll), absences or not
        with connection.cursor() as cur:
            cur.execute(self.SQL, {"l": lesson.pk})
            rows = cur.fetchall()
        for kind, pupil, text, version, late, work in rows:
            if kind == "a":
                self.att[pupil] = (text, version)
            elif kind == "c":
                self.comments[pupil] = text
            elif kind == "h":
                self.homework[pupil] = text
            elif kind == "m":
                self.marks[(work, pupil)] = (text, version, late)
            elif kind == "R":
                self.roll = True
            else:
                self.general_homework = Homework(pk=version, lesson=lesson, text=text, is_late=late)


def _options(code):
    """The select's options with `code` selected (escaped once per request and code)."""
    return "".join(
        '<option value="{}"{}>{}</option>'.format(value, " selected" if value == code else "", escape(label))
        for value, label in ATTENDANCE_OPTIONS
    )


def attendance_cell(pid, code, version, *, can_write, conflict=False, oob=False, options=None):
    """The attendance cell of a pupil's row: a select posted with the column (att-form).
    `pid` and `version` are integers; `options`: a cache {code: options HTML}."""
    pid, version = int(pid), int(version)
    if code and code not in CODES:
        code = ""
    if can_write:
        opts = options.get(code) if options is not None else None
        if opts is None:
            opts = _options(code)
            if options is not None:
                options[code] = opts
        inner = (
            f'<select name="att_{pid}" form="att-form" aria-labelledby="h-att p-{pid}">{opts}</select>'
            f'<input type="hidden" name="v_{pid}" id="v-{pid}" value="{version}" form="att-form">'
        )
    else:
        inner = escape(next((label for value, label in ATTENDANCE_OPTIONS if value == code), ""))
    note = ' <span class="cf-note">{}</span>'.format(escape(_("изменено коллегой"))) if conflict else ""
    cls = "att conflict" if conflict else "att"
    swap = ' hx-swap-oob="true"' if oob else ""
    return mark_safe(f'<td class="{cls}" id="att-cell-{pid}"{swap}>{inner}{note}</td>')


def _note_cell(pid, field, text, label, header, can_write, error=""):
    """A comment or individual homework cell; `label` is escaped by the caller."""
    if not can_write:
        return f'<td class="note" data-label="{label}">{escape(text)}</td>'
    if field == "comment":
        return (
            f'<td class="note" data-label="{label}"><input type="text" name="comment_{pid}" value="{escape(text)}" '
            f'maxlength="500" form="notes-form" aria-labelledby="{header} p-{pid}" aria-describedby="note-err-{pid}">'
            f'<span class="errors note-err" id="note-err-{pid}">{escape(error)}</span></td>'
        )
    return (
        f'<td class="note" data-label="{label}"><input type="text" name="{field}_{pid}" value="{escape(text)}" '
        f'form="notes-form" aria-labelledby="{header} p-{pid}"></td>'
    )


def pupils(lesson, can_write, *, people, records, typed_notes=None, notes_errors=None, typed_codes=None, theirs=None):
    """Rows of the attendance and notes table, as HTML. `typed_*`: what the teacher
    sent, shown again when the save was refused; `theirs`: {pupil_id: (code, version)}
    of cells someone else changed meanwhile (shown as saved now)."""
    typed_notes, notes_errors, typed_codes, theirs = (
        typed_notes or {},
        notes_errors or {},
        typed_codes or {},
        theirs or {},
    )
    homework_allowed = rules.homework_allowed(lesson.assignment.school_class, school_of(lesson))
    comment_label, hw_label = escape(_("Комментарий")), escape(_("Индивидуальное задание"))
    options: dict = {}
    rows = []
    for n, pupil in enumerate(people, 1):
        pid = pupil.pk
        code, version = records.att.get(pid, ("", 0))
        conflict = pid in theirs
        if pid in typed_codes and not conflict:
            code = typed_codes[pid]
        typed = typed_notes.get(pid, {})
        error = notes_errors.get(pid, "")
        cells = [
            attendance_cell(pid, code, version, can_write=can_write, conflict=conflict, options=options),
            _note_cell(pid, "comment", typed.get("comment", records.comments.get(pid, "")), comment_label,
                       "h-comment", can_write, error),
        ]  # fmt: skip
        if homework_allowed:
            text = typed.get("homework", records.homework.get(pid, ""))
            cells.append(_note_cell(pid, "homework", text, hw_label, "h-ihw", can_write))
        err = ' class="row-error"' if error else ""
        rows.append(
            f'<tr data-p="{pid}"{err}><td class="num">{n}</td>'
            f'<th scope="row" id="p-{pid}" class="name">{escape(pupil.short_name)}</th>{"".join(cells)}</tr>'
        )
    return {
        "pupil_rows": mark_safe("\n".join(rows)),
        "has_pupils": bool(rows),
        "roll_taken": bool(records.att) or records.roll,
        "homework_allowed": homework_allowed,
    }


def _lesson_works(lesson):
    return Assessment.objects.filter(lesson_id=lesson).select_related("work_type").order_by("position", "pk")


def _work_types(school):
    return WorkType.objects.filter(school_id=school).order_by("order", "name")


def works(lesson, can_write, forms=None, *, people=None, records=None):
    """The graded works with their forms, and the marks table (the grid's cells)."""
    school = school_of(lesson)
    forms = forms or {}
    assessments = prepared.objects("journal.lesson.works", _lesson_works, lesson=lesson.pk)
    marks_allowed = rules.marks_allowed(lesson.assignment.school_class, school)
    work_types = prepared.objects("journal.lesson.work_types", _work_types, school=school.pk) if can_write else []
    items = []
    for a in assessments:
        form = forms.get(f"work_{a.pk}")
        items.append(
            {
                "a": a,
                "form": form,
                "work_type": params.parse_id(form["work_type"].value(), 0) if form else a.work_type_id,
                "weight": form["weight"].value() if form else f"{a.weight:g}".replace(".", ","),
                "description": form["description"].value() if form else a.description,
                "rform": forms.get(f"remove_{a.pk}"),  # a refused removal, shown again
            }
        )
    add_form = forms.get("add")  # a refused addition, shown again; the template needs no unbound form
    ctx = {
        "marks_allowed": marks_allowed,
        "works": items,
        "work_types": work_types,
        "add_form": add_form,
        "add_work_type": params.parse_id(add_form["work_type"].value(), 0) if add_form is not None else None,
    }
    if not marks_allowed:
        return ctx
    records = Records(lesson) if records is None else records
    people = roster(lesson) if people is None else people
    slots = [Slot(lesson, a) for a in assessments] or [Slot(lesson)]
    rows = []
    for n, pupil in enumerate(people, 1):
        pid = pupil.pk
        cells = "".join(mark_cell(*records.marks.get((s.assessment_id, pid), (None, 0, False))) for s in slots)
        code = records.att.get(pid, ("",))[0]
        rows.append(
            format_html(
                '<tr data-p="{}"><th class="name" scope="row">{}. {} <span class="att-badge" id="mk-att-{}">{}</span>'
                "</th>{}</tr>",
                pid,
                n,
                pupil.short_name,
                pid,
                code.upper(),
                mark_safe(cells),
            )  # fmt: skip
        )
    ctx.update({"slot_headers": slot_headers(slots), "mark_rows": mark_safe("\n".join(rows)), "has_pupils": bool(rows)})
    return ctx
