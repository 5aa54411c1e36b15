"""Class reports on marks: summary sheet, class results, class teacher's reports, final data per pupil."""

from collections import Counter, defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journal.averages import suggested_mark, weighted_average
from journal.models import PeriodMark, Subject

from .. import metrics as M
from ..document import LANDSCAPE, Column, Facts, Part, Report, Row, Table
from . import common as C

# Lazy: translated when a report is built, in the language of whoever reads it.
METRIC_ROWS = (
    (gettext_lazy("Успеваемость, %"), "pass_rate"),
    (gettext_lazy("Качество, %"), "quality"),
    (gettext_lazy("СОУ, %"), "sou"),
    (gettext_lazy("Средний балл"), "average"),
)


def _pupil_label(e, period_end=None):
    """The pupil's name, with the date he left when he is no longer in the class."""
    name = e.pupil.full_name
    if e.end and (period_end is None or e.end < period_end):
        name += " " + _("(выбыл %(d)s)") % {"d": e.end.strftime("%d.%m.%Y")}
    return name


def forecast(marks, *, min_marks: int, pass_fail: bool):
    """The period mark the current marks suggest (preliminary reports, docs/DESIGN.md §3.14).

    The suggestion of the current weighted average by the rounding rule, however many
    marks there are so far: a preliminary report is read two weeks before the period
    ends, when many pupils are still short of `min_marks`, and calling them all «н/а»
    said nothing (their count is shown next to it). A pass/fail subject forecasts «зач» unless «незач» marks are the
    majority. With no mark yet there is nothing to forecast (None): the report counts
    such subjects apart and judges the pupil by the others.
    `min_marks` stays in the signature for the callers that flag a short count.
    """
    if not marks:
        return None
    if pass_fail:
        c = Counter(v for v, _w in marks)
        return M.FAIL if c[M.FAIL] > c[M.PASS] else M.PASS
    mark = suggested_mark(weighted_average(marks))
    return M.NA if mark is None else str(mark)


def few_marks(marks, min_marks: int) -> bool:
    """Fewer marks than the school's attestation minimum (docs/DESIGN.md §3.15)."""
    return 0 < len(marks) < min_marks


class ClassMarks:
    """Period marks (or forecasts) of some classes, loaded in a fixed number of queries."""

    def __init__(self, classes, start, end):
        self.classes = list(classes)
        self.enrollments = C.enrollments(self.classes, start, end)
        self.journals = C.journals(self.classes, start=start, end=end)
        pupil_ids = {e.pupil_id for lst in self.enrollments.values() for e in lst}
        subject_ids = {a.subject_id for lst in self.journals.by_class.values() for a in lst}
        years = {k.year_id: k.year for k in self.classes}
        self.marks = {}
        for year in years.values():
            self.marks.update(C.period_marks(pupil_ids, subject_ids, year))

    def subjects(self, klass) -> list[Subject]:
        return self.journals.subjects(klass.pk)

    def value(self, pupil_id, subject, period, kind=None):
        """The stored mark of `kind` (default: the period's own, C.period_kind)."""
        return C.mark_for(self.marks, pupil_id, subject.pk, period, kind)

    def column_metrics(self, klass, subject, period, day, kind=None):
        """SubjectMetrics of one subject and period (and kind) over the pupils enrolled on `day`."""
        pupils = [e.pupil_id for e in C.on_date(self.enrollments.get(klass.pk, []), day)]
        values = [
            self.value(p, subject, period, kind) for p in pupils if self.journals.in_scope(klass.pk, subject.pk, p)
        ]
        if kind == PeriodMark.Kind.EXAM:
            values = [v for v in values if v is not None]  # over those who sat the exam (docs/DESIGN.md §4.6)
        return M.subject_metrics(values, pass_fail=subject.assessment == Subject.Assessment.PASS_FAIL)

    def pupil_marks(self, klass, period, day, kind=None) -> dict:
        """pupil id → marks of all the subjects he studies, for the pupils enrolled on `day`."""
        out = {}
        for e in C.on_date(self.enrollments.get(klass.pk, []), day):
            out[e.pupil_id] = [
                self.value(e.pupil_id, s, period, kind)
                for s in self.subjects(klass)
                if self.journals.in_scope(klass.pk, s.pk, e.pupil_id)
            ]
        return out


