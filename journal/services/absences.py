"""Absence reasons (УП, НП, Б) set by the class teacher, and when they are overdue.

Deadline (docs/DESIGN.md §3.5): the class teacher sets the reason within
`school.absence_reason_days` working days (Russian production calendar plus the
school's holidays for the pupil's grade).

Start point: the day of the absence. The regulation counts from the day the pupil
brings a document, but the system only learns of the document when the reason is
entered, so the only moment it can count from for a missing reason is the absence
itself; a pupil normally brings the note on returning, and a long illness is first
marked «Б» on the parents' word and the document reference added later. So: due date
= the `absence_reason_days`-th working day after the absence date; a missing reason is
overdue from the next day on; a reason entered after the due date is shown as late.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from .. import rules
from ..calendar import add_working_days, school_holiday_ranges
from ..models import Attendance, Enrollment, SchoolClass
from .errors import NotAllowed, ServiceError

REASON_CODES = rules.reason_codes()
ABSENCE_CODES = rules.absence_codes()


def reason_due_date(absence_date: date, school, holiday_ranges) -> date:
    return add_working_days(absence_date, school.absence_reason_days, holiday_ranges)


def is_overdue(absence_date: date, school, holiday_ranges, today: date) -> bool:
    """A reason not yet set is overdue once its due date has passed."""
    return today > reason_due_date(absence_date, school, holiday_ranges)


@dataclass
class AbsenceRow:
    attendance: Attendance
    due: date
    overdue: bool


def absences_without_reason(school_class: SchoolClass, today: date | None = None) -> list[AbsenceRow]:
    """«Н» marks of the class's pupils (while in this class) with no reason yet, oldest first."""
    today = today or timezone.localdate()
    school = school_class.year.school
    ranges = school_holiday_ranges(school_class.year, school_class.grade)
    qs = (
        Attendance.objects.filter(
            code=Attendance.Code.ABSENT,
            lesson__assignment__school_class=school_class,
            lesson__date__lte=today,
        )
        .select_related("pupil", "lesson__bell", "lesson__assignment__subject")
        .order_by("lesson__date", "pupil__last_name", "pupil__first_name", "lesson__bell__number")
    )
    rows = []
    for att in qs:
        due = reason_due_date(att.lesson.date, school, ranges)
        rows.append(AbsenceRow(att, due, today > due))
    return rows


def _state(att) -> dict:
    return {
        "lesson": att.lesson_id,
        "pupil": att.pupil_id,
        "code": att.code,
        "reason_document": att.reason_document,
        "version": att.version,
    }


def set_reason(
    actor, *, school_class_id, pupil_id, code, document="", date_from=None, date_to=None, attendance_ids=None, now=None
) -> int:
    """Set the reason for one pupil's absences: the given attendance rows, or every
    absence from date_from to date_to (one day when date_to is empty). Returns how many."""
    now = now or timezone.now()
    code = (code or "").strip().lower()
    document = (document or "").strip()
    if code not in REASON_CODES:
        raise ServiceError(
            _("Причина пропуска: УП (уважительная), НП (неуважительная) или Б (болезнь)."), code="bad_code"
        )
    if len(document) > 200:
        raise ServiceError(_("Ссылка на документ длиннее 200 символов."), code="too_long")
    if code in (Attendance.Code.EXCUSED, Attendance.Code.ILL) and not document:
        raise ServiceError(
            _("Для уважительной причины и болезни укажите документ (справка, заявление)."), code="no_doc"
        )
    with audit.chain(actor.school_id):
        klass = SchoolClass.objects.select_related("year__school").get(pk=school_class_id)
        if klass.class_teacher_id != actor.pk:
            raise NotAllowed(_("Причины пропусков указывает классный руководитель."))
        qs = Attendance.objects.select_for_update().filter(
            pupil_id=pupil_id, lesson__assignment__school_class=klass, code__in=ABSENCE_CODES
        )
        if attendance_ids is not None:
            qs = qs.filter(pk__in=attendance_ids)
        elif date_from is not None:
            qs = qs.filter(lesson__date__gte=date_from, lesson__date__lte=date_to or date_from)
        else:
            raise ServiceError(_("Выберите пропуск или дни."), code="no_scope")
        # Only days the pupil was in this class: a transfer keeps the old class's records.
        enrolled = Enrollment.objects.filter(pupil_id=pupil_id, school_class=klass).on(OuterRef("lesson__date"))
        rows = list(qs.filter(Exists(enrolled)))
        if not rows:
            raise ServiceError(_("В выбранные дни у ученика нет пропусков."), code="nothing")
        school = klass.year.school
        for att in rows:
            before = _state(att)
            att.code, att.reason_document = code, document
            att.reason_set_by, att.reason_set_at = actor, now
            att.version += 1
            att.save(
                update_fields=["code", "reason_document", "reason_set_by", "reason_set_at", "version", "updated_at"]
            )
            audit.record(
                actor=actor, action="attendance.reason", obj=att, school=school, before=before, after=_state(att)
            )
        return len(rows)
