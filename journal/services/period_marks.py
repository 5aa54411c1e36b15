"""Period, year, exam and final marks (docs/DESIGN.md §3.6).

Set by the journal's teacher or by the class teacher (for every subject of the
class), only in the period's window: its last week up to its deadline. Exam and final
marks have a longer window, up to the year's exam marks deadline (30 June by default):
the exams of grades 9 and 11 are held in June, after the year ends. Outside the
window a period mark is changed only by the deputy through a correction request
(объяснительная); that service calls `write_period_mark` inside its own transaction.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from .. import access, rules
from ..averages import suggested_mark, weighted_average
from ..models import Enrollment, PeriodMark, StudyPeriod, TeachingAssignment
from .errors import Conflict, NotAllowed, ServiceError, YearClosed

# What a teacher may type for a special value (any keyboard layout), mapped to the stored value.
ALIASES = {  # i18n: data
    "на": "н/а",
    "н\\а": "н/а",
    "n/a": "н/а",
    "na": "н/а",
    "осв.": "осв",
    "osv": "осв",
    "зачёт": "зач",
    "зачет": "зач",
    "zach": "зач",
    "незачёт": "незач",
    "незачет": "незач",
}


allowed_values = rules.period_mark_values


def normalize(value) -> str:
    v = (value or "").strip().lower().replace(" ", "")
    return ALIASES.get(v, v)


# The windows are rules of the regulation: journal.rules.
window = rules.period_marks_window
in_window = rules.period_marks_open


def year_mark_suggestion(values) -> int | None:
    """The year mark the period marks suggest: their plain average by the same boundaries."""
    return suggested_mark(weighted_average((v, 1) for v in values))


def _state(pm: PeriodMark) -> dict:
    return {
        "pupil": pm.pupil_id,
        "subject": pm.subject_id,
        "period": pm.period_id,
        "kind": pm.kind,
        "value": pm.value,
        "version": pm.version,
    }


def _conflict(existing):
    if existing is None:
        msg = _("Итоговую отметку уже удалил другой пользователь. Проверьте и решите, что оставить.")
        return Conflict(msg, current_value=None, current_version=0)
    return Conflict(
        _("Пока вы работали, здесь уже выставили «%(value)s». Проверьте и решите, что оставить.")
        % {"value": existing.value},
        current_value=existing.value,
        current_version=existing.version,
    )


def _check_kind(kind, period: StudyPeriod, assignment: TeachingAssignment):
    if kind not in PeriodMark.Kind.values:
        raise ServiceError(_("Неизвестный вид итоговой отметки."), code="bad_kind")
    klass = assignment.school_class
    if period.year_id != klass.year_id:
        raise ServiceError(_("Период относится к другому учебному году."), code="bad_period")
    if kind == PeriodMark.Kind.PERIOD and period.scheme != klass.period_scheme:
        raise ServiceError(
            _("Класс %(class)s учится по периодам «%(scheme)s».")
            % {"class": klass, "scheme": klass.get_period_scheme_display()},
            code="bad_period",
        )
    if kind != PeriodMark.Kind.PERIOD and period.scheme != StudyPeriod.Scheme.YEAR:
        raise ServiceError(_("Годовая, экзаменационная и итоговая отметки ставятся за учебный год."), code="bad_period")


def check_pupil_in_period(pupil_id, assignment: TeachingAssignment, period: StudyPeriod):
    enrolled = Enrollment.objects.filter(pupil_id=pupil_id, school_class_id=assignment.school_class_id)
    if not enrolled.overlapping(period.start, period.end).exists():
        raise ServiceError(_("Ученик не числится в классе в этом периоде."), code="not_enrolled")
    if (
        assignment.group_id
        and not Enrollment.objects.of_journal(assignment, period.start, period.end)
        .overlapping(period.start, period.end)
        .filter(pupil_id=pupil_id)
        .exists()
    ):
        raise ServiceError(_("Ученик не входит в группу этого журнала."), code="not_in_group")


def _load(assignment_id, period_id):
    assignment = TeachingAssignment.objects.select_related("school_class__year__school", "subject").get(
        pk=assignment_id
    )
    period = StudyPeriod.objects.get(pk=period_id)
    return assignment, period, assignment.school_class.year.school


def _check_common(actor, assignment, period, kind, now):
    if not access.can_set_period_marks(actor, assignment):
        raise NotAllowed()
    if assignment.school_class.year.is_closed:  # docs/DESIGN.md §3.25
        raise YearClosed(year=assignment.school_class.year.name)
    _check_kind(kind, period, assignment)
    school = assignment.school_class.year.school
    if not rules.marks_allowed(assignment.school_class, school):
        raise ServiceError(_("В 1 классе отметки не выставляются."), code="no_marks_grade")
    year = assignment.school_class.year
    if not in_window(period, now, kind, year):
        first, last = window(period, kind, year)
        dates = {"first": f"{first:%d.%m.%Y}", "last": f"{last:%d.%m.%Y}"}
        if rules.is_exam_kind(kind):
            msg = _(
                "Экзаменационные и итоговые отметки выставляются с %(first)s по %(last)s. "
                "Исправить отметку после этого срока может только заместитель директора по объяснительной."
            )
        else:
            msg = _(
                "Итоговые отметки выставляются с %(first)s по %(last)s. "
                "Исправить отметку после этого срока может только заместитель директора по объяснительной."
            )
        raise ServiceError(msg % dates, code="window_closed")


def set_period_mark(
    actor, *, assignment_id, pupil_id, period_id, value, kind=PeriodMark.Kind.PERIOD, expected_version=None, now=None
) -> PeriodMark:
    now = now or timezone.now()
    value = normalize(value)
    with audit.chain(actor.school_id):
        assignment, period, school = _load(assignment_id, period_id)
        _check_common(actor, assignment, period, kind, now)
        allowed = allowed_values(assignment.subject, school)
        if value not in allowed:
            raise ServiceError(
                _("Недопустимая итоговая отметка «%(value)s». Можно: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(allowed)},
                code="bad_value",
            )
        check_pupil_in_period(pupil_id, assignment, period)
        existing = (
            PeriodMark.objects.select_for_update()
            .filter(pupil_id=pupil_id, subject_id=assignment.subject_id, period=period, kind=kind)
            .first()
        )
        if expected_version is not None and (existing.version if existing else 0) != expected_version:
            raise _conflict(existing)
        return write_period_mark(actor, assignment=assignment, pupil_id=pupil_id, period=period, kind=kind,
                                 value=value, existing=existing, school=school)  # fmt: skip


def write_period_mark(actor, *, assignment, pupil_id, period, kind, value, existing=None, school=None, reason=""):
    """Write and audit, no rule checks: for set_period_mark and for an approved correction request.

    Must run inside the caller's transaction, with `existing` locked (select_for_update) if given.
    """
    school = school or assignment.school_class.year.school
    if existing is None:
        pm = PeriodMark(
            pupil_id=pupil_id,
            assignment=assignment,
            subject_id=assignment.subject_id,
            kind=kind,
            period=period,
            value=value,
            set_by=actor,
        )
        try:
            with transaction.atomic():
                pm.save(force_insert=True)
        except IntegrityError:
            current = PeriodMark.objects.get(
                pupil_id=pupil_id, subject_id=assignment.subject_id, period=period, kind=kind
            )
            raise _conflict(current) from None
        audit.record(actor=actor, action="period_mark.create", obj=pm, school=school, after=_state(pm), reason=reason)
        return pm
    if existing.value == value:
        return existing
    before = _state(existing)
    existing.value, existing.set_by, existing.assignment = value, actor, assignment
    existing.version += 1
    existing.save(update_fields=["value", "set_by", "assignment", "version", "set_at"])
    audit.record(
        actor=actor,
        action="period_mark.update",
        obj=existing,
        school=school,
        before=before,
        after=_state(existing),
        reason=reason,
    )
    return existing


def clear_period_mark(
    actor, *, assignment_id, pupil_id, period_id, kind=PeriodMark.Kind.PERIOD, expected_version=None, now=None
) -> None:
    now = now or timezone.now()
    with audit.chain(actor.school_id):
        assignment, period, school = _load(assignment_id, period_id)
        _check_common(actor, assignment, period, kind, now)
        existing = (
            PeriodMark.objects.select_for_update()
            .filter(pupil_id=pupil_id, subject_id=assignment.subject_id, period=period, kind=kind)
            .first()
        )
        if expected_version is not None and (existing.version if existing else 0) != expected_version:
            raise _conflict(existing)
        if existing is None:
            return
        before = _state(existing)
        pk = existing.pk
        existing.delete()
        audit.record(
            actor=actor,
            action="period_mark.delete",
            object_type="journal.periodmark",
            object_id=pk,
            school=school,
            before=before,
        )
