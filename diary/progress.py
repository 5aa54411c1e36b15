"""Marks by subject for a study period: every mark, the weighted average, the
suggested period mark with a forecast in words, period marks once set, absences
and lateness. One query for all subjects (subqueries per journal).

Averages, suggestions and forecasts come from journal.averages, the one
implementation shared with the journal and the reports.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ejournal import prepared
from journal import rules
from journal.averages import marks_needed_for, suggested_mark, weighted_average
from journal.models import Attendance, GroupMembership, Mark, PeriodMark, StudyPeriod, TeachingAssignment

from .week import enrollment_on, has_marks, overlapping


def choose_period(periods, period_id=None, today=None):
    """The requested period, else the one containing today, else the last begun, else the first."""
    today = today or timezone.localdate()
    if period_id is not None:
        for p in periods:
            if p.pk == period_id:
                return p
    terms = [p for p in periods if p.scheme != StudyPeriod.Scheme.YEAR] or list(periods)
    for p in terms:
        if p.covers(today):
            return p
    begun = [p for p in terms if p.start <= today]
    return (begun or terms or [None])[-1]


@dataclass
class SubjectMark:
    value: str
    date: date
    work_type: str
    weight: Decimal
    lesson_id: int


@dataclass
class SubjectRow:
    subject: object
    teachers: list = field(default_factory=list)
    marks: list = field(default_factory=list)
    absences: int = 0
    lates: int = 0
    period_mark: str = ""
    average: Decimal | None = None
    suggested: int | None = None
    forecast: list = field(default_factory=list)


def forecast_words(pairs, suggested, min_marks) -> list[str]:
    """«для «5» нужно ещё 3 отметки «5»» for each mark above the suggestion."""
    numeric = [p for p in pairs if str(p[0]).isdigit()]
    lines = []
    if len(numeric) < min_marks:
        lines.append(
            ngettext(
                "для аттестации нужно не меньше %(min)s отметки (сейчас %(n)s)",
                "для аттестации нужно не меньше %(min)s отметок (сейчас %(n)s)",
                min_marks,
            )
            % {"min": min_marks, "n": len(numeric)}
        )
    if suggested is None:
        return lines
    for target in range(suggested + 1, 6):
        n = marks_needed_for(target, numeric)
        if n is None:
            lines.append(_("«%(t)s» в этом периоде уже не получить") % {"t": target})
        else:
            lines.append(
                ngettext(
                    "для «%(t)s» нужно ещё %(n)s отметка «%(t)s»",
                    "для «%(t)s» нужно ещё %(n)s отметок «%(t)s»",
                    n,
                )
                % {"t": target, "n": n}
            )
    return lines


def _count(qs):
    counted = qs.order_by().values("pupil_id").annotate(c=Count("pk")).values("c")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _subjects_query(pupil, start, end, period, classes: int, kind, show_marks: bool, **class_ids):
    """The pupil's journals in the classes `class_ids` over [start, end] with his absences,
    lates, period mark and (`show_marks`) marks: one row a journal."""
    in_period = {"lesson__date__gte": start, "lesson__date__lte": end}
    groups = GroupMembership.objects.overlapping(start, end).group_ids(pupil)
    absences = Attendance.objects.filter(pupil_id=pupil, lesson__assignment=OuterRef("pk"), **in_period)
    qs = (
        TeachingAssignment.objects.filter(school_class_id__in=[class_ids[f"class{i}"] for i in range(classes)])
        .filter(Q(group__isnull=True) | Q(group_id__in=groups))
        .select_related("subject", "teacher")
        .annotate(
            absences=_count(absences.exclude(code=Attendance.Code.LATE)),
            lates=_count(absences.filter(code=Attendance.Code.LATE)),
            period_mark=Subquery(
                PeriodMark.objects.filter(
                    pupil_id=pupil, subject_id=OuterRef("subject_id"), period_id=period, kind=kind
                ).values("value")[:1]
            ),
        )
        .order_by("subject__order", "subject__name", "pk")
    )
    if show_marks:
        qs = qs.annotate(
            marks_json=ArraySubquery(
                Mark.objects.filter(
                    pupil_id=pupil,
                    assessment__lesson__assignment=OuterRef("pk"),
                    assessment__lesson__date__gte=start,
                    assessment__lesson__date__lte=end,
                )
                .order_by("assessment__lesson__date", "assessment__lesson__bell__number", "assessment__position")
                .values(
                    j=JSONObject(
                        value="value",
                        date="assessment__lesson__date",
                        work_type="assessment__work_type__name",
                        weight="assessment__weight",
                        lesson_id="assessment__lesson_id",
                    )
                )
            )
        )
    return qs


def subject_rows(pupil, enrollments, period, show_marks=True) -> list[SubjectRow]:
    """One row per subject the pupil studies in `period`."""
    spans = overlapping(enrollments, period.start, period.end)
    if not spans:
        return []
    kind = PeriodMark.Kind.YEAR if period.scheme == StudyPeriod.Scheme.YEAR else PeriodMark.Kind.PERIOD
    values = {"pupil": pupil.pk, "start": period.start, "end": period.end, "period": period.pk}
    values.update({f"class{i}": e.school_class_id for i, e in enumerate(spans)})
    # Compiled once per process (ejournal/prepared.py): the marks page's main query.
    build = partial(_subjects_query, classes=len(spans), kind=kind, show_marks=show_marks)
    found = prepared.objects(("diary.subjects", len(spans), kind, show_marks), build, **values)
    rows: dict[int, SubjectRow] = {}
    for a in found:
        row = rows.setdefault(a.subject_id, SubjectRow(subject=a.subject))
        if a.teacher not in row.teachers:
            row.teachers.append(a.teacher)
        row.absences += a.absences
        row.lates += a.lates
        row.period_mark = row.period_mark or (a.period_mark or "")
        for m in getattr(a, "marks_json", None) or []:
            row.marks.append(
                SubjectMark(
                    value=m["value"],
                    date=date.fromisoformat(m["date"]),
                    work_type=m["work_type"],
                    weight=Decimal(str(m["weight"])),
                    lesson_id=m["lesson_id"],
                )
            )
    school = spans[-1].school_class.year.school
    for row in rows.values():
        if not show_marks:
            row.period_mark = ""
            continue
        row.marks.sort(key=lambda m: m.date)
        pairs = [(m.value, m.weight) for m in row.marks]
        row.average = weighted_average(pairs)
        row.suggested = suggested_mark(row.average)
        if not row.period_mark and row.subject.assessment == row.subject.Assessment.NUMERIC:
            row.forecast = forecast_words(pairs, row.suggested, school.min_marks)
    return list(rows.values())


@dataclass
class YearMarks:
    """A subject's marks of the whole year: «Год», «Экзамен», «Итоговая» (docs/DESIGN.md §1.5)."""

    subject: object
    year: str = ""
    exam: str = ""
    final: str = ""


