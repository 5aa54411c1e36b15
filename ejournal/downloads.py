"""The one way a view answers with a document: PDF or XLSX (docs/DESIGN.md §4).

File names carry Russian class names («8А»), so the Content-Disposition header is
built by RFC 6266: an ASCII `filename="…"` (transliterated) for old clients and
`filename*=UTF-8''…` (RFC 5987 percent-encoding) with the real name. The header
itself stays ASCII, whatever the name.
"""

import re
from pathlib import PurePath
from urllib.parse import quote

from django.http import FileResponse, HttpResponse

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {".pdf": PDF, ".xlsx": XLSX}

# What may stand in a quoted ASCII file name without escaping or surprising a browser.
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._()\- ]")


def ascii_fallback(filename: str) -> str:
    """The file name in ASCII: Cyrillic transliterated, anything else unsafe as «_»."""
    import iuliia

    stem, suffix = PurePath(filename).stem, PurePath(filename).suffix
    latin = iuliia.ICAO_DOC_9303.translate(stem)
    latin = _UNSAFE_ASCII.sub("_", latin).strip(" ._") or "document"
    return latin + _UNSAFE_ASCII.sub("_", suffix)


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="…"[; filename*=UTF-8''…]` (or `inline; …`)."""
    kind = "inline" if inline else "attachment"
    fallback = ascii_fallback(filename)
    if fallback == filename:
        return f'{kind}; filename="{filename}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def in_print_language():
    """Printed documents (PDF, XLSX) are in Russian whatever the browser asks for
    (docs/DESIGN.md §4.5, §5.5): wrap the build and the render of a document in this."""
    from django.conf import settings
    from django.utils import translation

    return translation.override(settings.LANGUAGE_CODE)


def file_response(content, filename: str, *, inline: bool = False, private: bool = False, content_type=None):
    """A PDF or XLSX answer. `content`: bytes, or an open binary file (streamed).

    `inline` opens it in the browser (printing) instead of saving; `private` forbids
    caches from keeping it (a credential slip carries a password)."""
    content_type = content_type or CONTENT_TYPES.get(PurePath(filename).suffix.lower(), "application/octet-stream")
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    if private:
        # (ejournal.middleware.PrivateCacheMiddleware sends the same on every file anyway)
        response["Cache-Control"] = "no-store, private"
    return response
