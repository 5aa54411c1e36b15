"""The school's calendar, set up by the administrator (issue 15 point 5; docs/DESIGN.md
§2.1): the academic year, its study periods (quarters, halves, trimesters, the year) and
its holidays. See setup_common for what every function here does; the lessons follow
each save through the model signal (journal/signals.py: lesson_sync on commit).
"""

from datetime import timedelta

from django.utils.translation import gettext as _

from accounts import audit

from ..models import AcademicYear, Holidays, PeriodMark, StudyPeriod
from . import setup_common as C
from .errors import ServiceError

YEAR_FIELDS = ["name", "start", "end", "exam_marks_deadline"]
PERIOD_FIELDS = ["year", "scheme", "number", "start", "end", "marks_deadline"]
HOLIDAY_FIELDS = ["year", "name", "start", "end", "grades"]
# How many periods of each kind a year holds (docs/DESIGN.md §2.1).
PERIODS_OF = {
    StudyPeriod.Scheme.QUARTER: 4,
    StudyPeriod.Scheme.TRIMESTER: 3,
    StudyPeriod.Scheme.HALF: 2,
    StudyPeriod.Scheme.YEAR: 1,
}
# The exam marks deadline lies after the year's end, within the summer (30 June by default).
EXAM_DEADLINE_DAYS = 92


# --- the academic year --------------------------------------------------------------------


def _check_year(school_id, name, start, end, exam_deadline, pk=None) -> str:
    name = C.text(name, label=_("название учебного года"), limit=20)
    if start is None or end is None:
        raise ServiceError(_("Укажите начало и окончание учебного года."), code="bad_dates")
    if end <= start:
        raise ServiceError(_("Окончание учебного года должно быть позже его начала."), code="bad_dates")
    if end - start > timedelta(days=400):
        raise ServiceError(_("Учебный год не может быть длиннее года."), code="bad_dates")
    others = AcademicYear.objects.filter(school_id=school_id).exclude(pk=pk)
    if others.filter(name__iexact=name).exists():
        raise ServiceError(_("Учебный год «%(name)s» уже есть.") % {"name": name}, code="duplicate")
    clash = others.overlapping(start, end).order_by("start").first()
    if clash is not None:
        raise ServiceError(
            _("Учебный год пересекается с годом %(name)s (%(span)s): учебные годы школы не пересекаются.")
            % {"name": clash.name, "span": C.span(clash.start, clash.end)},
            code="overlap",
        )
    if exam_deadline is not None and not (end <= exam_deadline <= end + timedelta(days=EXAM_DEADLINE_DAYS)):
        raise ServiceError(
            _("Крайний срок экзаменационных отметок — не раньше окончания года и не позже %(day)s.")
            % {"day": C.d(end + timedelta(days=EXAM_DEADLINE_DAYS))},
            code="bad_dates",
        )
    return name


def create_year(actor, *, name, start, end, exam_marks_deadline=None, now=None) -> AcademicYear:
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        name = _check_year(actor.school_id, name, start, end, exam_marks_deadline)
        year = C.create(
            actor,
            AcademicYear(
                school_id=actor.school_id, name=name, start=start, end=end, exam_marks_deadline=exam_marks_deadline
            ),
            action="setup.year_create",
            fields=YEAR_FIELDS,
        )
        return year


def _locked(actor, model, pk, path="school_id"):
    obj = model.objects.select_for_update(of=("self",)).filter(pk=pk, **{path: actor.school_id}).first()
    if obj is None:
        raise ServiceError(_("Запись не найдена."), code="not_found")
    return obj


def _open(year: AcademicYear):
    if year.is_closed:
        raise ServiceError(_("Учебный год %(name)s закрыт: его не меняют.") % {"name": year.name}, code="closed")


