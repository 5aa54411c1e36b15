"""PDF through WeasyPrint: A4, the part's orientation, school name and «Стр. N из M» on every page.

Where the time of a render goes, and what was done about it, is in docs/DESIGN.md §4.5.
"""

import io
import threading
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import pgettext

from .printed import body_html

UA_CSS = Path(__file__).with_name("print_ua.css")
_local = threading.local()
_lean = None


def font_config():
    """One FontConfiguration per thread, kept: WeasyPrint otherwise builds a new fontconfig
    configuration and Pango font map for every document, and loses their caches."""
    fc = getattr(_local, "fonts", None)
    if fc is None:
        from weasyprint.text.fonts import FontConfiguration

        fc = _local.fonts = FontConfiguration()
    return fc


def _html_class():
    """weasyprint.HTML with our small user-agent stylesheet instead of the HTML5 one."""
    global _lean
    if _lean is None:
        from weasyprint import CSS, HTML

        ua = CSS(filename=str(UA_CSS))

        class LeanHTML(HTML):
            def _ua_stylesheets(self, forms=False):
                return [ua]

        _lean = LeanHTML
    return _lean


def print_html(report, parts=None, *, page_numbers=True) -> str:
    """The printed document as HTML, in the language the report was built in."""
    parts = report.parts if parts is None else parts
    return render_to_string(
        "reports/pdf.html",
        {
            "report": report,
            "body": body_html(report, parts),
            "built": timezone.localtime(report.built_at).strftime("%d.%m.%Y %H:%M"),
            "first_landscape": bool(parts) and parts[0].orientation == "landscape",
            "page_numbers": page_numbers,
        },
    )


def html_to_pdf(html: str, progress=None) -> bytes:
    """`progress(done, 2)`, when given, after WeasyPrint's layout and after the write (jobs)."""
    document = _html_class()(string=html, base_url=str(settings.BASE_DIR)).render(font_config=font_config())
    if progress:
        progress(1, 2)
    content = document.write_pdf()
    if progress:
        progress(2, 2)
    return content


def render_pdf(report, parts=None, *, page_numbers=True, progress=None) -> bytes:
    return html_to_pdf(print_html(report, parts, page_numbers=page_numbers), progress)


def merge_pdfs(pdfs: list[bytes]) -> bytes:
    """Documents rendered separately (without page numbers) joined into one, each page
    stamped «Стр. i из N» over the whole (the footer pdf.html prints in one render)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for content in pdfs:
        writer.append(PdfReader(io.BytesIO(content)))
    n = len(writer.pages)
    stamps = _page_numbers([(p.mediabox.width, p.mediabox.height) for p in writer.pages])
    # The stamps as pages of the same writer, so that their one font is written once.
    writer.append(PdfReader(io.BytesIO(stamps)))
    for i in range(n):
        writer.pages[i].merge_page(writer.pages[n + i])
        writer.pages[i].compress_content_streams()  # merging leaves the content uncompressed
    for i in reversed(range(n, len(writer.pages))):
        del writer.pages[i]
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _page_numbers(sizes) -> bytes:
    """Pages of the given sizes (pt) holding only «Стр. i из N» where pdf.html prints it."""
    label = pgettext("page", "Стр.")
    of = pgettext("page N of M", "из")
    total = len(sizes)
    html = [
        "<style>@page{margin:13mm 10mm 14mm 12mm}"
        "@page wide{size:A4 landscape}@page tall{size:A4 portrait}"
        ".w{page:wide}.t{page:tall}div{break-before:page}"
        '@page{@bottom-right{content:string(n);font:7pt "DejaVu Sans Condensed"}}'
        "div{string-set:n content();visibility:hidden}</style>"
    ]
    for i, (w, h) in enumerate(sizes, 1):
        html.append(f'<div class="{"w" if w > h else "t"}">{label} {i} {of} {total}</div>')
    return _html_class()(string="".join(html)).write_pdf(font_config=font_config())