def _metric_foot(columns_metrics):
    return [
        Row([str(label), ""] + [getattr(m, attr) if m else None for m in columns_metrics], "total")
        for label, attr in METRIC_ROWS
    ]


def summary_sheet_part(klass, data: ClassMarks, slots, today=None) -> Part:
    """Сводная ведомость учёта успеваемости: pupils × subjects × (periods, «Год», and
    «Экзамен», «Итоговая» for the grades with exams: C.year_slots, docs/DESIGN.md §4.6).
    `slots` are C.Slot (a bare period stands for its own kind of mark)."""
    slots = [x if isinstance(x, C.Slot) else C.Slot(x, C.period_kind(x)) for x in slots]
    subjects = data.subjects(klass)
    enrol = data.enrollments.get(klass.pk, [])
    columns = C.pupil_columns()
    for s in subjects:
        for x in slots:
            columns.append(Column(x.short, group=s.short_name or s.name, width="mark", print_label=x.abbr))
    rows = []
    # A pupil who stayed to the year's last day (promoted, graduated) did not leave the
    # class: a past year's sheet shows him as he finished it.
    year_end = klass.year.end
    for i, e in enumerate(enrol, 1):
        left = e.end is not None and e.end < year_end
        values = [i, _pupil_label(e, year_end)]
        for s in subjects:
            for x in slots:
                values.append(
                    data.value(e.pupil_id, s, x.period, x.kind)
                    if data.journals.in_scope(klass.pk, s.pk, e.pupil_id)
                    else ""
                )
        rows.append(Row(values, "muted" if left else ""))
    col_metrics = [
        data.column_metrics(klass, s, x.period, C.count_date(x.period, today), x.kind) for s in subjects for x in slots
    ]
    table = Table(
        columns=columns,
        rows=rows,
        foot=_metric_foot(col_metrics),
        key_columns=2,
    )
    # The class over all subjects, period by period.
    totals = Table(
        title=_("Итоги по классу"),
        columns=[
            Column(_("Период"), width="wide"),
            Column(_("Учеников"), width="num"),
            Column(_("Отличники"), width="num"),
            Column(_("Хорошисты"), width="num"),
            Column(_("С одной «3»"), width="num"),
            Column(_("Неуспевающие"), width="num"),
            Column(_("Не аттестованы"), width="num"),
            Column(_("Успеваемость, %"), width="num"),
            Column(_("Качество, %"), width="num"),
            Column(_("СОУ, %"), width="num"),
            Column(_("Средний балл"), width="num"),
        ],
    )
    for x in slots:
        day = C.count_date(x.period, today)
        marks = data.pupil_marks(klass, x.period, day, x.kind)
        if x.kind == PeriodMark.Kind.EXAM:
            # The pupils who sat an exam, over the exams they sat (docs/DESIGN.md §4.6).
            marks = {p: [v for v in vs if v is not None] for p, vs in marks.items()}
            marks = {p: vs for p, vs in marks.items() if vs}
        cm = M.class_metrics(marks, marks.keys())
        totals.rows.append(Row([x.name, cm.enrolled] + _category_counts(cm) + _class_values(cm)))
    return Part(
        title=_("Сводная ведомость учёта успеваемости обучающихся"),
        subtitle=[C.class_line(klass)],
        blocks=[table, totals],
        orientation=LANDSCAPE,
        signatures=[C.class_teacher_signature(klass)],
        sheet=str(klass),
    )


def _category_counts(cm):
    cat = cm.categories
    return [
        cat.get(M.Category.EXCELLENT, 0),
        cat.get(M.Category.GOOD, 0),
        cat.get(M.Category.ONE_THREE, 0),
        cat.get(M.Category.FAILING, 0),
        cat.get(M.Category.NOT_ATTESTED, 0),
    ]


def _class_values(cm):
    return [cm.pass_rate, cm.quality, cm.sou, cm.average]


def summary_marks(klass, *, up_to=None, today=None) -> Report:
    """The class's sheet over the year; with `up_to` (a period of the class), only the
    columns of the periods ended by then (the year's columns only for the year)."""
    data = ClassMarks([klass], klass.year.start, klass.year.end)
    slots = C.year_slots(klass)
    if up_to is not None and up_to.scheme != up_to.Scheme.YEAR:
        slots = [x for x in slots if x.period.scheme != up_to.Scheme.YEAR and x.period.end <= up_to.end]
    part = summary_sheet_part(klass, data, slots, today)
    return C.one_part_report("summary_marks", part, klass.year.school, f"svodnaya-vedomost-{klass.grade}{klass.letter}")