def change_year(actor, *, year_id, name, start, end, exam_marks_deadline=None, now=None) -> AcademicYear:
    """New name or dates of a year; its periods and holidays must stay inside it."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        year = _locked(actor, AcademicYear, year_id)
        _open(year)
        name = _check_year(actor.school_id, name, start, end, exam_marks_deadline, pk=year.pk)
        for row in (*year.periods.order_by("start"), *year.holidays.order_by("start")):
            if row.start < start or row.end > end:
                raise ServiceError(
                    _("«%(what)s» (%(span)s) выйдет за пределы года: сначала измените или удалите его.")
                    % {"what": row.name if isinstance(row, Holidays) else row, "span": C.span(row.start, row.end)},
                    code="outside_year",
                )
        C.change(
            actor,
            year,
            {"name": name, "start": start, "end": end, "exam_marks_deadline": exam_marks_deadline},
            action="setup.year_change",
            fields=YEAR_FIELDS,
        )
        return year


def delete_year(actor, *, year_id, now=None):
    """A year without classes goes, with its periods and holidays."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        year = _locked(actor, AcademicYear, year_id)
        classes = [str(k) for k in year.classes.order_by("grade", "letter")[:5]]
        if classes:
            raise ServiceError(
                _("В учебном году %(name)s есть классы (%(classes)s): удалить его нельзя.")
                % {"name": year.name, "classes": ", ".join(classes)},
                code="in_use",
            )
        C.delete(
            actor, year, action="setup.year_delete", before=C.state(year, YEAR_FIELDS),
            refusal=_("На учебный год ссылаются другие записи: удалить его нельзя."),
        )  # fmt: skip


# --- study periods -----------------------------------------------------------------------


def _check_period(year, scheme, number, start, end, marks_deadline, pk=None):
    _open(year)
    if scheme not in PERIODS_OF:
        raise ServiceError(_("Выберите вид периода."), code="bad_scheme")
    most = PERIODS_OF[scheme]
    if number is None or not 1 <= number <= most:
        raise ServiceError(
            _("Номер периода вида «%(scheme)s» — от 1 до %(max)s.")
            % {"scheme": StudyPeriod.Scheme(scheme).label, "max": most},
            code="bad_number",
        )
    if start is None or end is None:
        raise ServiceError(_("Укажите начало и окончание периода."), code="bad_dates")
    if end < start:
        raise ServiceError(_("Окончание периода не может быть раньше его начала."), code="bad_dates")
    if start < year.start or end > year.end:
        raise ServiceError(
            _("Период должен лежать в пределах учебного года %(name)s (%(span)s).")
            % {"name": year.name, "span": C.span(year.start, year.end)},
            code="outside_year",
        )
    if marks_deadline is not None and not start <= marks_deadline <= end + timedelta(days=31):
        raise ServiceError(
            _("Крайний срок итоговых отметок — между началом периода и %(day)s.")
            % {"day": C.d(end + timedelta(days=31))},
            code="bad_dates",
        )
    others = StudyPeriod.objects.filter(year=year, scheme=scheme).exclude(pk=pk)
    same = others.filter(number=number).first()
    if same is not None:
        raise ServiceError(_("%(period)s в этом году уже есть.") % {"period": same}, code="duplicate")
    clash = others.overlapping(start, end).order_by("start").first()
    if clash is not None:
        raise ServiceError(
            _("Период пересекается с периодом «%(period)s» (%(span)s): периоды одного вида не пересекаются.")
            % {"period": clash, "span": C.span(clash.start, clash.end)},
            code="overlap",
        )


def create_period(actor, *, year_id, scheme, number, start, end, marks_deadline=None, now=None) -> StudyPeriod:
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        year = _locked(actor, AcademicYear, year_id)
        _check_period(year, scheme, number, start, end, marks_deadline)
        period = C.create(
            actor,
            StudyPeriod(year=year, scheme=scheme, number=number, start=start, end=end, marks_deadline=marks_deadline),
            action="setup.period_create",
            fields=PERIOD_FIELDS,
        )
        return period


def change_period(actor, *, period_id, number, start, end, marks_deadline=None, now=None) -> StudyPeriod:
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        period = _locked(actor, StudyPeriod, period_id, "year__school_id")
        year = AcademicYear.objects.select_for_update().get(pk=period.year_id)
        _check_period(year, period.scheme, number, start, end, marks_deadline, pk=period.pk)
        C.change(
            actor,
            period,
            {"number": number, "start": start, "end": end, "marks_deadline": marks_deadline},
            action="setup.period_change",
            fields=PERIOD_FIELDS,
        )
        return period


