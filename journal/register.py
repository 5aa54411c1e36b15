"""The journal grid as a register: one cell per pupil and lesson, showing attendance and
the marks of the lesson's works («н», «5/4»), the works by colour with a legend, the
row's average, count and suggested mark (docs/DESIGN.md §3.14, §3.15).

A fixed number of queries whatever the size of the class and the period; cells are
rendered as plain HTML strings, and the same renderer answers a single cell's save
(with the row's figures as out-of-band swaps, so they change with every save).

The cell's data for the script (static/js/register.js):
  data-a / data-av       attendance code and version ("" / 0 when none)
  data-m                 per work of the lesson, in order: "value:version|value:version"
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import register_read, rules
from .averages import suggested_mark, weighted_average
from .grid import pupils_of
from .models import Attendance, Lesson, Mark, PeriodMark, StudyPeriod, WorkType
from .services.period_marks import allowed_values, in_window, window, year_mark_suggestion

COLOURS = register_read.COLOURS
COLOUR_TTL = 300


@dataclass
class Work:
    pk: int
    name: str
    weight: Decimal
    colour: int
    description: str = ""

    @cached_property
    def title(self):
        text = _("%(name)s, вес %(weight)s") % {"name": self.name, "weight": f"{self.weight:g}".replace(".", ",")}
        return f"{text}: {self.description}" if self.description else text


@dataclass
class Column:
    pk: int
    date: object
    topic: str
    topic_late: bool
    bell_number: int
    starts: object
    works: list = field(default_factory=list)
    focus: bool = False

    @property
    def work_ids(self):
        return ",".join(str(w.pk) for w in self.works)

    @property
    def works_title(self):
        return "; ".join(w.title for w in self.works) or _("Работ пока нет: первая отметка создаст её")


def _colours(school_id):
    """Each work type of the school its colour, by the school's order of work types."""
    ids = WorkType.objects.filter(school_id=school_id).order_by("order", "name", "pk").values_list("pk", flat=True)
    return {pk: i % COLOURS for i, pk in enumerate(ids)}


def columns_from(lesson_rows):
    """The journal's lessons with their works, from register_read's lesson rows (in order)."""
    columns, by_id = [], {}
    for lid, day, topic, topic_late, bell_number, starts, wid, wt_name, weight, description, _wt, colour in lesson_rows:
        col = by_id.get(lid)
        if col is None:
            col = by_id[lid] = Column(lid, day, topic, topic_late, bell_number, starts)
            columns.append(col)
        if wid:
            col.works.append(Work(wid, wt_name, weight, colour, description))
    return columns


def focus_column(columns, now=None):
    """Today's lesson, or the latest one held before now; else the first."""
    now = timezone.localtime(now or timezone.now())
    today = [c for c in columns if c.date == now.date()]
    if today:
        return today[0]
    held = [c for c in columns if c.date < now.date()]
    if held:
        return held[-1]
    return columns[0] if columns else None


# --- cells -----------------------------------------------------------------------------


def _fmt_avg(avg):
    return "" if avg is None else f"{avg:.2f}".replace(".", ",")


def _column_parts(col):
    """Per column, once: the opening tags of its works' marks (escaped titles)."""
    parts = getattr(col, "_parts", None)
    if parts is None:
        late = " · " + _("выставлена с опозданием")
        parts = col._parts = [
            (
                w.pk,
                f'<span class="m wt{w.colour}" title="{escape(w.title)}">',
                f'<span class="m wt{w.colour} late" title="{escape(w.title + late)}">',
            )
            for w in col.works
        ]
    return parts


def _att_late_title():
    return escape(_("Внесено с опозданием"))


_ESCAPED: dict = {}


def _esc(value):
    """Cell values come from small fixed sets (н, 5, зач): escaped once each."""
    found = _ESCAPED.get(value)
    if found is None:
        found = _ESCAPED[value] = str(escape(value))
    return found


def cell_content(col, att, marks):
    """(data attributes, body) of a pupil × lesson cell, whoever the pupil: `att`: (code,
    version, late) or None; `marks`: {work_id: (value, version, late)}.

    Plain string building (2 000 cells a page): values are escaped, the column's parts
    are escaped once (_column_parts); the page builds it once per column and content
    (Register._fill), most pupils' cells of a lesson being alike."""
    attrs = ""
    body = ""
    if att:
        a_code, a_v, a_late = att
        a_code = _esc(a_code)
        attrs += f' data-a="{a_code}" data-av="{a_v}"'
        if a_late:
            body = f'<span class="a late" title="{_att_late_title()}">{a_code}</span>'
        else:
            body = f'<span class="a">{a_code}</span>'
    if col.works:
        data_m, shown = [], []
        for wpk, opening, opening_late in _column_parts(col):
            found = marks.get(wpk)
            if found is None:
                data_m.append(":0")
                continue
            value, v, late = found
            value = _esc(value)
            data_m.append(f"{value}:{v}")
            shown.append(f"{opening_late if late else opening}{value}</span>")
        attrs += f' data-m="{"|".join(data_m)}"'
        if shown:
            body += (" " if body else "") + '<span class="sep">/</span>'.join(shown)
    return attrs, body


