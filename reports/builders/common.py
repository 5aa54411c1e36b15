"""Loaders shared by the builders: each is one query over a set of classes."""

import copy
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from journal import rules
from journal.models import (
    Attendance,
    Enrollment,
    GroupMembership,
    Mark,
    PeriodMark,
    SchoolClass,
    StudyPeriod,
    Subject,
    TeachingAssignment,
)
from journal.models.dated import covers

from ..document import Column, Report, Signature

_MONTHS = (
    gettext_lazy("январь"),
    gettext_lazy("февраль"),
    gettext_lazy("март"),
    gettext_lazy("апрель"),
    gettext_lazy("май"),
    gettext_lazy("июнь"),
    gettext_lazy("июль"),
    gettext_lazy("август"),
    gettext_lazy("сентябрь"),
    gettext_lazy("октябрь"),
    gettext_lazy("ноябрь"),
    gettext_lazy("декабрь"),
)
_MONTHS_SHORT = (
    gettext_lazy("янв"),
    gettext_lazy("фев"),
    gettext_lazy("мар"),
    gettext_lazy("апр"),
    gettext_lazy("май"),
    gettext_lazy("июн"),
    gettext_lazy("июл"),
    gettext_lazy("авг"),
    gettext_lazy("сен"),
    gettext_lazy("окт"),
    gettext_lazy("ноя"),
    gettext_lazy("дек"),
)

# The attendance codes as stored (plain strings: they key Counters of database values).
ABSENT, ILL, EXCUSED, UNEXCUSED, LATE = (
    c.value
    for c in (
        Attendance.Code.ABSENT,
        Attendance.Code.ILL,
        Attendance.Code.EXCUSED,
        Attendance.Code.UNEXCUSED,
        Attendance.Code.LATE,
    )
)
ABSENCE_CODES = (ILL, EXCUSED, UNEXCUSED, ABSENT)  # ОП (late) is not an absence


def month_name(month: int) -> str:
    """«январь» for 1, in the active language."""
    return str(_MONTHS[month - 1])


def month_short(month: int) -> str:
    """«янв» for 1, in the active language."""
    return str(_MONTHS_SHORT[month - 1])


def pupil_columns() -> list:
    """The two key columns of a table a pupil a row: № and the pupil's name."""
    return [Column("№", width="idx"), Column(_("Фамилия, имя ученика"), width="name")]


def one_part_report(kind, part, school, filename, *, built_at=None) -> Report:
    """A report of one part, titled after it, built now unless `built_at` says when."""
    return Report(
        kind=kind,
        title=part.title,
        school_name=school.full_name,
        built_at=built_at or now(),
        parts=[part],
        filename=filename,
    )


def now():
    return timezone.now()


def class_line(klass) -> str:
    teacher = klass.class_teacher.short_name if klass.class_teacher_id else "—"
    return _("Класс: %(k)s · классный руководитель: %(t)s · %(y)s учебный год") % {
        "k": klass,
        "t": teacher,
        "y": klass.year.name,
    }


def period_line(period) -> str:
    return _("Период: %(p)s (%(s)s – %(e)s)") % {
        "p": period_name(period),
        "s": period.start.strftime("%d.%m.%Y"),
        "e": period.end.strftime("%d.%m.%Y"),
    }


def period_name(period) -> str:
    if period.scheme == StudyPeriod.Scheme.YEAR:
        return _("учебный год")
    return f"{period.number} {period.get_scheme_display()}"


def period_short(period) -> str:
    if period.scheme == StudyPeriod.Scheme.YEAR:
        return _("год")
    short = {
        "quarter": pgettext("period abbreviation", "%(n)s ч"),
        "half": pgettext("period abbreviation", "%(n)s п"),
        "trimester": pgettext("period abbreviation", "%(n)s т"),
    }[period.scheme]
    return short % {"n": period.number}


def class_teacher_signature(klass):
    return Signature(_("Классный руководитель"), klass.class_teacher.short_name if klass.class_teacher_id else "")


def deputy_signature():
    return Signature(_("Заместитель директора по УВР"))


def load_class(pk) -> SchoolClass:
    return SchoolClass.objects.select_related("year__school", "class_teacher").get(pk=pk)


def class_periods(klass, periods=None) -> list:
    """The periods of the class's scheme in order (from `periods` if already loaded)."""
    periods = periods if periods is not None else list(klass.year.periods.all())
    return sorted((p for p in periods if p.scheme == klass.period_scheme), key=lambda p: p.number)


