"""A subject teacher's reports on one journal (teaching assignment)."""

from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from journal.averages import weighted_average
from journal.models import Attendance, PeriodMark, Subject

from .. import metrics as M
from ..document import PORTRAIT, Column, Facts, Part, Report, Row, Signature, Table
from . import common as C
from .marks import METRIC_ROWS, forecast

A = Attendance.Code


def assignment_line(a) -> str:
    where = a.group if a.group_id else a.school_class
    return _("Класс: %(c)s · предмет: %(s)s · учитель: %(t)s") % {
        "c": where,
        "s": a.subject.name,
        "t": a.teacher.short_name,
    }


def teacher_signature(a):
    return Signature(_("Учитель"), a.teacher.short_name)


def assignment_pupils(a, start, end):
    """Enrollments of the journal's class overlapping [start, end]; for a group, the days of
    its members in the group (Journals.journal_enrollments)."""
    klass = a.school_class
    enrol = C.enrollments([klass], start, end).get(klass.pk, [])
    if a.group_id:
        enrol = C.journals([klass], assignment=a, start=start, end=end).journal_enrollments(a, enrol)
    return enrol


def _pass_fail(a):
    return a.subject.assessment == Subject.Assessment.PASS_FAIL


def _report(kind, part, a, slug):
    return C.one_part_report(
        kind, part, a.school_class.year.school, f"{slug}-{a.school_class.grade}{a.school_class.letter}-{a.subject_id}"
    )


def _metrics_facts(m: M.SubjectMetrics, title):
    return Facts(
        [
            (_("Учеников (N)"), m.n),
            ("«5»", m.n5),
            ("«4»", m.n4),
            ("«3»", m.n3),
            ("«2»", m.n2),
            (_("«н/а»"), m.n_na),
            (_("Успеваемость, %"), m.pass_rate),
            (_("Качество знаний, %"), m.quality),
            (_("СОУ, %"), m.sou),
            (_("Средний балл"), m.average),
        ],
        title=title,
    )


def _current(a, period):
    marks = defaultdict(list)
    for pupil_id, _s, _a, value, weight, _d, _l in C.current_marks([a.school_class], period.start, period.end, a):
        marks[pupil_id].append((value, weight))
    absences = defaultdict(Counter)
    for pupil_id, code, _d, _l, _a in C.attendance([a.school_class], period.start, period.end, a):
        absences[pupil_id][code] += 1
    return marks, absences


def subject_preliminary(a, period, *, today=None) -> Report:
    """Предварительный отчёт учителя за период: current marks, weighted average, forecast."""
    school = a.school_class.year.school
    enrol = assignment_pupils(a, period.start, period.end)
    day = C.count_date(period, today)
    marks, absences = _current(a, period)
    table = Table(
        columns=[
            *C.pupil_columns(),
            Column(_("Текущие отметки"), width="wide"),
            Column(_("Кол-во"), width="num"),
            Column(_("Средневзв. балл"), width="num"),
            Column(_("Прогноз"), width="num"),
            Column(_("Пропущено уроков"), width="num"),
            Column(_("из них по болезни"), width="num"),
        ],
        key_columns=2,
    )
    forecasts = []
    for i, e in enumerate(enrol, 1):
        ms = marks.get(e.pupil_id, [])
        f = forecast(ms, min_marks=school.min_marks, pass_fail=_pass_fail(a))
        if e in C.on_date(enrol, day) and f is not None:  # no mark yet: no forecast
            forecasts.append(f)
        ab = absences.get(e.pupil_id, Counter())
        table.rows.append(
            Row(
                [
                    i,
                    e.pupil.full_name,
                    " ".join(v for v, _w in ms),
                    len(ms),
                    weighted_average(ms),
                    f,
                    sum(ab[c] for c in C.ABSENCE_CODES),
                    ab[C.ILL],
                ],
                "bad" if f in (M.NA, "2", M.FAIL) else "",
            )
        )
    m = M.subject_metrics(forecasts, pass_fail=_pass_fail(a))
    part = Part(
        title=_("Предварительный отчёт учителя за учебный период"),
        subtitle=[assignment_line(a), C.period_line(period)],
        blocks=[table, _metrics_facts(m, _("Прогноз по предмету"))],
        orientation=PORTRAIT,
        signatures=[teacher_signature(a)],
        sheet=str(a.school_class),
    )
    return _report("subject_preliminary", part, a, "predv-uchitel")


