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


@dataclass
class Column:
    label: str
    group: str = ""  # consecutive columns of one group share a top header cell
    width: str = ""  # css hint: "num", "mark", "name", "wide", "date"
    vertical: bool = False  # printed header written bottom-up (narrow columns)


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
    # At most this many non-key columns per printed table; None: never split.
    max_print_columns: int | None = None
    sheet: str = ""  # XLSX sheet name for this table; empty: the part's sheet

    @property
    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)

    def header_rows(self, columns=None):
        """Two header rows as [(label, colspan, rowspan, column)] when columns are grouped."""
        cols = self.columns if columns is None else columns
        if not any(c.group for c in cols):
            return [[(c.label, 1, 1, c) for c in cols]]
        top, bottom = [], []
        i = 0
        while i < len(cols):
            c = cols[i]
            if not c.group:
                top.append((c.label, 1, 2, c))
                i += 1
                continue
            j = i
            while j < len(cols) and cols[j].group == c.group:
                bottom.append((cols[j].label, 1, 1, cols[j]))
                j += 1
            top.append((c.group, j - i, 1, None))
            i = j
        return [top, bottom]

    def print_chunks(self):
        """Column slices for print: key columns + at most max_print_columns others, groups kept whole."""
        n = len(self.columns)
        k = self.key_columns
        if not self.max_print_columns or n - k <= self.max_print_columns:
            return [list(range(n))]
        chunks, current = [], []
        i = k
        while i < n:
            j = i + 1
            group = self.columns[i].group
            while group and j < n and self.columns[j].group == group:
                j += 1
            if current and len(current) + (j - i) > self.max_print_columns:
                chunks.append(current)
                current = []
            current.extend(range(i, j))
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
