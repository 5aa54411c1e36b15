from django.utils.translation import gettext


class ServiceError(Exception):
    """A rule said no. `message` is shown to the user as is (already translated)."""

    def __init__(self, message, *, code="invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class NotAllowed(ServiceError):
    def __init__(self, message=None, *, code="forbidden"):
        super().__init__(message or gettext("Недостаточно прав для этого действия."), code=code)


class Conflict(ServiceError):
    """Someone else changed the record since the user loaded it; nothing was written."""

    def __init__(self, message, *, current_value=None, current_version=0):
        super().__init__(message, code="conflict")
        self.current_value = current_value
        self.current_version = current_version