def school_summaries(year, *, today=None, progress=None) -> Report:
    """Every class's summary sheet in one document (the archive copy, 25 years)."""
    classes = list(year.classes.select_related("year__school", "class_teacher").order_by("grade", "letter"))
    classes = [k for k in classes if k.has_marks]
    data = ClassMarks(classes, year.start, year.end)
    periods_all = list(year.periods.all())
    parts = []
    for i, klass in enumerate(classes, 1):
        parts.append(summary_sheet_part(klass, data, C.year_slots(klass, periods_all), today))
        if progress:
            progress(i, len(classes))
    return Report(
        kind="school_summaries",
        title=_("Сводные ведомости учёта успеваемости"),
        school_name=year.school.full_name,
        built_at=C.now(),
        parts=parts,
        filename=f"svodnye-vedomosti-{year.name.replace('/', '-')}",
    )


def _forecast_marks(klass, period, data: ClassMarks, assignment=None):
    """(pupil, subject) → forecast from the period's current marks."""
    school = klass.year.school
    by_key = defaultdict(list)
    for pupil_id, subject_id, _a, value, weight, _d, _l in C.current_marks(
        [klass], period.start, period.end, assignment
    ):
        by_key[(pupil_id, subject_id)].append((value, weight))
    subjects = {s.pk: s for s in data.subjects(klass)}
    out = {}
    for e in data.enrollments.get(klass.pk, []):
        for sid, s in subjects.items():
            out[(e.pupil_id, sid)] = forecast(
                by_key.get((e.pupil_id, sid), []),
                min_marks=school.min_marks,
                pass_fail=s.assessment == Subject.Assessment.PASS_FAIL,
            )
    return out, by_key


def _results_table(klass, subjects, metrics_by_subject, data, class_cm):
    table = Table(
        columns=[
            Column(_("Предмет"), width="wide"),
            Column(_("Учитель"), width="wide"),
            Column(_("Учеников"), width="num"),
            Column("5", group=_("Количество отметок"), width="mark"),
            Column("4", group=_("Количество отметок"), width="mark"),
            Column("3", group=_("Количество отметок"), width="mark"),
            Column("2", group=_("Количество отметок"), width="mark"),
            Column(_("н/а"), group=_("Количество отметок"), width="mark"),
            Column(_("осв"), group=_("Количество отметок"), width="mark"),
            Column(_("Успеваемость, %"), width="num"),
            Column(_("Качество, %"), width="num"),
            Column(_("СОУ, %"), width="num"),
            Column(_("Средний балл"), width="num"),
        ]
    )
    for s in subjects:
        m = metrics_by_subject[s.pk]
        table.rows.append(
            Row(
                [
                    s.name,
                    data.journals.teachers(klass.pk, s.pk),
                    m.n,
                    m.n5,
                    m.n4,
                    m.n3,
                    m.n2,
                    m.n_na,
                    m.n_exempt,
                    m.pass_rate,
                    m.quality,
                    m.sou,
                    m.average,
                ]
            )
        )
    if class_cm is not None:
        table.foot.append(
            Row([_("По классу"), "", class_cm.n, "", "", "", "", "", ""] + _class_values(class_cm), "total")
        )
    return table


def _period_values(klass, period, data, preliminary, today, kind=None):
    """(pupils enrolled on the count date, (pupil, subject) → mark of `kind` or forecast)."""
    day = C.count_date(period, today)
    enrolled = C.on_date(data.enrollments.get(klass.pk, []), day)
    if preliminary:
        values, _raw = _forecast_marks(klass, period, data)
    else:
        values = {
            (e.pupil_id, s.pk): data.value(e.pupil_id, s, period, kind) for e in enrolled for s in data.subjects(klass)
        }
    return day, enrolled, values


# The tables of the year's results, one per kind of mark, for a class with exams.
KIND_TITLES = {
    PeriodMark.Kind.YEAR: gettext_lazy("Годовые отметки"),
    PeriodMark.Kind.EXAM: gettext_lazy("Экзаменационные отметки"),
    PeriodMark.Kind.FINAL: gettext_lazy("Итоговые отметки"),
}


