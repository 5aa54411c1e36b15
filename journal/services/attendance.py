"""A lesson's whole attendance column in one transaction: «все присутствуют» and the
absent ones, as the teacher takes the roll (docs/DESIGN.md §3.2, §3.18).

One request, one transaction, one audit row per changed cell. Locks are taken in the
one global order of the journal's writers: the school's audit chain first
(`audit.chain`), then the rows (the lesson's attendance rows, by pupil).
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from .. import rules
from ..models import Attendance, AttendanceRoll, Enrollment
from .entries import _attendance_state, _load_lesson, _school, check_lesson_writable
from .errors import Conflict, ServiceError

CODES = set(Attendance.Code.values)


def roster_ids(lesson) -> set[int]:
    """The pupils of the lesson's class (and group) on its day. One query."""
    return set(Enrollment.objects.roster(lesson.assignment, lesson.date).values_list("pupil_id", flat=True))


class ColumnConflict(Conflict):
    """Someone else changed some of the column's cells since the teacher opened the page;
    nothing was written. `theirs`: {pupil_id: (code, version)} as saved now ("" present)."""

    def __init__(self, theirs: dict):
        super().__init__(
            _(
                "Пока вы работали, посещаемость части учеников изменили. Их отметки показаны такими, "
                "как они сохранены сейчас: проверьте и сохраните ещё раз."
            )
        )
        self.theirs = theirs


@dataclass
class ColumnResult:
    changed: int = 0
    roll_taken: bool = False  # this save confirmed the roll («посещаемость отмечена»)
    rows: dict = field(default_factory=dict)  # {pupil_id: Attendance} after the save


def save_attendance_column(actor, *, lesson_id, codes: dict, versions: dict | None = None, now=None) -> ColumnResult:
    """Save the attendance of many pupils of one lesson at once, all or nothing.

    `codes`: {pupil_id: code}, "" meaning present (no row, docs/DESIGN.md §3.18); pupils
    left out keep what they have. `versions`: {pupil_id: the version the teacher saw} (0
    for an empty cell); a cell changed by someone else meanwhile refuses the whole
    column (ColumnConflict) unless the teacher's value equals the saved one. When the
    column covers the whole roster the roll counts as taken (AttendanceRoll).
    """
    now = now or timezone.now()
    codes = {int(p): (c or "").strip().lower() for p, c in codes.items()}
    if any(c and c not in CODES for c in codes.values()):
        raise ServiceError(_("Недопустимая отметка посещаемости. Можно: Н, Б, УП, НП, ОП."), code="bad_value")
    versions = versions or {}
    with audit.chain(actor.school_id):  # the chain lock first, then the rows: the writers' one lock order
        lesson = _load_lesson(lesson_id)
        school = _school(lesson)
        check_lesson_writable(actor, lesson, now)
        roster = roster_ids(lesson)
        if set(codes) - roster:
            raise ServiceError(_("Ученик не числится в классе на дату урока."), code="not_enrolled")
        current = {
            a.pupil_id: a
            for a in Attendance.objects.select_for_update().filter(lesson_id=lesson.pk).order_by("pupil_id")
        }
        theirs = {}
        for pupil_id, code in codes.items():
            row = current.get(pupil_id)
            saved_code, saved_version = (row.code, row.version) if row else ("", 0)
            if pupil_id in versions and versions[pupil_id] != saved_version and code != saved_code:
                theirs[pupil_id] = (saved_code, saved_version)
        if theirs:
            raise ColumnConflict(theirs)

        late = now > rules.entry_deadline(lesson, school)
        creates, updates, deletes, events = [], [], [], []
        for pupil_id in sorted(codes):
            code, row = codes[pupil_id], current.get(pupil_id)
            if row is None and code:
                creates.append(Attendance(lesson=lesson, pupil_id=pupil_id, code=code, created_by=actor, is_late=late))
            elif row is not None and not code:
                deletes.append(row)
            elif row is not None and row.code != code:
                before = _attendance_state(row)
                row.code, row.version, row.updated_at = code, row.version + 1, now
                updates.append(row)
                events.append(
                    {"action": "attendance.update", "obj": row, "before": before, "after": _attendance_state(row)}
                )
        if creates:
            Attendance.objects.bulk_create(creates)
            events += [{"action": "attendance.create", "obj": a, "after": _attendance_state(a)} for a in creates]
        if updates:
            Attendance.objects.bulk_update(updates, ["code", "version", "updated_at"])
        if deletes:
            Attendance.objects.filter(pk__in=[a.pk for a in deletes]).delete()
            events += [
                {
                    "action": "attendance.delete",
                    "object_type": "journal.attendance",
                    "object_id": a.pk,
                    "before": _attendance_state(a),
                }
                for a in deletes
            ]
        result = ColumnResult(changed=len(creates) + len(updates) + len(deletes))
        if roster and roster <= set(codes) and not AttendanceRoll.objects.filter(lesson_id=lesson.pk).exists():
            roll = AttendanceRoll.objects.create(lesson=lesson, taken_by=actor, taken_at=now, is_late=late)
            events.append({"action": "attendance.roll", "obj": roll, "after": {"lesson": lesson.pk, "is_late": late}})
            result.roll_taken = True
        audit.record_many(actor=actor, school=school, events=events)
        for a in deletes:
            current.pop(a.pupil_id, None)
        current.update({a.pupil_id: a for a in creates})
        result.rows = current
        return result