def year_marks(pupil, year_period) -> list[YearMarks]:
    """The pupil's year, exam and final marks of `year_period`, a subject a row in the
    subjects' order, shown the moment they are set (one query)."""
    kinds = {PeriodMark.Kind.YEAR: "year", PeriodMark.Kind.EXAM: "exam", PeriodMark.Kind.FINAL: "final"}
    rows: dict[int, YearMarks] = {}
    qs = (
        PeriodMark.objects.filter(pupil_id=pupil.pk, period_id=year_period.pk, kind__in=list(kinds))
        .select_related("subject")
        .order_by("subject__order", "subject__name", "kind")
    )
    for pm in qs:
        row = rows.setdefault(pm.subject_id, YearMarks(subject=pm.subject))
        setattr(row, kinds[pm.kind], pm.value)
    return list(rows.values())


@dataclass
class Progress:
    pupil: object
    periods: list
    period: object
    rows: list
    school_class: object
    show_marks: bool
    year: object = None  # the school year shown (a past one stays readable: docs/DESIGN.md §4.6)
    years: list = field(default_factory=list)  # the years the pupil was enrolled in, newest first
    year_marks: list = field(default_factory=list)
    has_exams: bool = False

    @property
    def total_absences(self):
        return sum(r.absences for r in self.rows)

    @property
    def total_lates(self):
        return sum(r.lates for r in self.rows)


def pupil_years(enrollments) -> list:
    """The school years of the loaded enrollments, newest first (the diary's year selector)."""
    years = {e.school_class.year_id: e.school_class.year for e in enrollments}
    return sorted(years.values(), key=lambda y: y.start, reverse=True)


def build_progress(pupil, enrollments, period_id=None, today=None, year=None) -> Progress | None:
    """The marks page; `year` (already resolved for the user) shows a past year, with the
    class the pupil was in then, as on its last day."""
    today = today or timezone.localdate()
    years = pupil_years(enrollments)
    if year is not None:
        enrollments = [e for e in enrollments if e.school_class.year_id == year.pk]
        today = min(max(today, year.start), year.end)
    current = enrollment_on(enrollments, today)
    if current is None:
        return None
    period = choose_period(current.periods, period_id, today)
    klass = current.school_class
    show = has_marks(klass)
    rows = subject_rows(pupil, enrollments, period, show) if period else []
    whole = next((p for p in current.periods if p.scheme == StudyPeriod.Scheme.YEAR), None)
    return Progress(
        pupil=pupil,
        periods=current.periods,
        period=period,
        rows=rows,
        school_class=klass,
        show_marks=show,
        year=klass.year,
        years=years,
        year_marks=year_marks(pupil, whole) if show and whole else [],
        has_exams=rules.has_exams(klass),
    )
