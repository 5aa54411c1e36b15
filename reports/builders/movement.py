"""Pupil movement (from Enrollment and its orders) and class sizes."""

from collections import Counter
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from journal.models import Enrollment, StudyPeriod

from ..document import LANDSCAPE, PORTRAIT, Column, Facts, Part, Report, Row, Table
from . import common as C

# Lazy: translated when a report is built, in the language of whoever reads it.
LEVELS = (
    (1, 4, gettext_lazy("Начальное общее (1–4)")),
    (5, 9, gettext_lazy("Основное общее (5–9)")),
    (10, 11, gettext_lazy("Среднее общее (10–11)")),
)


def _order(number, day):
    if not number and not day:
        return ""
    return _("№ %(n)s от %(d)s") % {"n": number or "—", "d": day.strftime("%d.%m.%Y") if day else "—"}


def class_movement(klass, start=None, end=None) -> Report:
    """Сводная ведомость учёта движения учащихся класса за период (по умолчанию — за год)."""
    start = start or klass.year.start
    end = end or klass.year.end
    enrol = C.enrollments([klass], start, end).get(klass.pk, [])
    at_start = C.on_date(enrol, start)
    at_end = C.on_date(enrol, end)
    arrivals = [e for e in enrol if e.arrived_within(start, end)]
    departures = [e for e in enrol if e.left_within(start, end)]
    table = Table(
        columns=[
            Column("№", width="idx"),
            Column(_("Фамилия, имя, отчество ученика"), width="name"),
            Column(_("Дата рождения"), width="date"),
            Column(_("Движение"), width="wide"),
            Column(_("Дата"), width="date"),
            Column(_("Приказ"), width="wide"),
            Column(_("Откуда / куда"), width="wide"),
        ],
        key_columns=2,
    )
    events = [(e.start, e, "in") for e in arrivals] + [(e.end, e, "out") for e in departures]
    for i, (day, e, way) in enumerate(sorted(events, key=lambda t: (t[0], t[1].pupil.last_name)), 1):
        if way == "in":
            what = e.get_start_reason_display()
            order = _order(e.start_order, e.start_order_date)
            where = ""
        else:
            what = e.get_end_reason_display() or _("выбыл")
            order = _order(e.end_order, e.end_order_date)
            where = e.destination
        table.rows.append(Row([i, e.pupil.full_name, e.pupil.birth_date, what, day, order, where]))
    facts = Facts(
        [
            (_("На начало (%(d)s)") % {"d": start.strftime("%d.%m.%Y")}, len(at_start)),
            (_("Прибыло"), len(arrivals)),
            (_("Выбыло"), len(departures)),
            (_("На конец (%(d)s)") % {"d": end.strftime("%d.%m.%Y")}, len(at_end)),
        ]
    )
    part = Part(
        title=_("Сводная ведомость учёта движения учащихся"),
        subtitle=[
            C.class_line(klass),
            _("С %(s)s по %(e)s") % {"s": start.strftime("%d.%m.%Y"), "e": end.strftime("%d.%m.%Y")},
        ],
        blocks=[facts, table],
        orientation=PORTRAIT,
        signatures=[C.class_teacher_signature(klass)],
        sheet=str(klass),
    )
    return C.one_part_report("movement", part, klass.year.school, f"dvizhenie-{klass.grade}{klass.letter}")


def _dynamics_periods(year):
    periods = list(year.periods.all())
    for scheme in (StudyPeriod.Scheme.QUARTER, StudyPeriod.Scheme.TRIMESTER, StudyPeriod.Scheme.HALF):
        chosen = sorted((p for p in periods if p.scheme == scheme), key=lambda p: p.number)
        if chosen:
            return chosen
    return [p for p in periods if p.scheme == StudyPeriod.Scheme.YEAR]