def delete_period(actor, *, period_id, now=None):
    """A period without period marks goes."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        period = _locked(actor, StudyPeriod, period_id, "year__school_id")
        _open(period.year)
        if PeriodMark.objects.filter(period=period).exists():
            raise ServiceError(
                _("За период «%(period)s» уже выставлены итоговые отметки: удалить его нельзя.") % {"period": period},
                code="in_use",
            )
        C.delete(
            actor, period, action="setup.period_delete", before=C.state(period, PERIOD_FIELDS),
            refusal=_("На период ссылаются другие записи (объяснительные, отметки): удалить его нельзя."),
        )  # fmt: skip


# --- holidays ----------------------------------------------------------------------------


def clean_grades(text) -> str:
    """«1» or «1, 2» (grades 1–11) as «1,2»; empty: every grade."""
    text = (text or "").strip()
    if not text:
        return ""
    grades = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not (part.isascii() and part.isdigit() and 1 <= int(part) <= 11):
            raise ServiceError(
                _("Параллели каникул — числа от 1 до 11 через запятую (например «1»), не «%(text)s».")
                % {"text": part[:20]},
                code="bad_grades",
            )
        if int(part) not in grades:
            grades.append(int(part))
    return ",".join(str(g) for g in sorted(grades))


def _shares_grades(a: str, b: str) -> bool:
    if not a or not b:
        return True
    return bool(set(a.split(",")) & set(b.split(",")))


def _check_holidays(year, name, start, end, grades, pk=None):
    _open(year)
    name = C.text(name, label=_("название каникул"), limit=100)
    grades = clean_grades(grades)
    if start is None or end is None:
        raise ServiceError(_("Укажите начало и окончание каникул."), code="bad_dates")
    if end < start:
        raise ServiceError(_("Окончание каникул не может быть раньше их начала."), code="bad_dates")
    if start < year.start or end > year.end:
        raise ServiceError(
            _("Каникулы должны лежать в пределах учебного года %(name)s (%(span)s).")
            % {"name": year.name, "span": C.span(year.start, year.end)},
            code="outside_year",
        )
    for other in year.holidays.exclude(pk=pk).filter(start__lte=end, end__gte=start).order_by("start"):
        if _shares_grades(grades, other.grades):
            raise ServiceError(
                _("Каникулы пересекаются с каникулами «%(name)s» (%(span)s).")
                % {"name": other.name, "span": C.span(other.start, other.end)},
                code="overlap",
            )
    return name, grades


def create_holidays(actor, *, year_id, name, start, end, grades="", now=None) -> Holidays:
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        year = _locked(actor, AcademicYear, year_id)
        name, grades = _check_holidays(year, name, start, end, grades)
        holidays = C.create(
            actor,
            Holidays(year=year, name=name, start=start, end=end, grades=grades),
            action="setup.holidays_create",
            fields=HOLIDAY_FIELDS,
        )
        return holidays


def change_holidays(actor, *, holidays_id, name, start, end, grades="", now=None) -> Holidays:
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        holidays = _locked(actor, Holidays, holidays_id, "year__school_id")
        year = AcademicYear.objects.select_for_update().get(pk=holidays.year_id)
        name, grades = _check_holidays(year, name, start, end, grades, pk=holidays.pk)
        C.change(
            actor,
            holidays,
            {"name": name, "start": start, "end": end, "grades": grades},
            action="setup.holidays_change",
            fields=HOLIDAY_FIELDS,
        )
        return holidays


def delete_holidays(actor, *, holidays_id, now=None):
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        holidays = _locked(actor, Holidays, holidays_id, "year__school_id")
        _open(holidays.year)
        C.delete(
            actor, holidays, action="setup.holidays_delete", before=C.state(holidays, HOLIDAY_FIELDS),
            refusal=_("На каникулы ссылаются другие записи: удалить их нельзя."),
        )  # fmt: skip