def year_period(klass, periods=None):
    periods = periods if periods is not None else list(klass.year.periods.all())
    return next((p for p in periods if p.scheme == StudyPeriod.Scheme.YEAR), None)


def enrollments(classes, start: date, end: date) -> dict:
    """class id → enrollments overlapping [start, end], pupils in alphabetical order."""
    qs = Enrollment.objects.overlapping(start, end).filter(school_class__in=classes).select_related("pupil")
    out = defaultdict(list)
    for e in qs.order_by("pupil__last_name", "pupil__first_name", "pupil__patronymic", "start"):
        out[e.school_class_id].append(e)
    return out


def on_date(enrollment_list, day: date) -> list:
    """The enrollments covering `day` (pupils counted in the class that day)."""
    return [e for e in enrollment_list if e.covers(day)]


def distinct_pupils(enrollment_list) -> list:
    seen, out = set(), []
    for e in enrollment_list:
        if e.pupil_id not in seen:
            seen.add(e.pupil_id)
            out.append(e.pupil)
    return out


def count_date(period, today=None) -> date:
    """Pupils are counted on the period's last day, or today while it is running."""
    today = today or timezone.localdate()
    return min(period.end, max(today, period.start))


@dataclass
class Journals:
    """The teaching assignments of some classes and their dated group memberships."""

    by_class: dict  # class id → [assignment]
    members: dict  # group id → {pupil id: [(start, end)]} (end None: open), the loaded range's

    def subjects(self, class_id) -> list[Subject]:
        seen, out = set(), []
        for a in self.by_class.get(class_id, []):
            if a.subject_id not in seen:
                seen.add(a.subject_id)
                out.append(a.subject)
        return sorted(out, key=lambda s: (s.order, s.name))

    def teachers(self, class_id, subject_id) -> str:
        names = []
        for a in self.by_class.get(class_id, []):
            if a.subject_id == subject_id and a.teacher.short_name not in names:
                names.append(a.teacher.short_name)
        return ", ".join(names)

    def in_group(self, group_id, pupil_id, day: date | None = None) -> bool:
        """Is the pupil in the group on `day` (or on some day of the loaded range)?"""
        stays = self.members.get(group_id, {}).get(pupil_id, ())
        return any(covers(s, e, day) for s, e in stays) if day else bool(stays)

    def in_scope(self, class_id, subject_id, pupil_id) -> bool:
        """Does the pupil study the subject (whole-class journal, or one of its groups in the range)?"""
        for a in self.by_class.get(class_id, []):
            if a.subject_id != subject_id:
                continue
            if a.group_id is None or self.in_group(a.group_id, pupil_id):
                return True
        return False

    def journal_enrollments(self, a, enrol) -> list:
        """The rows of journal `a` from its class's enrollments: for a group's journal the
        days each pupil was both enrolled and in the group (unsaved copies whose `start`
        and `end` are those days), so a pupil moved to another group keeps his rows in the
        old group's pages up to the move. The in-memory twin of `Enrollment.objects.of_journal`."""
        if not a.group_id:
            return enrol
        out = []
        for e in enrol:
            for s, t in self.members.get(a.group_id, {}).get(e.pupil_id, ()):
                if (e.end is not None and s > e.end) or (t is not None and t < e.start):
                    continue
                stay = copy.copy(e)
                stay.start = max(e.start, s)
                stay.end = t if e.end is None else (e.end if t is None else min(e.end, t))
                out.append(stay)
        return out


def journals(classes, assignment=None, start: date | None = None, end: date | None = None) -> Journals:
    """The journals of `classes` (or only `assignment`) and the memberships of their groups
    sharing a day with [start, end] (all when no range is given)."""
    qs = TeachingAssignment.objects.filter(school_class__in=classes).select_related("subject", "teacher", "group")
    if assignment is not None:
        qs = qs.filter(pk=assignment.pk)
    by_class = defaultdict(list)
    group_ids = set()
    for a in qs:
        by_class[a.school_class_id].append(a)
        if a.group_id:
            group_ids.add(a.group_id)
    members = defaultdict(lambda: defaultdict(list))
    if group_ids:
        rows = GroupMembership.objects.filter(group_id__in=group_ids)
        if start is not None:
            rows = rows.overlapping(start, end or start)
        for gid, pid, s, t in rows.order_by("start").values_list("group_id", "pupil_id", "start", "end"):
            members[gid][pid].append((s, t))
    return Journals(by_class=dict(by_class), members={g: dict(m) for g, m in members.items()})