def movement_dynamics(year) -> Report:
    """Динамика движения обучающихся по школе: per class and period, start / in / out / end."""
    classes = list(year.classes.select_related("class_teacher").order_by("grade", "letter"))
    enrol = C.enrollments(classes, year.start, year.end)
    periods = _dynamics_periods(year)
    columns = [Column(_("Класс"), width="wide")]
    for p in periods:
        g = C.period_name(p)
        columns += [
            Column(_("на начало"), group=g, width="num"),
            Column(_("прибыло"), group=g, width="num"),
            Column(_("выбыло"), group=g, width="num"),
            Column(_("на конец"), group=g, width="num"),
        ]

    def figures(lst):
        out = []
        for p in periods:
            out += [
                len(C.on_date(lst, p.start)),
                sum(1 for e in lst if e.arrived_within(p.start, p.end)),
                sum(1 for e in lst if e.left_within(p.start, p.end)),
                len(C.on_date(lst, p.end)),
            ]
        return out

    table = Table(columns=columns, key_columns=1)
    school_total = []
    for lo, hi, label in LEVELS:
        level = [k for k in classes if lo <= k.grade <= hi]
        if not level:
            continue
        for k in level:
            table.rows.append(Row([str(k)] + figures(enrol.get(k.pk, []))))
        level_enrol = [e for k in level for e in enrol.get(k.pk, [])]
        table.rows.append(Row([str(label)] + figures(level_enrol), "total"))
        school_total += level_enrol
    table.foot.append(Row([_("Всего по школе")] + figures(school_total), "total"))
    part = Part(
        title=_("Динамика движения обучающихся по школе"),
        subtitle=[_("%(y)s учебный год") % {"y": year.name}],
        blocks=[table],
        orientation=LANDSCAPE,
        signatures=[C.deputy_signature()],
        sheet=_("Движение"),
    )
    return C.one_part_report("movement_dynamics", part, year.school, "dinamika-dvizheniya")


def class_sizes(year, day: date) -> Report:
    """Наполняемость классов на дату: pupils, boys and girls per class, by level."""
    classes = list(year.classes.select_related("class_teacher").order_by("grade", "letter"))
    rows = Enrollment.objects.on(day).filter(school_class__in=classes).values_list("school_class_id", "pupil__sex")
    counts = Counter()
    for cid, sex in rows:
        counts[(cid, "all")] += 1
        counts[(cid, sex or "?")] += 1
    table = Table(
        columns=[
            Column(_("Класс"), width="num"),
            Column(_("Классный руководитель"), width="name"),
            Column(_("Учеников"), width="num"),
            Column(_("мальчиков"), width="num"),
            Column(_("девочек"), width="num"),
        ],
        key_columns=1,
    )
    total = Counter()
    for lo, hi, label in LEVELS:
        level = [k for k in classes if lo <= k.grade <= hi]
        if not level:
            continue
        sub = Counter()
        for k in level:
            n = [counts[(k.pk, "all")], counts[(k.pk, User.Sex.MALE)], counts[(k.pk, User.Sex.FEMALE)]]
            sub.update({"all": n[0], "m": n[1], "f": n[2], "classes": 1})
            table.rows.append(Row([str(k), k.class_teacher.short_name if k.class_teacher_id else "—"] + n))
        table.rows.append(
            Row([str(label), _("классов: %(n)s") % {"n": sub["classes"]}, sub["all"], sub["m"], sub["f"]], "total")
        )
        total.update(sub)
    table.foot.append(
        Row(
            [_("Всего по школе"), _("классов: %(n)s") % {"n": total["classes"]}, total["all"], total["m"], total["f"]],
            "total",
        )
    )
    avg = round(total["all"] / total["classes"], 1) if total["classes"] else None
    part = Part(
        title=_("Наполняемость классов"),
        subtitle=[_("%(y)s учебный год, на %(d)s") % {"y": year.name, "d": day.strftime("%d.%m.%Y")}],
        blocks=[table, Facts([(_("Средняя наполняемость класса"), avg)])],
        orientation=PORTRAIT,
        signatures=[C.deputy_signature()],
        sheet=_("Наполняемость"),
    )
    return C.one_part_report("class_sizes", part, year.school, "napolnyaemost")
