"""Free text the journal's services take, within its limits (docs/DESIGN.md §3.24).

Forms refuse longer text first; the services check again, because the temporary
journal and the thematic plan import bring text from a file, not from a form."""

from ejournal import params

from .errors import ServiceError

REASON_MAX = 500  # why a mark, attendance or a work is changed; an unlock; a revoked substitution


def clean_text(text, *, max_length, field) -> str:
    """`text` stripped, or ServiceError (code "bad_text") for a NUL or an overlong text."""
    try:
        return params.parse_text(text, max_length=max_length, field=field)
    except params.BadValue as exc:
        raise ServiceError(exc.message, code="bad_text") from None
