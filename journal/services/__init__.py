"""State changes of the journal. Each public function runs in one transaction:
check permission, validate, write, audit."""

from .entries import clear_attendance, clear_mark, set_attendance, set_mark
from .errors import Conflict, NotAllowed, ServiceError, YearClosed
from .lessons import (
    PupilNotesError,
    add_assessment,
    change_assessment,
    ensure_default_assessment,
    remove_assessment,
    save_pupil_notes,
    set_comment,
    set_homework,
    set_individual_homework,
    set_lesson_mark,
    set_topic,
)
from .period_marks import clear_period_mark, set_period_mark, write_period_mark

__all__ = [
    "Conflict",
    "NotAllowed",
    "PupilNotesError",
    "ServiceError",
    "YearClosed",
    "add_assessment",
    "change_assessment",
    "clear_attendance",
    "clear_mark",
    "clear_period_mark",
    "ensure_default_assessment",
    "remove_assessment",
    "save_pupil_notes",
    "set_attendance",
    "set_comment",
    "set_homework",
    "set_individual_homework",
    "set_lesson_mark",
    "set_mark",
    "set_period_mark",
    "set_topic",
    "write_period_mark",
]

# --- deadline control (issue 7) ---
from .roll import confirm_attendance  # noqa: E402

__all__ += ["confirm_attendance"]

# --- the lesson page (issue 14) ---
from .attendance import ColumnConflict, ColumnResult, save_attendance_column  # noqa: E402
from .plans import next_plan_item, set_topic_from_plan  # noqa: E402

__all__ += ["ColumnConflict", "ColumnResult", "next_plan_item", "save_attendance_column", "set_topic_from_plan"]