def class_results(klass, period, *, today=None) -> Report:
    """Итоги успеваемости класса за период: per subject counts and metrics. For the year
    of a class with exams, one table each for the year, exam and final marks (docs/DESIGN.md §4.6)."""
    data = ClassMarks([klass], period.start, period.end)
    subjects = data.subjects(klass)
    kinds = C.year_kinds(klass, period)
    blocks = []
    for kind in kinds:
        day, enrolled, values = _period_values(klass, period, data, False, today, kind)
        per_subject = {}
        for s in subjects:
            vals = [
                values.get((e.pupil_id, s.pk)) for e in enrolled if data.journals.in_scope(klass.pk, s.pk, e.pupil_id)
            ]
            if kind == PeriodMark.Kind.EXAM:
                vals = [v for v in vals if v is not None]  # an exam is sat in some subjects only
            per_subject[s.pk] = M.subject_metrics(vals, pass_fail=s.assessment == Subject.Assessment.PASS_FAIL)
        cm = M.class_metrics(data.pupil_marks(klass, period, day, kind), [e.pupil_id for e in enrolled])
        table = _results_table(klass, subjects, per_subject, data, cm if kind != PeriodMark.Kind.EXAM else None)
        if len(kinds) > 1:
            table.title = str(KIND_TITLES[kind])
        blocks.append(table)
    part = Part(
        title=_("Итоги успеваемости класса за учебный период"),
        subtitle=[C.class_line(klass), C.period_line(period)],
        blocks=blocks,
        orientation=LANDSCAPE,
        signatures=[C.class_teacher_signature(klass), C.deputy_signature()],
        sheet=str(klass),
    )
    return C.one_part_report("class_results", part, klass.year.school, f"itogi-{klass.grade}{klass.letter}")


def _absence_totals(klass, period, assignment=None):
    """pupil → Counter of absence codes (and «оп» for lateness) over the period."""
    out = defaultdict(Counter)
    for pupil_id, code, _d, _l, _a in C.attendance([klass], period.start, period.end, assignment):
        out[pupil_id][code] += 1
    return out


