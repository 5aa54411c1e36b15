"""The plain data every report builder returns and every renderer reads.

A report is a list of parts (each starts a new page and has its own orientation);
a part holds blocks: tables, lists of facts and paragraphs. Cell values stay typed
(int, Decimal, str, None) so that the XLSX gets numbers and the screen and PDF show
the same numbers through one formatter (reports.format).
"""

from dataclasses import dataclass, field
from datetime import datetime

PORTRAIT = "portrait"
LANDSCAPE = "landscape"

# Printed column widths in mm by Column.width (templates/reports/pdf.html sets them on a
# fixed-layout table): the PDF splits a wide table by these, so every part fits its page.
PRINT_MM = {"idx": 7.0, "num": 12.0, "mark": 8.0, "name": 50.0, "wide": 32.0, "date": 17.0, "": 18.0}
# The printable width of an A4 page in mm (pdf.html's @page margins 12 + 10 mm), with 2 mm
# for the cells' borders.
PRINTABLE_MM = {"portrait": 210 - 22 - 2, "landscape": 297 - 22 - 2}


@dataclass
class Column:
    label: str
    group: str = ""  # consecutive columns of one group share a top header cell
    width: str = ""  # css hint and printed width (PRINT_MM): "idx", "num", "mark", "name", "wide", "date"
    vertical: bool = False  # printed header written bottom-up (narrow columns)
    print_label: str = ""  # a shorter printed header for a narrow column («Экз» for «Экзамен»)


@dataclass
class Row:
    values: list
    css: str = ""  # "total", "muted" (left the class), "bad" …


@dataclass
class Table:
    block = "table"
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    foot: list[Row] = field(default_factory=list)
    title: str = ""
    # The first `key_columns` columns (№, pupil) repeat when the PDF splits a wide table.
    key_columns: int = 0
    # At most this many non-key columns per printed table (None: as many as fit the page's
    # width, print_chunks).
    max_print_columns: int | None = None
    sheet: str = ""  # XLSX sheet name for this table; empty: the part's sheet

    @property
    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)

    def header_rows(self, columns=None, *, printed=False):
        """Two header rows as [(label, colspan, rowspan, column)] when columns are grouped;
        `printed`: with the columns' short printed labels."""
        cols = self.columns if columns is None else columns

        def label(c):
            return (c.print_label or c.label) if printed else c.label

        if not any(c.group for c in cols):
            return [[(label(c), 1, 1, c) for c in cols]]
        top, bottom = [], []
        i = 0
        while i < len(cols):
            c = cols[i]
            if not c.group:
                top.append((label(c), 1, 2, c))
                i += 1
                continue
            j = i
            while j < len(cols) and cols[j].group == c.group:
                bottom.append((label(cols[j]), 1, 1, cols[j]))
                j += 1
            top.append((c.group, j - i, 1, None))
            i = j
        return [top, bottom]

    def print_widths(self) -> list[float]:
        """Each column's printed width in mm (the PDF's fixed table layout, docs/DESIGN.md §4.5)."""
        return [PRINT_MM.get(c.width, PRINT_MM[""]) for c in self.columns]

    def print_chunks(self, available_mm: float | None = None):
        """Column slices for print: the key columns and as many whole groups (a subject's
        periods) as fit the printable width; `max_print_columns` caps the others further."""
        n, k = len(self.columns), self.key_columns
        widths = self.print_widths()
        room = available_mm if available_mm is not None else float("inf")
        cap = self.max_print_columns or n
        if sum(widths) <= room and n - k <= cap:
            return [list(range(n))]
        room -= sum(widths[:k])
        chunks, current, used = [], [], 0.0
        i = k
        while i < n:
            j = i + 1
            group = self.columns[i].group
            while group and j < n and self.columns[j].group == group:
                j += 1
            need = sum(widths[i:j])
            if current and (used + need > room or len(current) + (j - i) > cap):
                chunks.append(current)
                current, used = [], 0.0
            current.extend(range(i, j))
            used += need
            i = j
        if current:
            chunks.append(current)
        return [list(range(k)) + c for c in chunks]

    def sliced(self, idx):
        """This table restricted to the column indexes `idx` (for one printed chunk)."""

        def cut(rows):
            return [Row([r.values[i] for i in idx], r.css) for r in rows]

        return Table(
            columns=[self.columns[i] for i in idx],
            rows=cut(self.rows),
            foot=cut(self.foot),
            title=self.title,
            key_columns=self.key_columns,
            sheet=self.sheet,
        )


@dataclass
class Facts:
    """Label → value pairs (a report's summary figures)."""

    block = "facts"
    items: list[tuple[str, object]]
    title: str = ""


@dataclass
class Paragraph:
    block = "text"
    text: str
    css: str = ""


@dataclass
class Signature:
    role: str  # «Классный руководитель»
    name: str = ""  # «Орлова Е. С.»


@dataclass
class Part:
    title: str
    subtitle: list[str] = field(default_factory=list)  # class, period, teacher…
    blocks: list = field(default_factory=list)
    orientation: str = PORTRAIT
    signatures: list[Signature] = field(default_factory=list)
    sheet: str = ""  # XLSX sheet name


@dataclass
class Report:
    kind: str
    title: str
    school_name: str  # the school's full name, on every printed page
    built_at: datetime
    parts: list[Part]
    filename: str = "report"
    # Lines stamped above every part, on screen and paper: «Период не завершён — данные
    # предварительные» for a report over a running period (reports.params.unfinished).
    notices: list[str] = field(default_factory=list)

    @property
    def orientation(self):
        return self.parts[0].orientation if self.parts else PORTRAIT
