"""Helpers shared by the journal's views: a role check for pages without an object, a day from the URL."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

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
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Http404 from None
