"""Attendance reports: a class by month, and the summary attendance sheet."""

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journal.models import Attendance, Lesson

from ..document import LANDSCAPE, Column, Part, Report, Row, Table
from . import common as C

A = Attendance.Code


@dataclass
class PupilDays:
    """One pupil's attendance over a range, day by day."""

    lessons: Counter = field(default_factory=Counter)  # day → lessons he had
    missed: Counter = field(default_factory=Counter)  # day → lessons missed
    ill: Counter = field(default_factory=Counter)  # day → lessons missed through illness
    codes: Counter = field(default_factory=Counter)  # code → count over the range

    def missed_days(self):
        """Days on which every lesson he had was missed."""
        return [d for d, n in self.lessons.items() if n and self.missed[d] >= n]

    def ill_days(self):
        return [d for d in self.missed_days() if self.ill[d] >= self.lessons[d]]

    @property
    def lessons_missed(self):
        return sum(self.codes[c] for c in C.ABSENCE_CODES)


def attendance_by_pupil(klass, start, end):
    """(enrollments overlapping the range, pupil id → PupilDays); five queries."""
    enrol = C.enrollments([klass], start, end).get(klass.pk, [])
    js = C.journals([klass], start=start, end=end)
    group_of = {a.pk: a.group_id for a in js.by_class.get(klass.pk, [])}
    lessons = list(
        Lesson.objects.filter(
            assignment__school_class=klass, date__gte=start, date__lte=end, status=Lesson.Status.PLANNED
        ).values_list("id", "date", "assignment_id")
    )
    out = defaultdict(PupilDays)
    for e in enrol:
        pd = out[e.pupil_id]
        for _lid, day, aid in lessons:
            if e.covers(day):
                gid = group_of.get(aid)
                if gid is None or js.in_group(gid, e.pupil_id, day):
                    pd.lessons[day] += 1
    for pupil_id, code, day, _lid, _aid in C.attendance([klass], start, end):
        pd = out[pupil_id]
        pd.codes[code] += 1
        if code in C.ABSENCE_CODES:
            pd.missed[day] += 1
            if code == C.ILL:
                pd.ill[day] += 1
    return enrol, out, sorted({day for _l, day, _a in lessons})


# Lazy: translated when a report is built, in the language of whoever reads it.
TOTAL_COLUMNS = [
    (gettext_lazy("всего"), gettext_lazy("Пропущено дней")),
    (gettext_lazy("по болезни"), gettext_lazy("Пропущено дней")),
    (gettext_lazy("всего"), gettext_lazy("Пропущено уроков")),
    (gettext_lazy("Б"), gettext_lazy("Пропущено уроков")),
    (gettext_lazy("УП"), gettext_lazy("Пропущено уроков")),
    (gettext_lazy("НП"), gettext_lazy("Пропущено уроков")),
    (gettext_lazy("Н"), gettext_lazy("Пропущено уроков")),
    (gettext_lazy("Опозданий"), ""),
]


def _totals(pd: PupilDays):
    return [
        len(pd.missed_days()),
        len(pd.ill_days()),
        pd.lessons_missed,
        pd.codes[C.ILL],
        pd.codes[C.EXCUSED],
        pd.codes[C.UNEXCUSED],
        pd.codes[C.ABSENT],
        pd.codes[C.LATE],
    ]


def _total_columns():
    return [Column(str(label), group=str(group), width="num") for label, group in TOTAL_COLUMNS]


def _sum_rows(rows, width, label):
    """A «Итого» row: column sums of the numeric cells after № and name."""
    sums = [sum(r.values[i] for r in rows if isinstance(r.values[i], int)) for i in range(2, width)]
    return Row([label, ""] + sums, "total")


def _legend():
    from ..document import Paragraph

    return Paragraph(
        _(
            "Б — по болезни, УП — по уважительной причине, НП — без уважительной причины, "
            "Н — причина не указана. День пропущен, если пропущены все уроки ученика в этот день."
        ),
        "legend",
    )


def class_attendance_month(klass, year: int, month: int) -> Report:
    """Отчёт о посещаемости класса за месяц: lessons missed per day, days and lessons by reason."""
    start = date(year, month, 1)
    end = date(year, month, calendar.monthrange(year, month)[1])
    enrol, by_pupil, days = attendance_by_pupil(klass, start, end)
    month_label = f"{C.month_name(month)} {year}"
    columns = C.pupil_columns()
    columns += [Column(str(d.day), group=_("Пропущено уроков по дням"), width="mark") for d in days]
    columns += _total_columns()
    rows = _pupil_rows(enrol, by_pupil, end, lambda pd: [pd.missed[d] or "" for d in days])
    return _class_report(
        klass,
        Table(columns=columns, rows=rows, key_columns=2),
        kind="attendance_month",
        title=_("Отчёт о посещаемости класса за месяц"),
        subtitle=_("Месяц: %(m)s") % {"m": month_label},
        filename=f"poseshchaemost-{klass.grade}{klass.letter}-{year}-{month:02d}",
    )


def _pupil_rows(enrol, by_pupil, end, cells) -> list:
    """One numbered row a pupil (his first enrollment names him): № and name, `cells(pupil's
    PupilDays)`, the totals; greyed out when the pupil left the class before `end`."""
    rows = []
    seen = set()
    for e in enrol:
        if e.pupil_id in seen:
            continue
        seen.add(e.pupil_id)
        pd = by_pupil[e.pupil_id]
        values = [len(rows) + 1, e.pupil.full_name, *cells(pd), *_totals(pd)]
        rows.append(Row(values, "muted" if e.end and e.end < end else ""))
    return rows


def _class_report(klass, table, *, kind, title, subtitle, filename) -> Report:
    """A one-part landscape report of a class: the table with its total row, the legend, the class teacher's signature."""
    table.foot.append(_sum_rows(table.rows, len(table.columns), _("Итого")))
    part = Part(
        title=title,
        subtitle=[C.class_line(klass), subtitle],
        blocks=[table, _legend()],
        orientation=LANDSCAPE,
        signatures=[C.class_teacher_signature(klass)],
        sheet=str(klass),
    )
    return C.one_part_report(kind, part, klass.year.school, filename)


def _months(start, end):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def summary_attendance(klass, start=None, end=None, *, subtitle=None) -> Report:
    """Сводная ведомость учёта посещаемости: pupils × months, totals by reason."""
    start = start or klass.year.start
    end = end or klass.year.end
    enrol, by_pupil, _days = attendance_by_pupil(klass, start, end)
    months = list(_months(start, end))
    columns = C.pupil_columns()
    columns += [Column(C.month_short(m), group=_("Пропущено уроков по месяцам"), width="mark") for _y, m in months]
    columns += _total_columns()

    def per_month(pd):
        missed = Counter()
        for day, n in pd.missed.items():
            missed[(day.year, day.month)] += n
        return [missed[ym] for ym in months]

    return _class_report(
        klass,
        Table(columns=columns, rows=_pupil_rows(enrol, by_pupil, end, per_month), key_columns=2),
        kind="summary_attendance",
        title=_("Сводная ведомость учёта посещаемости"),
        subtitle=subtitle or _("С %(s)s по %(e)s") % {"s": start.strftime("%d.%m.%Y"), "e": end.strftime("%d.%m.%Y")},
        filename=f"svodnaya-poseshchaemost-{klass.grade}{klass.letter}",
    )
