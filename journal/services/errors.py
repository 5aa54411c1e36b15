class ServiceError(Exception):
    """A rule said no. `message` is shown to the user as is (Russian)."""

    def __init__(self, message, *, code="invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class NotAllowed(ServiceError):
    def __init__(self, message="Недостаточно прав для этого действия.", *, code="forbidden"):
        super().__init__(message, code=code)


class Conflict(ServiceError):
    """Someone else changed the record since the user loaded it; nothing was written."""

    def __init__(self, message, *, current_value=None, current_version=0):
        super().__init__(message, code="conflict")
        self.current_value = current_value
        self.current_version = current_version
