"""What the class-list and staff-list imports share: the preview of checked rows and the
signed token that carries them to the confirmation (nothing is stored before it)."""

from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from .errors import ServiceError

TOKEN_MAX_AGE = 3600  # a preview left open longer is checked again from the file


@dataclass
class CheckedRows:
    """The rows of an uploaded file, each with `number` and its `errors`."""

    rows: list

    @property
    def errors(self) -> list[str]:
        return [
            _("Строка %(n)s: %(problems)s.") % {"n": r.number, "problems": "; ".join(r.errors)}
            for r in self.rows
            if r.errors
        ]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(r.errors for r in self.rows)


def sign(payload, salt: str) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def unsign(token: str, salt: str):
    try:
        return signing.loads(token, salt=salt, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise ServiceError(
            _("Проверка файла устарела или повреждена: загрузите файл ещё раз."), code="bad_token"
        ) from None