def subject_results(a, period, *, today=None) -> Report:
    """Итоги успеваемости класса по предмету за период (period marks)."""
    enrol = assignment_pupils(a, period.start, period.end)
    day = C.count_date(period, today)
    pupil_ids = [e.pupil_id for e in enrol]
    pm = C.period_marks(pupil_ids, [a.subject_id], a.school_class.year)
    marks, absences = _current(a, period)
    # The year of a class with exams: the exam and final marks beside the year mark (docs/DESIGN.md §4.6).
    extra = C.year_kinds(a.school_class, period)[1:]
    table = Table(
        columns=[
            *C.pupil_columns(),
            Column(_("Отметка за период") if not extra else _("Год"), width="num"),
            *[Column(C.Slot(period, k).short, width="mark", print_label=C.Slot(period, k).abbr) for k in extra],
            Column(_("Средневзв. балл"), width="num"),
            Column(_("Текущих отметок"), width="num"),
            Column(_("Пропущено уроков"), width="num"),
        ],
        key_columns=2,
    )
    counted = []
    enrolled_ids = {e.pupil_id for e in C.on_date(enrol, day)}
    for i, e in enumerate(enrol, 1):
        value = C.mark_for(pm, e.pupil_id, a.subject_id, period)
        if e.pupil_id in enrolled_ids:
            counted.append(value)
        ms = marks.get(e.pupil_id, [])
        ab = absences.get(e.pupil_id, Counter())
        table.rows.append(
            Row(
                [i, e.pupil.full_name, value]
                + [C.mark_for(pm, e.pupil_id, a.subject_id, period, k) for k in extra]
                + [weighted_average(ms), len(ms), sum(ab[c] for c in C.ABSENCE_CODES)]
            )
        )
    m = M.subject_metrics(counted, pass_fail=_pass_fail(a))
    part = Part(
        title=_("Итоги успеваемости по предмету за учебный период"),
        subtitle=[assignment_line(a), C.period_line(period)],
        blocks=[_metrics_facts(m, _("Итоги по предмету")), table],
        orientation=PORTRAIT,
        signatures=[teacher_signature(a)],
        sheet=str(a.school_class),
    )
    return _report("subject_results", part, a, "itogi-predmet")


def subject_summary(a, *, today=None) -> Report:
    """Сводная ведомость по предмету: pupils × periods and the year."""
    klass = a.school_class
    slots = C.year_slots(klass)  # periods, «Год», and «Экзамен», «Итоговая» for grades 9 and 11
    enrol = assignment_pupils(a, klass.year.start, klass.year.end)
    pm = C.period_marks([e.pupil_id for e in enrol], [a.subject_id], klass.year)
    columns = C.pupil_columns()
    columns += [Column(x.short, width="mark", print_label=x.abbr) for x in slots]
    table = Table(columns=columns, key_columns=2)
    for i, e in enumerate(enrol, 1):
        table.rows.append(
            Row(
                [i, e.pupil.full_name] + [x.value(pm, e.pupil_id, a.subject_id) for x in slots],
                "muted" if e.end and e.end < klass.year.end else "",
            )
        )
    col_metrics = []
    for x in slots:
        on = C.on_date(enrol, C.count_date(x.period, today))
        values = [x.value(pm, e.pupil_id, a.subject_id) for e in on]
        if x.kind == PeriodMark.Kind.EXAM:
            values = [v for v in values if v is not None]  # over those who sat the exam (docs/DESIGN.md §4.6)
        col_metrics.append(M.subject_metrics(values, pass_fail=_pass_fail(a)))
    for label, attr in METRIC_ROWS:
        table.foot.append(Row([str(label), ""] + [getattr(m, attr) for m in col_metrics], "total"))
    part = Part(
        title=_("Сводная ведомость учёта успеваемости по предмету"),
        subtitle=[assignment_line(a), _("%(y)s учебный год") % {"y": klass.year.name}],
        blocks=[table],
        orientation=PORTRAIT,
        signatures=[teacher_signature(a)],
        sheet=str(klass),
    )
    return _report("subject_summary", part, a, "svodnaya-predmet")


__all__ = ["subject_preliminary", "subject_results", "subject_summary"]
