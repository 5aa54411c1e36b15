"""Cells of the journal as plain HTML strings, and the pupils a journal's rows list.

The register page (journal/register.py) and the lesson page draw their cells with these
renderers, and the htmx answer to a single cell's save is the same string, so a saved
cell looks exactly like a freshly drawn one. Rows: the pupils enrolled in the class (and
group) at any time of the period; a cell outside a pupil's enrollment is greyed.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ejournal import prepared

from .models import Attendance, Enrollment
from .models.dated import covers

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


def _journal_enrollments(klass, group, start, end):
    """The query of pupils_of, compiled once per shape (group or not: ejournal/prepared.py)."""
    journal = SimpleNamespace(school_class_id=klass, group_id=group)
    return (
        Enrollment.objects.of_journal(journal, start, end)
        .overlapping(start, end)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pupil__patronymic", "pupil_id", "stay_start")
    )


def pupils_of(assignment, start, end):
    """Pupils of the class (and group) in the journal at any day of [start, end], with the
    ranges of their stay (for a group's journal: enrollment and dated membership both). One query."""
    qs = prepared.objects(
        "journal.pupils_of",
        _journal_enrollments,
        klass=assignment.school_class_id,
        group=assignment.group_id,
        start=start,
        end=end,
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
    "attendance_cell",
    "conflict_cell",
    "error_cell",
    "mark_cell",
    "period_mark_cell",
    "pupils_of",
    "slot_headers",
]
