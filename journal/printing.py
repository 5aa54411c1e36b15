"""PDF documents rendered from templates with WeasyPrint (A4, fonts with Cyrillic)."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from ejournal.downloads import file_response, in_print_language


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """Printed documents are in Russian whatever the browser says (docs/DESIGN.md §4.5)."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    with in_print_language():
        html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """The PDF opened in the browser for printing (ejournal.downloads builds every file answer)."""
    return file_response(pdf, filename, inline=True)
