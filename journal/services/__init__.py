"""State changes of the journal. Each public function runs in one transaction:
check permission, validate, write, audit."""

from .entries import clear_attendance, clear_mark, set_attendance, set_mark
from .errors import Conflict, NotAllowed, ServiceError

__all__ = [
    "Conflict",
    "NotAllowed",
    "ServiceError",
    "clear_attendance",
    "clear_mark",
    "set_attendance",
    "set_mark",
]

# --- deadline control (issue 7) ---
from .roll import confirm_attendance  # noqa: E402

__all__ += ["confirm_attendance"]
