"""The one base of the services' refusals (docs/DESIGN.md §5: state changes go through
service functions that check permission and validate).

A service that says no raises a ServiceError (or a subclass of its app) with a stable
`code`, and the view shows `message` and branches on `code`, never on the text. Like
pretix's OrderError, a class may keep a catalogue of translatable messages by code,
`error_messages`, merged along the class hierarchy:

    class AccountError(ServiceError):
        error_messages = {"bad_email": _("Неверный адрес e-mail «%(email)s».")}

    raise AccountError(code="bad_email", email=value)

The catalogue text is translated when the message is read (the user's language, not
the one active when it was raised) and `%(name)s` is filled from the keyword arguments.
A call site may still pass its own text: `ServiceError("…", code="locked")`.
"""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A rule said no: `code` for the code, `message` for the user."""

    default_code = "invalid"
    error_messages = {
        "invalid": _("Действие не выполнено: данные не прошли проверку."),
        "forbidden": _("Недостаточно прав для этого действия."),
        "conflict": _("Запись уже изменил другой пользователь."),
    }

    def __init__(self, message=None, *, code=None, **params):
        self.code = code or self.default_code
        self.params = params
        self._text = message
        super().__init__(message if message is not None else self.code)

    @classmethod
    def catalogue(cls) -> dict:
        """`error_messages` of the class and its bases, the nearest class winning."""
        merged: dict = {}
        for klass in reversed(cls.__mro__):
            merged.update(getattr(klass, "error_messages", None) or {})
        return merged

    @property
    def message(self) -> str:
        if self._text is not None:
            return str(self._text)
        text = self.catalogue().get(self.code) or self.catalogue()[ServiceError.default_code]
        return str(text) % self.params if self.params else str(text)

    def __str__(self):
        return self.message
