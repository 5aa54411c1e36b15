"""Cells of the spreadsheets the portal writes (docs/DESIGN.md §3.24).

openpyxl turns every text that starts with "=" into a live formula, and a spreadsheet
program reads "+", "-" and "@" at the start as one when the cell is edited: a pupil
named "=HYPERLINK(…)" or a lesson topic "-2+3" must stay the text it is. `cell()` and
`row()` write such text as a string with Excel's quote prefix (the apostrophe a user
would type): shown as typed, never evaluated, read back unchanged. Every XLSX export
(reports/render/xlsx.py, the temporary journal's blank) writes its cells through them.
"""

from openpyxl.cell.cell import Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _as_text(cell: Cell, value) -> Cell:
    if is_formula_like(value):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def cell(ws, row: int, column: int, value) -> Cell:
    """ws.cell(row, column, value), text written as text."""
    return _as_text(ws.cell(row=row, column=column, value=value), value)


def row(ws, values) -> None:
    """ws.append(values), text written as text."""
    ws.append([_as_text(Cell(ws, value=v), v) if is_formula_like(v) else v for v in values])
