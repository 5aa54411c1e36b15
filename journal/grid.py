"""The journal grid as a precomputed matrix: a fixed number of queries whatever the
size of the class and the period, and cells rendered as plain HTML strings (the
same renderers answer the htmx request of a single cell).

Columns: per lesson an attendance sub-column and one sub-column per graded work
(an empty "virtual" one when the lesson has none yet, so a mark can be typed in).
Rows: the pupils enrolled in the class (and group) at any time of the period; a
cell outside a pupil's enrollment is greyed and not editable.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import rules
from .averages import suggested_mark, weighted_average
from .models import Attendance, Enrollment, Lesson, Mark, PeriodMark, StudyPeriod
from .models.dated import covers
from .services.period_marks import allowed_values, in_window, window, year_mark_suggestion

ATT_DISPLAY = dict(Attendance.Code.choices)


# --- cells -----------------------------------------------------------------------------


def _cell(text, *, version=0, classes=(), title="", extra=""):
    cls = " ".join(c for c in classes if c)
    return format_html(
        '<td data-v="{}"{}{}{}>{}</td>',
        version,
        mark_safe(f' class="{cls}"') if cls else "",
        format_html(' title="{}"', title) if title else "",
        mark_safe(extra),
        text,
    )


def off_cell(title=""):
    return format_html('<td class="off"{}></td>', format_html(' title="{}"', title) if title else "")


def attendance_cell(code=None, version=0, late=False, state=""):
    return _cell(
        ATT_DISPLAY.get(code, "") if code else "",
        version=version,
        classes=("late" if late else "", state),
        title=_("Внесено с опозданием") if late else "",
    )


def mark_cell(value=None, version=0, late=False, state="", slot=None):
    return _cell(
        value or "",
        version=version,
        classes=("late" if late else "", state),
        title=_("Выставлена с опозданием") if late else "",
        extra=f' data-s="{int(slot)}"' if slot else "",
    )


def period_mark_cell(value=None, version=0, state=""):
    return _cell(value or "", version=version, classes=("pm", state))


def error_cell(message, *, code, text="", version=0):
    """A rule refused the entry: the cell keeps its old content and carries the message."""
    return format_html(
        '<td data-v="{}" class="err" data-code="{}" data-msg="{}" title="{}">{}</td>',
        version,
        code,
        message,
        message,
        text,
    )


def conflict_cell(*, theirs, version, mine, message):
    """Someone else changed the cell: show their value and let the teacher choose."""
    return format_html(
        '<td data-v="{}" class="conflict" data-theirs="{}" data-mine="{}" data-code="conflict" data-msg="{}" '
        'title="{}"><span class="val">{}</span><span class="cf">'
        '<button type="button" data-act="keep" title="{}">✓ {}</button>'
        '<button type="button" data-act="mine" title="{}">✎ {}</button></span></td>',
        version,
        theirs or "",
        mine or "",
        message,
        message,
        theirs or "",
        _("Оставить значение коллеги"),
        theirs or "—",
        _("Записать моё значение"),
        mine or "—",
    )


# --- the matrix ------------------------------------------------------------------------


@dataclass
class Slot:
    kind: str  # "a" attendance, "m" mark
    lesson: object
    assessment_id: int | None = None
    label: str = ""
    title: str = ""


@dataclass
class LessonColumn:
    lesson: object
    slots: list


@dataclass
class PupilRow:
    pupil: object
    ranges: list
    note: str = ""
    cells: str = ""
    average: Decimal | None = None
    count: int = 0
    suggested: object = None
    panel: list = field(default_factory=list)


def _enrolled(ranges, day):
    return any(covers(s, e, day) for s, e in ranges)


def pupils_of(assignment, start, end):
    """Pupils of the class (and group) in the journal at any day of [start, end], with the
    ranges of their stay (for a group's journal: enrollment and dated membership both). One query."""
    qs = (
        Enrollment.objects.of_journal(assignment, start, end)
        .overlapping(start, end)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pupil__patronymic", "pupil_id", "stay_start")
    )
    rows: dict = {}
    moved_in, moved_out = {}, {}  # pupil → whether the first / last range's bound is the group's
    for e in qs:
        row = rows.get(e.pupil_id)
        if row is None:
            row = rows[e.pupil_id] = PupilRow(pupil=e.pupil, ranges=[])
            moved_in[e.pupil_id] = e.stay_start != e.start
        row.ranges.append((e.stay_start, e.stay_end))
        moved_out[e.pupil_id] = e.stay_end != e.end
    for pid, row in rows.items():
        first, last = row.ranges[0][0], row.ranges[-1][1]
        notes = []
        if first > start:
            template = _("в группе с %(date)s") if moved_in[pid] else _("прибыл %(date)s")
            notes.append(template % {"date": f"{first:%d.%m}"})
        if last is not None and last < end:
            template = _("в группе по %(date)s") if moved_out[pid] else _("выбыл %(date)s")
            notes.append(template % {"date": f"{last:%d.%m}"})
        row.note = ", ".join(notes)
    return list(rows.values())


def lesson_columns(assignment, start, end, with_marks=True):
    """Lessons of the journal in [start, end] with their graded works: one query (LEFT JOIN)."""
    rows = (
        Lesson.objects.filter(assignment=assignment, date__gte=start, date__lte=end)
        .exclude(status=Lesson.Status.CANCELLED)
        .order_by("date", "bell__number", "id", "assessments__position", "assessments__id")
        .values(
            "id",
            "date",
            "topic",
            "topic_late",
            "version",
            "bell__number",
            "assessments__id",
            "assessments__weight",
            "assessments__description",
            "assessments__work_type__name",
            "assessments__work_type__code",
        )
    )
    columns: list[LessonColumn] = []
    by_id = {}
    att_label, att_title = pgettext("attendance column", "п"), _("Посещаемость")
    for r in rows:
        col = by_id.get(r["id"])
        if col is None:
            lesson = _LessonView(r["id"], r["date"], r["topic"], r["topic_late"], r["version"], r["bell__number"])
            col = by_id[r["id"]] = LessonColumn(
                lesson=lesson, slots=[Slot("a", lesson, label=att_label, title=att_title)]
            )
            columns.append(col)
        if with_marks and r["assessments__id"]:
            name = r["assessments__work_type__name"]
            weight = r["assessments__weight"]
            col.slots.append(
                Slot(
                    "m",
                    col.lesson,
                    assessment_id=r["assessments__id"],
                    label=_abbrev(name),
                    title=_("%(work_type)s, вес %(weight)s") % {"work_type": name, "weight": f"{weight:g}"}
                    + (f": {r['assessments__description']}" if r["assessments__description"] else ""),
                )
            )
        col.lesson.weights[r["assessments__id"]] = r["assessments__weight"]
    if with_marks:
        default_title = _("Отметка (вид работы — по умолчанию)")
        for col in columns:
            if len(col.slots) == 1:
                col.slots.append(Slot("m", col.lesson, label="", title=default_title))
    return columns


def _abbrev(name):
    words = name.split()
    return (words[0][:4] if len(words) == 1 else "".join(w[0] for w in words[:3])).lower()


class _LessonView:
    """The few lesson fields the grid shows (values(), not model instances)."""

    __slots__ = ("pk", "date", "topic", "topic_late", "version", "bell_number", "weights")

    def __init__(self, pk, date, topic, topic_late, version, bell_number):
        self.pk, self.date, self.topic, self.topic_late = pk, date, topic, topic_late
        self.version, self.bell_number = version, bell_number
        self.weights = {}


@dataclass
class PanelColumn:
    key: str  # "avg", "count", "suggested", "pm:<kind>:<period>" ...
    label: str
    title: str = ""
    kind: str = ""
    period: object = None
    editable: bool = False


class Grid:
    """Everything the grid template needs, built with a fixed number of queries."""

    def __init__(self, assignment, period, periods, *, can_write, can_set_period_marks, now=None):
        self.assignment = assignment
        self.period = period
        self.periods = periods
        klass = assignment.school_class
        self.school = school = klass.year.school
        self.can_write = can_write
        self.marks_allowed = rules.marks_allowed(klass, school)
        self.columns = lesson_columns(assignment, period.start, period.end, with_marks=self.marks_allowed)
        self.slots = [s for c in self.columns for s in c.slots]
        self.rows = pupils_of(assignment, period.start, period.end)
        self.min_marks = school.min_marks
        self.is_year = period.scheme == StudyPeriod.Scheme.YEAR
        self.pm_open = in_window(period, now)
        self.pm_window = window(period)
        # Exams of grades 9 and 11 are in June: their marks stay open after the year marks close.
        self.exam_window = None
        self.exam_open = False
        if self.is_year and klass.grade in (9, 11):
            self.exam_window = window(period, PeriodMark.Kind.EXAM, klass.year)
            self.exam_open = in_window(period, now, PeriodMark.Kind.EXAM, klass.year)
        self.can_set_period_marks = can_set_period_marks and self.marks_allowed and (self.pm_open or self.exam_open)
        self.pm_values = allowed_values(assignment.subject, school) if self.marks_allowed else []
        self._fill(now)

    def _panel_columns(self):
        cols = [
            PanelColumn("avg", _("Ср."), _("Средневзвешенная отметка за период")),
            PanelColumn(
                "count", _("Отм."), _("Количество отметок (нужно не меньше %(min)s)") % {"min": self.min_marks}
            ),
            PanelColumn("suggested", _("Реком."), _("Рекомендуемая отметка (границы 2,5 / 3,5 / 4,5)")),
        ]
        if not self.is_year:
            cols.append(
                PanelColumn(
                    f"pm:period:{self.period.pk}",
                    pgettext("period mark", "Итог"),
                    _("Отметка за период"),
                    "period",
                    self.period,
                    True,
                )
            )
            return cols
        for p in self.periods:
            if p.scheme != StudyPeriod.Scheme.YEAR:
                cols.append(PanelColumn(f"pm:period:{p.pk}", str(p.number), str(p), "period", p, False))
        cols.append(PanelColumn("yearsugg", _("Реком. год"), _("Рекомендуемая годовая по отметкам за периоды")))
        cols.append(PanelColumn(f"pm:year:{self.period.pk}", _("Год"), _("Годовая отметка"), "year", self.period, True))
        if self.assignment.school_class.grade in (9, 11):
            cols.append(
                PanelColumn(f"pm:exam:{self.period.pk}", _("Экз."), _("Экзаменационная"), "exam", self.period, True)
            )
            cols.append(
                PanelColumn(f"pm:final:{self.period.pk}", _("Итог."), _("Итоговая"), "final", self.period, True)
            )
        return cols

    def _fill(self, now):
        lesson_ids = [c.lesson.pk for c in self.columns]
        pupil_ids = [r.pupil.pk for r in self.rows]
        att = {
            (lid, pid): (code, v, late)
            for lid, pid, code, v, late in Attendance.objects.filter(lesson_id__in=lesson_ids).values_list(
                "lesson_id", "pupil_id", "code", "version", "is_late"
            )
        }
        marks = {}
        by_pupil = defaultdict(list)
        if self.marks_allowed:
            weights = {aid: w for c in self.columns for aid, w in c.lesson.weights.items() if aid}
            for aid, pid, value, v, late in Mark.objects.filter(assessment__lesson_id__in=lesson_ids).values_list(
                "assessment_id", "pupil_id", "value", "version", "is_late"
            ):
                marks[(aid, pid)] = (value, v, late)
                by_pupil[pid].append((value, weights.get(aid, Decimal(1))))
        self.panel_columns = self._panel_columns() if self.marks_allowed else []
        pm_periods = {c.period.pk for c in self.panel_columns if c.period is not None}
        pms = {}
        if pm_periods:
            for pid, kind, period_id, value, v in PeriodMark.objects.filter(
                subject_id=self.assignment.subject_id, period_id__in=pm_periods, pupil_id__in=pupil_ids
            ).values_list("pupil_id", "kind", "period_id", "value", "version"):
                pms[(pid, kind, period_id)] = (value, v)

        # Reading, not writing, decides nothing here: every cell is rendered the same way
        # and the script keeps read-only tables read-only.
        off_title = _("Не числится в классе на дату урока")
        few_title = format_html(' title="{}"', _("Мало отметок: нужно не меньше %(min)s") % {"min": self.min_marks})
        for row in self.rows:
            pid = row.pupil.pk
            parts = []
            for slot in self.slots:
                day = slot.lesson.date
                if not _enrolled(row.ranges, day):
                    parts.append(off_cell(off_title))
                elif slot.kind == "a":
                    code, v, late = att.get((slot.lesson.pk, pid), (None, 0, False))
                    parts.append(attendance_cell(code, v, late))
                else:
                    value, v, late = marks.get((slot.assessment_id, pid), (None, 0, False))
                    parts.append(mark_cell(value, v, late))
            marks_of = by_pupil.get(pid, [])
            row.count = len(marks_of)
            row.average = weighted_average(marks_of)
            row.suggested = suggested_mark(row.average)
            panel = []
            for col in self.panel_columns:
                if col.key == "avg":
                    panel.append(format_html('<td class="stat">{}</td>', _fmt_avg(row.average)))
                elif col.key == "count":
                    few = row.count < self.min_marks
                    panel.append(
                        format_html(
                            '<td class="stat{}"{}>{}</td>',
                            " few" if few else "",
                            few_title if few else "",
                            row.count,
                        )
                    )
                elif col.key == "suggested":
                    panel.append(format_html('<td class="stat">{}</td>', row.suggested or ""))
                elif col.key == "yearsugg":
                    values = [
                        pms.get((pid, "period", c.period.pk), ("", 0))[0]
                        for c in self.panel_columns
                        if c.kind == "period"
                    ]
                    panel.append(format_html('<td class="stat">{}</td>', year_mark_suggestion(values) or ""))
                else:
                    value, v = pms.get((pid, col.kind, col.period.pk), (None, 0))
                    if col.editable:
                        panel.append(period_mark_cell(value, v))
                    else:
                        panel.append(format_html('<td class="stat pmro">{}</td>', value or ""))
            row.cells = mark_safe("".join(parts))
            row.panel = mark_safe("".join(panel))


def _fmt_avg(avg):
    return "" if avg is None else f"{avg:.2f}".replace(".", ",")


def slot_headers(slots):
    """The header row the script reads: what each column is."""
    out = []
    for s in slots:
        if s.kind == "a":
            out.append(
                format_html('<th class="sa" data-k="a" data-l="{}" title="{}">{}</th>', s.lesson.pk, s.title, s.label)
            )
        else:
            out.append(
                format_html(
                    '<th class="sm" data-k="m" data-l="{}" data-s="{}" title="{}">{}</th>',
                    s.lesson.pk,
                    s.assessment_id or "",
                    s.title,
                    s.label,
                )
            )
    return mark_safe("".join(out))


__all__ = [
    "Grid",
    "attendance_cell",
    "conflict_cell",
    "error_cell",
    "mark_cell",
    "off_cell",
    "period_mark_cell",
    "pupils_of",
    "slot_headers",
]
