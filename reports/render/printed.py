"""The printed body of a report: HTML for WeasyPrint, written directly (docs/DESIGN.md §4.5).

Every table is laid out with `table-layout: fixed` and the column widths of
`document.PRINT_MM`, so WeasyPrint never measures the cells' content to size the columns
(the slowest part of its auto table layout), and a wide table is split into numbered
parts («Часть 1 из 3»), each as wide as the page's printable width allows. Totals rows
are the table's last body rows (a <tfoot> is repeated by WeasyPrint on every page);
the signature block is kept on one page with the last rows (`break-before: avoid`).
"""

from django.utils.html import escape
from django.utils.translation import gettext as _

from ..document import PRINTABLE_MM, Table
from ..format import fmt

TEXT_WIDTHS = {"name", "wide"}  # left-aligned, may wrap
WIDE_MAX_MM = 80.0  # a text column takes a table's spare width up to this
NUM_MAX_MM = 24.0


def _widths(table: Table, room: float) -> list[float]:
    """The chunk's column widths: PRINT_MM, the spare room shared first by its figures
    («num», up to NUM_MAX_MM, so that a header «Успеваемость, %» stays one line), then by
    its text columns («wide», up to WIDE_MAX_MM)."""
    widths = table.print_widths()
    for hint, most in (("num", NUM_MAX_MM), ("wide", WIDE_MAX_MM)):
        cols = [i for i, c in enumerate(table.columns) if c.width == hint]
        spare = room - sum(widths)
        if cols and spare > 0:
            for i in cols:
                widths[i] = max(widths[i], min(most, widths[i] + spare / len(cols)))
    return widths


def _label_span(table: Table, values) -> int:
    """How many key columns a row's label spans: a label followed by empty key cells."""
    span = 1
    if isinstance(values[0], str) and values[0]:
        while span < table.key_columns and values[span] == "":
            span += 1
    return span


def _table(out: list, table: Table, room: float, title: str):
    if title:
        out.append(f"<h2>{escape(title)}</h2>")
    widths = _widths(table, room)
    out.append(f'<table style="width:{sum(widths):.1f}mm"><colgroup>')
    out.extend(f'<col style="width:{w:.1f}mm">' for w in widths)
    out.append("</colgroup><thead>")
    for header in table.header_rows(printed=True):
        out.append("<tr>")
        for label, colspan, rowspan, _col in header:
            span = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
            out.append(f"<th{span}>{escape(label)}</th>")
        out.append("</tr>")
    out.append("</thead><tbody>")
    text = [c.width in TEXT_WIDTHS for c in table.columns]
    if not table.rows:
        out.append(f'<tr><td colspan="{len(table.columns)}">{escape(_("Нет данных"))}</td></tr>')
    for row in table.rows + table.foot:
        out.append(f'<tr class="{row.css}">' if row.css else "<tr>")
        values, start = row.values, 0
        span = _label_span(table, values)
        if span > 1:  # «Успеваемость, %» over the key columns (№ and the pupil)
            out.append(f'<td class="l" colspan="{span}">{escape(fmt(values[0]))}</td>')
            start = span
        for is_text, value in zip(text[start:], values[start:], strict=False):
            out.append(f'<td class="l">{escape(fmt(value))}</td>' if is_text else f"<td>{escape(fmt(value))}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")


def _block(out: list, block, room: float):
    kind = getattr(block, "block", "")
    if kind == "table":
        chunks = block.print_chunks(room)
        for n, idx in enumerate(chunks, 1):
            title = block.title
            if len(chunks) > 1:
                part = _("Часть %(n)s из %(total)s") % {"n": n, "total": len(chunks)}
                title = f"{title}. {part}" if title else part
            _table(out, block if len(chunks) == 1 else block.sliced(idx), room, title)
        short = {c.print_label: c.label for c in block.columns if c.print_label and c.print_label != c.label}
        if short:  # «Экз — Экзамен»: what a narrow column's short header stands for
            out.append(f'<p class="legend">{escape("; ".join(f"{a} — {b}" for a, b in short.items()))}</p>')
    elif kind == "facts":
        if block.title:
            out.append(f"<h2>{escape(block.title)}</h2>")
        out.append('<table class="facts">')
        for label, value in block.items:
            out.append(f"<tr><th>{escape(label)}</th><td>{escape(fmt(value))}</td></tr>")
        out.append("</table>")
    else:
        css = f' class="{block.css}"' if block.css else ""
        out.append(f"<p{css}>{escape(block.text)}</p>")


def _signatures(out: list, signatures):
    out.append('<div class="sig">')
    for s in signatures:
        name = escape(s.name) if s.name else '<span class="blank"></span>'
        out.append(f'<div><span class="role">{escape(s.role)}</span> <span class="line"></span> / {name} /</div>')
    out.append(
        f'<div><span class="role">{escape(_("Дата"))}</span> {escape(_("«____» ______________ 20____ г."))}</div>'
    )
    out.append("</div>")


def part_html(report, part) -> str:
    room = PRINTABLE_MM[part.orientation]
    out = [f'<section class="{part.orientation}">']
    out.append(f'<div class="school">{escape(report.school_name)}</div><h1>{escape(part.title)}</h1>')
    out.extend(f'<div class="sub">{escape(line)}</div>' for line in part.subtitle)
    # «Период не завершён — данные предварительные» (docs/DESIGN.md §4.5), as on screen
    out.extend(f'<p class="notice"><strong>{escape(line)}</strong></p>' for line in report.notices)
    for block in part.blocks:
        _block(out, block, room)
    if part.signatures:
        _signatures(out, part.signatures)
    out.append("</section>")
    return "".join(out)


def body_html(report, parts=None) -> str:
    return "".join(part_html(report, p) for p in (report.parts if parts is None else parts))
