"""Helpers shared by the journal's views: a role check for pages without an object, a day
from the URL, the POST of a form page that calls one service."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

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


def form_page(request, form, template, context, act):
    """A page whose form calls one service: on a valid POST `act(cleaned_data)` runs it and
    returns where to go next; a refusal (ServiceError) or a bad form shows the page again
    with the message and what was typed (422)."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                return redirect(act(form.cleaned_data))
            except ServiceError as e:
                form.add_error(None, e.message)
        status = 422
    return render(request, template, {"form": form, **context}, status=status)


def pk_or_none(obj):
    """The pk of an optional choice of a form (a room may be left empty)."""
    return obj.pk if obj is not None else None