def lesson_cell(pid, col, att, marks, *, state="", focus=False, message="", code=""):
    """One pupil × lesson (cell_content with the pupil, the state and the message)."""
    content, body = cell_content(col, att, marks)
    attrs = f' data-cell="{pid}-{col.pk}" data-l="{col.pk}"{content}'
    cls = f"c {state}" if state else "c"
    if state:
        attrs += f' data-ws="{col.work_ids}"'
    if focus:
        attrs += ' tabindex="0"'
    if message:
        m = escape(message)
        attrs += f' data-code="{escape(code)}" data-msg="{m}" title="{m}"'
    return f'<td class="{cls}"{attrs}>{body}</td>'


def off_cell():
    return format_html(
        '<td class="c off" aria-disabled="true" title="{}"><span class="sr">{}</span></td>',
        _("Не числится в классе на дату урока"),
        _("не числится"),
    )


def stat_cells(pid, average, count, suggested, min_marks, *, oob=False):
    """The row's figures; with `oob` marked for htmx-style out-of-band replacement."""
    swap = mark_safe(' hx-swap-oob="true"') if oob else ""
    few = count < min_marks
    return format_html(
        '<td role="gridcell" id="avg-{}" class="stat"{}>{}</td>'
        '<td role="gridcell" id="cnt-{}" class="stat{}"{}{}>{}</td>'
        '<td role="gridcell" id="sug-{}" class="stat"{}>{}</td>',
        pid,
        swap,
        _fmt_avg(average),
        pid,
        " few" if few else "",
        format_html(' title="{}"', _("Мало отметок: нужно не меньше %(n)s") % {"n": min_marks}) if few else "",
        swap,
        count,
        pid,
        swap,
        suggested or "",
    )


def pm_cell(value=None, version=0, state="", *, kind, period_id, pk=None):
    # data-id: the period mark's history (static/js/history.js), for those who read it
    return format_html(
        '<td role="gridcell" class="pm{}" data-k="pm" data-kind="{}" data-period="{}" data-v="{}"{}>{}</td>',
        f" {state}" if state else "",
        kind,
        period_id,
        version,
        format_html(' data-id="{}"', pk) if pk else "",
        value or "",
    )


# --- the page --------------------------------------------------------------------------


@dataclass
class PanelColumn:
    key: str
    label: str
    title: str = ""
    kind: str = ""
    period: object = None
    editable: bool = False