def class_period_report(klass, period, *, preliminary=False, today=None) -> Report:
    """Отчёт классного руководителя за период; `preliminary`: forecasts from current marks."""
    data = ClassMarks([klass], period.start, period.end)
    day, enrolled, values = _period_values(klass, period, data, False, today)
    raw = {}
    if preliminary:
        values, raw = _forecast_marks(klass, period, data)
    subjects = data.subjects(klass)
    marks_by_pupil = {
        e.pupil_id: [
            values.get((e.pupil_id, s.pk)) for s in subjects if data.journals.in_scope(klass.pk, s.pk, e.pupil_id)
        ]
        for e in enrolled
    }
    if preliminary:
        # A subject with no mark yet has no forecast: the pupil is judged by the others
        # (docs/DESIGN.md §3.15), so the pass rate agrees with the forecasts shown.
        marks_by_pupil = {p: [v for v in vs if v is not None] for p, vs in marks_by_pupil.items()}
    cm = M.class_metrics(marks_by_pupil, [e.pupil_id for e in enrolled])
    absences = _absence_totals(klass, period)
    all_enrol = data.enrollments.get(klass.pk, [])
    at_start = len(C.on_date(all_enrol, period.start))
    arrived = sum(1 for e in all_enrol if e.arrived_within(period.start, day))
    left = sum(1 for e in all_enrol if e.left_within(period.start, day))
    missed = Counter()
    for c in absences.values():
        missed.update(c)
    facts = Facts(
        [
            (_("Учеников на начало периода"), at_start),
            (_("Прибыло"), arrived),
            (_("Выбыло"), left),
            (_("Учеников на %(d)s") % {"d": day.strftime("%d.%m.%Y")}, len(enrolled)),
            (_("Аттестуется (N)"), cm.n),
            (_("Отличники"), cm.categories.get(M.Category.EXCELLENT, 0)),
            (_("Хорошисты"), cm.categories.get(M.Category.GOOD, 0)),
            (_("С одной «3»"), cm.categories.get(M.Category.ONE_THREE, 0)),
            (_("Неуспевающие"), cm.categories.get(M.Category.FAILING, 0)),
            (_("Не аттестованы"), cm.categories.get(M.Category.NOT_ATTESTED, 0)),
            (_("Успеваемость, %"), cm.pass_rate),
            (_("Качество знаний, %"), cm.quality),
            (_("СОУ, %"), cm.sou),
            (_("Средний балл"), cm.average),
            (_("Пропущено уроков, всего"), sum(missed[c] for c in C.ABSENCE_CODES)),
            (_("из них по болезни"), missed[C.ILL]),
            (_("по уважительной причине"), missed[C.EXCUSED]),
            (_("без уважительной причины"), missed[C.UNEXCUSED]),
            (_("причина не указана"), missed[C.ABSENT]),
            (_("Опозданий"), missed[C.LATE]),
        ],
        title=_("Показатели класса") if not preliminary else _("Показатели класса (прогноз по текущим отметкам)"),
    )
    if preliminary:
        minimum = klass.year.school.min_marks
        short = sum(
            1
            for e in enrolled
            for s in subjects
            if data.journals.in_scope(klass.pk, s.pk, e.pupil_id)
            and few_marks(raw.get((e.pupil_id, s.pk), []), minimum)
        )
        none = sum(
            1
            for e in enrolled
            for s in subjects
            if data.journals.in_scope(klass.pk, s.pk, e.pupil_id) and not raw.get((e.pupil_id, s.pk))
        )
        facts.items[5:5] = [
            (_("Прогнозов меньше чем по %(n)s отметкам") % {"n": minimum}, short),
            (_("Предметов без отметок (прогноза нет)"), none),
        ]
    table = Table(
        title=_("Ученики по итогам периода") if not preliminary else _("Прогноз по ученикам"),
        columns=[
            *C.pupil_columns(),
            Column(_("Итог"), width="wide"),
            Column(_("Предметы с «3»"), width="wide"),
            Column(_("Предметы с «2», «н/а»"), width="wide"),
            Column(_("Пропущено уроков"), width="num"),
            Column(_("из них по болезни"), width="num"),
        ],
        key_columns=2,
    )
    names = {s.pk: s.short_name or s.name for s in subjects}
    for i, e in enumerate(enrolled, 1):
        subj_vals = [
            (s.pk, values.get((e.pupil_id, s.pk)))
            for s in subjects
            if data.journals.in_scope(klass.pk, s.pk, e.pupil_id)
        ]
        if preliminary:
            subj_vals = [(sid, v) for sid, v in subj_vals if v is not None]  # no mark yet: no forecast
        threes = ", ".join(names[sid] for sid, v in subj_vals if v == "3")
        bad = _bad_marks(subj_vals, names)
        c = absences.get(e.pupil_id, Counter())
        table.rows.append(
            Row(
                [
                    i,
                    e.pupil.full_name,
                    str(M.pupil_category(v for _s, v in subj_vals).label),
                    threes,
                    bad,
                    sum(c[x] for x in C.ABSENCE_CODES),
                    c[C.ILL],
                ],
                "bad" if bad else "",
            )
        )
    title = (
        _("Предварительный отчёт классного руководителя за учебный период")
        if preliminary
        else _("Отчёт классного руководителя за учебный период")
    )
    blocks = [facts, table]
    if preliminary:
        per_subject = {}
        for s in subjects:
            vals = [
                values.get((e.pupil_id, s.pk)) for e in enrolled if data.journals.in_scope(klass.pk, s.pk, e.pupil_id)
            ]
            vals = [v for v in vals if v is not None]  # over the pupils with a forecast
            per_subject[s.pk] = M.subject_metrics(vals, pass_fail=s.assessment == Subject.Assessment.PASS_FAIL)
        results = _results_table(klass, subjects, per_subject, data, cm)
        results.title = _("Прогноз по предметам (по текущим отметкам)")
        blocks.append(results)
    part = Part(
        title=title,
        subtitle=[C.class_line(klass), C.period_line(period)],
        blocks=blocks,
        orientation=LANDSCAPE if preliminary else "portrait",
        signatures=[C.class_teacher_signature(klass)],
        sheet=str(klass),
    )
    return Report(
        kind="preliminary" if preliminary else "class_period",
        title=title,
        school_name=klass.year.school.full_name,
        built_at=C.now(),
        parts=[part],
        filename=("predv-otchet-" if preliminary else "otchet-") + f"{klass.grade}{klass.letter}",
    )


