"""Helpers shared by the journal's views: a role check for pages without an object, a day from the URL."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from ejournal import params

from ..services.errors import ServiceError


def staff_required(allowed):
    """Role-only pages (no object in the URL): `allowed(user)` is a named predicate of
    journal.access; a wrong role is told so (403)."""

    def deco(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return deco


def service_error_text(exc: ServiceError) -> str:
    return exc.message


def parse_day(text):
    """A day in the path (YYYY-MM-DD, 1900–2100), else 404: docs/DESIGN.md §3.24."""
    return params.date_or_404(text)