class Register:
    """Everything the grid page needs, built with a fixed number of queries."""

    def __init__(self, assignment, period, periods, *, can_write, can_set_period_marks, now=None):
        self.assignment = assignment
        self.period = period
        self.periods = periods
        klass = assignment.school_class
        self.school = school = klass.year.school
        self.can_write = can_write
        self.marks_allowed = rules.marks_allowed(klass, school)
        self.rows = pupils_of(assignment, period.start, period.end)
        self.min_marks = school.min_marks
        self.is_year = period.scheme == StudyPeriod.Scheme.YEAR
        self.pm_open = in_window(period, now)
        self.pm_window = window(period)
        self.exam_window = None
        self.exam_open = False
        if self.is_year and rules.has_exams(klass):
            self.exam_window = window(period, PeriodMark.Kind.EXAM, klass.year)
            self.exam_open = in_window(period, now, PeriodMark.Kind.EXAM, klass.year)
        self.can_set_period_marks = can_set_period_marks and self.marks_allowed and (self.pm_open or self.exam_open)
        self.pm_values = allowed_values(assignment.subject, school) if self.marks_allowed else []
        self.panel = self.panel_columns() if self.marks_allowed else []
        records = register_read.read(
            assignment,
            period.start,
            period.end,
            school_id=school.pk,
            marks=self.marks_allowed,
            pm_periods={c.period.pk for c in self.panel if c.period is not None},
            pupil_ids=[r.pupil.pk for r in self.rows],
        )
        self.columns = columns_from(records.lessons)
        self.focus = focus_column(self.columns, now)
        if self.focus:
            self.focus.focus = True
        self.legend = self._legend()
        self._fill(records)

    def header(self):
        """The lesson header cells, built once in Python (71 columns of template tags cost more
        than the whole table): date (a link to the lesson page), topic, work-type chips."""
        lesson_url = reverse("journal:lesson", kwargs={"pk": 0})
        no_topic = _("Тема не указана")
        nth = _("урок")
        out = []
        for c in self.columns:
            day = f"{c.date:%d.%m}"
            topic = escape(c.topic)
            works = escape(c.works_title)
            chips = "".join(f'<i class="chip wt{w.colour}"></i>' for w in c.works)
            cls = "lesson" + (" today" if c.focus else "") + (" late" if c.topic_late else "")
            title = f"{c.date:%d.%m.%Y}, {c.bell_number} {nth}. {topic or escape(no_topic)}. {works}"
            out.append(
                f'<th scope="col" class="{cls}" id="h-{c.pk}" data-l="{c.pk}" data-w="{c.work_ids}" '
                f'data-day="{day}" data-topic="{topic}" data-works="{works}" title="{title}">'
                f'<a href="{lesson_url.replace("/0/", f"/{c.pk}/")}" tabindex="-1">{day}</a>'
                f'<span class="topic">{topic or "—"}</span><span class="chips">{chips}</span></th>'
            )
        return mark_safe("".join(out))

    def _legend(self):
        seen = {}
        for c in self.columns:
            for w in c.works:
                seen.setdefault((w.name, w.weight), w)
        return sorted(seen.values(), key=lambda w: (w.colour, w.name))

    def panel_columns(self):
        cols = [
            PanelColumn("avg", _("Средний балл"), _("Средневзвешенная отметка за период")),
            PanelColumn(
                "count", _("Кол-во отметок"), _("Количество отметок (нужно не меньше %(n)s)") % {"n": self.min_marks}
            ),
            PanelColumn("suggested", _("Рекомендуемая"), _("Рекомендуемая отметка (границы 2,5 / 3,5 / 4,5)")),
        ]
        if not self.is_year:
            cols.append(PanelColumn("pm", _("Итог"), _("Отметка за период"), "period", self.period, True))
            return cols
        for p in self.periods:
            if p.scheme != StudyPeriod.Scheme.YEAR:
                cols.append(PanelColumn("pmro", str(p.number), str(p), "period", p, False))
        cols.append(PanelColumn("yearsugg", _("Реком. год"), _("Рекомендуемая годовая по отметкам за периоды")))
        cols.append(PanelColumn("pm", _("Год"), _("Годовая отметка"), "year", self.period, True))
        if rules.has_exams(self.assignment.school_class):
            cols.append(PanelColumn("pm", _("Экз."), _("Экзаменационная"), "exam", self.period, True))
            cols.append(PanelColumn("pm", _("Итог."), _("Итоговая"), "final", self.period, True))
        return cols

    def _fill(self, records):
        att = records.att
        weights = {w.pk: w.weight for c in self.columns for w in c.works}
        marks = defaultdict(dict)
        by_pupil = defaultdict(list)
        if self.marks_allowed and weights:
            one = Decimal(1)
            for aid, lid, pid, value, v, late in records.marks:
                marks[(lid, pid)][aid] = (value, v, late)
                by_pupil[pid].append((value, weights.get(aid, one)))
        pms = records.period_marks
        focus_left = self.focus is not None
        off = off_cell()
        contents = {}  # (lesson, attendance, marks) -> cell_content: alike cells built once
        no_marks = {}
        for row in self.rows:
            pid = row.pupil.pk
            parts = []
            (first_start, first_end), *more = row.ranges
            whole = (
                not more and first_start <= self.period.start and (first_end is None or first_end >= self.period.end)
            )
            for col in self.columns:
                if not whole and not any(s <= col.date and (e is None or col.date <= e) for s, e in row.ranges):
                    parts.append(off)
                    continue
                cpk = col.pk
                a = att.get((cpk, pid))
                m = marks.get((cpk, pid), no_marks)
                if focus_left and col.focus:
                    focus_left = False
                    parts.append(lesson_cell(pid, col, a, m, focus=True))
                    continue
                key = (cpk, a, tuple(m.items()))
                found = contents.get(key)
                if found is None:
                    found = contents[key] = cell_content(col, a, m)
                parts.append(f'<td class="c" data-cell="{pid}-{cpk}" data-l="{cpk}"{found[0]}>{found[1]}</td>')
            panel = []
            if self.marks_allowed:
                avg = weighted_average(by_pupil.get(pid, []))
                panel.append(stat_cells(pid, avg, len(by_pupil.get(pid, [])), suggested_mark(avg), self.min_marks))
                for c in self.panel[3:]:
                    if c.key == "yearsugg":
                        values = [
                            pms.get((pid, "period", p.period.pk), ("", 0, None))[0]
                            for p in self.panel
                            if p.key == "pmro"
                        ]
                        panel.append(
                            format_html('<td role="gridcell" class="stat">{}</td>', year_mark_suggestion(values) or "")
                        )
                    elif c.key == "pmro":
                        value = pms.get((pid, "period", c.period.pk), ("", 0, None))[0]
                        panel.append(format_html('<td role="gridcell" class="stat pmro">{}</td>', value or ""))
                    else:
                        value, v, pm_pk = pms.get((pid, c.kind, c.period.pk), (None, 0, None))
                        panel.append(pm_cell(value, v, kind=c.kind, period_id=c.period.pk, pk=pm_pk))
            row.cells = mark_safe("".join(parts))
            row.panel = mark_safe("".join(panel))


