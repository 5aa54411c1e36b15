"""Printed documents of accounts (WeasyPrint)."""

from django.template.loader import render_to_string
from django.utils import timezone


def render_pdf(template, context) -> bytes:
    """Printed documents are in Russian whatever the browser says (docs/DESIGN.md §4.5)."""
    from weasyprint import HTML

    from ejournal.downloads import in_print_language

    with in_print_language():
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def credential_slips(issued, school) -> bytes:
    """One slip per person (login, one-time password, receipt lines), several per page."""
    return render_pdf("accounts/pdf/slips.html", {"issued": issued, "school": school, "now": timezone.now()})


def voided_list(compromise, voided) -> bytes:
    return render_pdf(
        "accounts/pdf/voided.html",
        {"c": compromise, "voided": voided, "school": compromise.school, "now": timezone.now()},
    )
