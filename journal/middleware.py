"""A write refused by the closed-year triggers becomes a Russian message, never a 500
(docs/DESIGN.md §3.25).

PostgreSQL refuses any change to a closed year's records with SQLSTATE EJ001
(journal/migrations/0011_year_closure.py), whoever writes: a service that did not say
so first, the Django admin site, a form. The transaction is already rolled back when the
error leaves the view; this answers with `YearClosed`'s message: on the admin site as a
message on the same page, for htmx and scripts as plain text, otherwise as a page (409).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from .services.errors import closed_year_error


class ClosedYearMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        refusal = closed_year_error(exception)
        if refusal is None:
            return None
        message = refusal.message
        if getattr(request, "htmx", False) or "text/html" not in request.headers.get("Accept", "text/html"):
            return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
        if request.path.startswith("/admin/") and request.method == "POST":
            messages.error(request, message)
            return redirect(request.get_full_path())
        return render(request, "journal/year_closed.html", {"message": message}, status=409)