# --- one cell, after a save ------------------------------------------------------------


def saved_cell(lesson, pupil_id, period_id, *, state="saved", message="", code=""):
    """The cell as it is now and the row's figures for the grid's period (out of band).

    Three queries: the lesson's works with the pupil's attendance, the pupil's marks of
    the journal in the period (the period read in the same query, confined to the
    lesson's year), and the school's work-type colours (cached)."""
    assignment = lesson.assignment
    school = assignment.school_class.year.school
    colours = cached_colours(school.pk)
    col = Column(lesson.pk, lesson.date, lesson.topic, lesson.topic_late, lesson.bell.number, lesson.bell.starts)
    att_of = Attendance.objects.filter(lesson_id=OuterRef("pk"), pupil_id=pupil_id)
    rows = (
        Lesson.objects.filter(pk=lesson.pk)
        .annotate(
            a_code=Subquery(att_of.values("code")[:1]),
            a_v=Subquery(att_of.values("version")[:1]),
            a_late=Subquery(att_of.values("is_late")[:1]),
        )
        .order_by("assessments__position", "assessments__id")
        .values_list(
            "a_code",
            "a_v",
            "a_late",
            "assessments__id",
            "assessments__work_type__name",
            "assessments__weight",
            "assessments__description",
            "assessments__work_type_id",
        )
    )
    att = None
    for a_code, a_v, a_late, aid, name, weight, description, wt in rows:
        if a_code:
            att = (a_code, a_v, a_late)
        if aid:
            col.works.append(Work(aid, name, weight, colours.get(wt, 0), description))
    period = StudyPeriod.objects.filter(pk=period_id, year_id=assignment.school_class.year_id)
    marks = Mark.objects.filter(
        assessment__lesson__assignment_id=assignment.pk,
        assessment__lesson__date__gte=Subquery(period.values("start")[:1]),
        assessment__lesson__date__lte=Subquery(period.values("end")[:1]),
        pupil_id=pupil_id,
    ).exclude(assessment__lesson__status=Lesson.Status.CANCELLED)
    own, figures = {}, []
    for aid, lid, value, v, late, weight in marks.values_list(
        "assessment_id", "assessment__lesson_id", "value", "version", "is_late", "assessment__weight"
    ):
        figures.append((value, weight))
        if lid == lesson.pk:
            own[aid] = (value, v, late)
    if not figures and col.works:
        # the lesson lies outside the grid's period (or the period is not this year's): its own marks
        own = {
            aid: (value, v, late)
            for aid, value, v, late in Mark.objects.filter(
                assessment__lesson_id=lesson.pk, pupil_id=pupil_id
            ).values_list("assessment_id", "value", "version", "is_late")
        }
    html = lesson_cell(pupil_id, col, att, own, state=state, focus=True, message=message, code=code)
    stats = ""
    if rules.marks_allowed(assignment.school_class, school):
        avg = weighted_average(figures)
        stats = stat_cells(pupil_id, avg, len(figures), suggested_mark(avg), school.min_marks, oob=True)
    return mark_safe(f"{html}{stats}")


def cached_colours(school_id):
    """_colours through the cache: a cell save spares the query (a new work type shows its
    colour within COLOUR_TTL seconds)."""
    key = f"journal:wt-colours:{school_id}"
    found = cache.get(key)
    if found is None:
        found = _colours(school_id)
        cache.set(key, found, COLOUR_TTL)
    return found


def legend_html(legend):
    return format_html_join(
        "",
        '<li><span class="m wt{}">5</span> {}</li>',
        ((w.colour, w.title) for w in legend),
    )