def _bad_marks(subj_vals, names) -> str:
    """«Алгебра (2), Физика (н/а)», and the subjects without a mark named once after
    «нет отметки:» (one phrase when there is no mark at all) instead of a «(нет отметки)»
    after each of them."""
    low = [f"{names[sid]} ({v})" for sid, v in subj_vals if v in M.FAILING or v == M.NA]
    missing = [names[sid] for sid, v in subj_vals if v is None]
    if missing and len(missing) == len(subj_vals):
        return _("нет отметок ни по одному предмету")
    if missing:
        low.append(_("нет отметки: %(subjects)s") % {"subjects": ", ".join(missing)})
    return ", ".join(low)


def pupil_results(klass, period, *, today=None) -> Report:
    """Итоговые данные по учащимся: per pupil counts of marks, average, standing, absences."""
    data = ClassMarks([klass], period.start, period.end)
    day, enrolled, values = _period_values(klass, period, data, False, today)
    subjects = data.subjects(klass)
    absences = _absence_totals(klass, period)
    # The year of a class with exams also shows each pupil's exam marks and the standing
    # by the final marks (docs/DESIGN.md §4.6).
    exams = PeriodMark.Kind.EXAM in C.year_kinds(klass, period)
    counts = _("Количество отметок") if not exams else _("Год: количество отметок")
    table = Table(
        columns=[
            *C.pupil_columns(),
            Column("5", group=counts, width="mark"),
            Column("4", group=counts, width="mark"),
            Column("3", group=counts, width="mark"),
            Column("2", group=counts, width="mark"),
            Column(_("н/а"), group=counts, width="mark"),
            Column(_("Средний балл"), width="num"),
            Column(_("Итог") if not exams else _("Год"), width="wide"),
            *([Column(_("Экзамен"), width="wide"), Column(_("Итоговая"), width="wide")] if exams else []),
            Column(_("всего"), group=_("Пропущено уроков"), width="num"),
            Column(_("по болезни"), group=_("Пропущено уроков"), width="num"),
        ],
        key_columns=2,
    )
    names = {s.pk: s.short_name or s.name for s in subjects}
    marks_by_pupil = {}
    for i, e in enumerate(enrolled, 1):
        vals = [values.get((e.pupil_id, s.pk)) for s in subjects if data.journals.in_scope(klass.pk, s.pk, e.pupil_id)]
        marks_by_pupil[e.pupil_id] = vals
        c = Counter(vals)
        a = absences.get(e.pupil_id, Counter())
        table.rows.append(
            Row(
                [
                    i,
                    e.pupil.full_name,
                    c["5"],
                    c["4"],
                    c["3"],
                    c["2"] + c["1"],
                    c[M.NA] + c[None],
                    M.mean(int(v) for v in vals if v in M.NUMERIC),
                    str(M.pupil_category(vals).label),
                    *(_exam_cells(data, klass, e.pupil_id, subjects, period, names) if exams else []),
                    sum(a[x] for x in C.ABSENCE_CODES),
                    a[C.ILL],
                ]
            )
        )
    cm = M.class_metrics(marks_by_pupil, marks_by_pupil.keys())
    table.foot.append(
        Row([_("По классу"), "", "", "", "", "", "", cm.average, ""] + (["", ""] if exams else []) + ["", ""], "total")
    )
    facts = Facts(
        [
            (_("Успеваемость, %"), cm.pass_rate),
            (_("Качество знаний, %"), cm.quality),
            (_("СОУ, %"), cm.sou),
            (_("Средний балл"), cm.average),
        ]
    )
    part = Part(
        title=_("Итоговые данные по учащимся"),
        subtitle=[C.class_line(klass), C.period_line(period)],
        blocks=[table, facts],
        orientation=LANDSCAPE,
        signatures=[C.deputy_signature()],
        sheet=str(klass),
    )
    return C.one_part_report("pupil_results", part, klass.year.school, f"itogovye-dannye-{klass.grade}{klass.letter}")


def _exam_cells(data, klass, pupil_id, subjects, period, names) -> list:
    """«Экзамен»: the subjects examined with their marks; «Итоговая»: the standing by the final marks."""
    studied = [s for s in subjects if data.journals.in_scope(klass.pk, s.pk, pupil_id)]
    exam = [(s, data.value(pupil_id, s, period, PeriodMark.Kind.EXAM)) for s in studied]
    final = [data.value(pupil_id, s, period, PeriodMark.Kind.FINAL) for s in studied]
    exam_text = ", ".join(f"{names[s.pk]} {v}" for s, v in exam if v is not None)
    final_text = str(M.pupil_category(final).label) if any(v is not None for v in final) else ""
    return [exam_text, final_text]
