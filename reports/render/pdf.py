"""PDF through WeasyPrint: A4, the part's orientation, school name and «Стр. N из M» on every page."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .html import render_body


def render_pdf(report, progress=None) -> bytes:
    """`progress(done, 2)`, when given, after WeasyPrint's layout and after the write (jobs)."""
    from weasyprint import HTML

    html = render_to_string(
        "reports/pdf.html",
        {
            "report": report,
            "body": render_body(report, for_print=True),
            "built": timezone.localtime(report.built_at).strftime("%d.%m.%Y %H:%M"),
            "first_landscape": report.orientation == "landscape",
        },
    )
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    if progress:
        progress(1, 2)
    content = document.write_pdf()
    if progress:
        progress(2, 2)
    return content