def period_marks(pupil_ids, subject_ids, year) -> dict:
    """(pupil, subject, period id, kind) → value, for the marks of one academic year."""
    rows = PeriodMark.objects.filter(pupil_id__in=pupil_ids, subject_id__in=subject_ids, period__year=year).values_list(
        "pupil_id", "subject_id", "period_id", "kind", "value"
    )
    return {(p, s, per, k): v for p, s, per, k, v in rows}


def period_kind(period):
    """The kind of mark a period's column holds: the year mark for the year, else the period mark."""
    return PeriodMark.Kind.YEAR if period.scheme == StudyPeriod.Scheme.YEAR else PeriodMark.Kind.PERIOD


def mark_for(marks: dict, pupil_id, subject_id, period, kind=None):
    """The stored mark of `kind` (default: the period's own kind, see `period_kind`)."""
    return marks.get((pupil_id, subject_id, period.pk, kind or period_kind(period)))


@dataclass(frozen=True)
class Slot:
    """One column of final marks: a period and the kind of mark in it. The year period
    holds three: «Год», «Экзамен», «Итоговая» (the last two for grades with exams)."""

    period: object
    kind: str

    @property
    def short(self) -> str:
        if self.kind == PeriodMark.Kind.EXAM:
            return _("Экзамен")
        if self.kind == PeriodMark.Kind.FINAL:
            return _("Итоговая")
        if self.kind == PeriodMark.Kind.YEAR:
            return _("Год")
        return period_short(self.period)

    @property
    def abbr(self) -> str:
        """The printed header of a narrow column of marks."""
        if self.kind == PeriodMark.Kind.EXAM:
            return pgettext("exam mark, column header", "Экз")
        if self.kind == PeriodMark.Kind.FINAL:
            return pgettext("final mark, column header", "Итог")
        return self.short

    @property
    def name(self) -> str:
        if self.kind == PeriodMark.Kind.EXAM:
            return _("экзамен")
        if self.kind == PeriodMark.Kind.FINAL:
            return _("итоговая отметка")
        return period_name(self.period)

    def value(self, marks: dict, pupil_id, subject_id):
        return mark_for(marks, pupil_id, subject_id, self.period, self.kind)


def year_kinds(klass, period) -> list:
    """The kinds of final mark a class has for `period`: the period mark; for the year the
    year mark, and the exam and final marks where the class sits exams (rules.has_exams)."""
    if period.scheme != StudyPeriod.Scheme.YEAR:
        return [PeriodMark.Kind.PERIOD]
    kinds = [PeriodMark.Kind.YEAR]
    if rules.has_exams(klass):
        kinds += [PeriodMark.Kind.EXAM, PeriodMark.Kind.FINAL]
    return kinds


def year_slots(klass, periods=None) -> list[Slot]:
    """The final-mark columns of a class's summary sheet: its periods, «Год», and
    «Экзамен», «Итоговая» where it sits exams (docs/DESIGN.md §4.6)."""
    periods = periods if periods is not None else list(klass.year.periods.all())
    out = [Slot(p, PeriodMark.Kind.PERIOD) for p in class_periods(klass, periods)]
    yp = year_period(klass, periods)
    if yp is not None:
        out += [Slot(yp, k) for k in year_kinds(klass, yp)]
    return out


def current_marks(classes, start, end, assignment=None) -> list:
    """Current marks of lessons in [start, end]: (pupil, subject, assignment, value, weight, date, lesson)."""
    qs = Mark.objects.filter(
        assessment__lesson__assignment__school_class__in=classes,
        assessment__lesson__date__gte=start,
        assessment__lesson__date__lte=end,
    )
    if assignment is not None:
        qs = qs.filter(assessment__lesson__assignment=assignment)
    return list(
        qs.order_by("assessment__lesson__date", "assessment__lesson__bell__number", "assessment__position").values_list(
            "pupil_id",
            "assessment__lesson__assignment__subject_id",
            "assessment__lesson__assignment_id",
            "value",
            "assessment__weight",
            "assessment__lesson__date",
            "assessment__lesson_id",
        )
    )


def attendance(classes, start, end, assignment=None) -> list:
    """Attendance entries of lessons in [start, end]: (pupil, code, date, lesson, assignment)."""
    qs = Attendance.objects.filter(
        lesson__assignment__school_class__in=classes, lesson__date__gte=start, lesson__date__lte=end
    )
    if assignment is not None:
        qs = qs.filter(lesson__assignment=assignment)
    return list(qs.values_list("pupil_id", "code", "lesson__date", "lesson_id", "lesson__assignment_id"))
