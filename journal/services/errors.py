"""The journal services' refusals: ejournal.errors.ServiceError with a code."""

from ejournal.errors import ServiceError

__all__ = ["Conflict", "NotAllowed", "ServiceError"]


class NotAllowed(ServiceError):
    """The actor has no right to this change (views answer 403 or hide the control)."""

    default_code = "forbidden"


class Conflict(ServiceError):
    """Someone else changed the record since the user loaded it; nothing was written."""

    default_code = "conflict"

    def __init__(self, message=None, *, current_value=None, current_version=0):
        super().__init__(message, code="conflict")
        self.current_value = current_value
        self.current_version = current_version
