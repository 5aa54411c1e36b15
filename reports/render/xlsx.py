"""XLSX through openpyxl: one sheet per part, the same typed values as on screen and paper.

Every cell goes through ejournal.xlsx: a text starting with = + - @ stays text (docs/DESIGN.md §3.24)."""

import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ejournal import xlsx

from ..format import cell_value, fmt

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WIDTHS = {"idx": 5, "num": 8, "mark": 6, "name": 34, "wide": 28, "date": 11}


def _sheet_title(wb, wanted):
    fallback = pgettext("spreadsheet", "Лист")
    title = re.sub(r"[\[\]:*?/\\]", "-", wanted or fallback)[:28] or fallback
    base, n = title, 2
    while title in wb.sheetnames:
        title = f"{base[:26]}-{n}"
        n += 1
    return title


def _write_table(ws, row, table):
    if table.title:
        xlsx.cell(ws, row, 1, table.title).font = BOLD
        row += 1
    header = table.header_rows()
    occupied = set()
    for r, cells in enumerate(header):
        col = 1
        for label, colspan, rowspan, _c in cells:
            while (row + r, col) in occupied:
                col += 1
            cell = xlsx.cell(ws, row + r, col, label)
            cell.font, cell.alignment, cell.border = BOLD, CENTER, BOX
            if colspan > 1 or rowspan > 1:
                ws.merge_cells(
                    start_row=row + r, start_column=col, end_row=row + r + rowspan - 1, end_column=col + colspan - 1
                )
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied.add((row + r + dr, col + dc))
            col += colspan
    row += len(header)
    for i, column in enumerate(table.columns, 1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, WIDTHS.get(column.width, 10))
    for r in table.rows + table.foot:
        for c, value in enumerate(r.values, 1):
            cell = xlsx.cell(ws, row, c, cell_value(value))
            cell.border = BOX
            if r.css == "total":
                cell.font = BOLD
        row += 1
    return row + 1


def render_xlsx(report) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    built = timezone.localtime(report.built_at).strftime("%d.%m.%Y %H:%M")
    for part in report.parts:
        ws = wb.create_sheet(_sheet_title(wb, part.sheet or part.title))
        xlsx.cell(ws, 1, 1, report.school_name)
        xlsx.cell(ws, 2, 1, part.title).font = Font(bold=True, size=13)
        row = 3
        for line in part.subtitle:
            xlsx.cell(ws, row, 1, line)
            row += 1
        xlsx.cell(ws, row, 1, _("Сформировано: %(moment)s") % {"moment": built})
        row += 2
        for block in part.blocks:
            kind = getattr(block, "block", "")
            if kind == "table":
                row = _write_table(ws, row, block)
            elif kind == "facts":
                if block.title:
                    xlsx.cell(ws, row, 1, block.title).font = BOLD
                    row += 1
                for label, value in block.items:
                    xlsx.cell(ws, row, 1, label)
                    xlsx.cell(ws, row, 2, cell_value(value) if value is not None else fmt(value))
                    row += 1
                row += 1
            elif kind == "text":
                xlsx.cell(ws, row, 1, block.text)
                row += 2
        for sig in part.signatures:
            xlsx.cell(ws, row, 1, f"{sig.role}: ____________ {sig.name}")
            row += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
