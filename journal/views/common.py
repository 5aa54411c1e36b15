"""Helpers shared by the journal's views: a role check for pages without an object, a day from the URL."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ..services.errors import ServiceError


def staff_required(*roles):
    """Role-only pages (no object in the URL): a wrong role is told so (403)."""
    from .. import access

    def deco(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not access.has_role(request.user, *roles):
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
