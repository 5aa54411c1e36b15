"""Reading uploaded CSV and XLSX tables into plain rows of text, with Russian errors."""

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from .services.errors import ServiceError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000  # rows with data
MAX_LINES = 10 * MAX_ROWS  # rows read, empty ones included
MAX_COLUMNS = 50
# What a 2 MB XLSX may unpack to: a sheet of 2,000 rows is a few MB of XML; more is a
# file built to make the server read (issue 18, F7).
MAX_UNPACKED = 16 * 1024 * 1024
MAX_SHARED_STRINGS = 8 * 1024 * 1024  # openpyxl reads the whole table of strings at once


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    # Excel on Russian Windows saves CSV as cp1251; everything else is UTF-8.
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ServiceError(_("Не удалось прочитать файл: сохраните его в кодировке UTF-8."), code="bad_encoding")


class _Semicolon(csv.excel):
    delimiter = ";"


class _Comma(csv.excel):
    delimiter = ","


def _read_csv(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        # Own subclasses: csv.excel is shared by every reader and writer of the process.
        dialect = _Semicolon if sample.count(";") >= sample.count(",") else _Comma
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), dialect), 1):
            yield number, [c.strip() for c in row[:MAX_COLUMNS]]
    except csv.Error as e:
        raise ServiceError(
            _("Файл CSV не читается: %(problem)s. Сохраните таблицу заново как CSV или XLSX.")
            % {"problem": _csv_problem(e)},
            code="bad_csv",
        ) from None


def _csv_problem(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return _("в ячейке больше %(max)s знаков") % {"max": csv.field_size_limit()}
    return _("нарушена структура строк (кавычки или разделители)")


class _StreamedSheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, streamed: without its size scan (for a sheet without a
    `<dimension>` element openpyxl parses the whole sheet before the first row: 30 s for
    a million rows), and every `<row>` of the file comes out as it is parsed, with its
    number — openpyxl's own iteration silently skips rows numbered out of order, which
    would let a file be read to its end without a row counted."""

    def _get_size(self):
        pass

    def numbered_rows(self, max_col):
        with self._get_source() as src:
            parser = WorkSheetParser(
                src,
                self._shared_strings,
                data_only=True,
                epoch=self.parent.epoch,
                date_formats=self.parent._date_formats,
                timedelta_formats=self.parent._timedelta_formats,
            )
            for number, cells in parser.parse():
                yield number, self._get_row(cells, 1, max_col, values_only=True)


class _FirstSheetReader(ExcelReader):
    """The workbook with only its first worksheet, streamed."""

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                self.wb._sheets.append(_StreamedSheet(self.wb, sheet.name, rel.target, self.shared_strings))
                return


def _check_unpacked(data: bytes):
    """Refuse an archive that unpacks to far more than a table of 2,000 rows (the sizes
    are the archive's own; zipfile never unpacks more than an entry declares)."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ServiceError(_("Файл не читается как таблица Excel (XLSX)."), code="bad_xlsx") from None
    strings = sum(e.file_size for e in entries if e.filename.lower().endswith("sharedstrings.xml"))
    if sum(e.file_size for e in entries) > MAX_UNPACKED or strings > MAX_SHARED_STRINGS:
        raise _too_many_rows()


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[str]]]:
    _check_unpacked(data)
    try:
        reader = _FirstSheetReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError, SyntaxError):
        raise ServiceError(_("Файл не читается как таблица Excel (XLSX)."), code="bad_xlsx") from None
    wb = reader.wb
    try:
        if not wb.worksheets:
            raise ServiceError(_("В файле нет листа с таблицей."), code="bad_xlsx")
        try:
            for number, row in wb.worksheets[0].numbered_rows(MAX_COLUMNS):
                yield number, [_cell_text(v) for v in row]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, SyntaxError):
            raise ServiceError(_("Файл не читается как таблица Excel (XLSX)."), code="bad_xlsx") from None
    finally:
        wb.close()


def _too_many_rows():
    return ServiceError(
        _("В файле больше %(max)s строк: загрузите таблицу не длиннее %(max)s строк.") % {"max": MAX_ROWS},
        code="too_many_rows",
    )


def read_table(uploaded) -> list[tuple[int, list[str]]]:
    """(row number as the user sees it, cells) for every non-empty row of the file.

    Read row by row: at most MAX_ROWS rows with data and MAX_LINES rows in all, the
    reading stops at the first row over (docs/DESIGN.md §3.24)."""
    name = (getattr(uploaded, "name", "") or "").lower()
    if getattr(uploaded, "size", 0) > MAX_BYTES:
        raise ServiceError(_("Файл больше 2 МБ."), code="too_big")
    if name.endswith(".xlsx"):
        reader = _read_xlsx
    elif name.endswith((".csv", ".txt")):
        reader = _read_csv
    else:
        raise ServiceError(_("Загрузите файл CSV или XLSX."), code="bad_type")
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ServiceError(_("Файл больше 2 МБ."), code="too_big")
    numbered = []
    rows = reader(data)
    try:
        for read, (n, row) in enumerate(rows, 1):
            if read > MAX_LINES:
                raise _too_many_rows()
            if any(c for c in row):
                numbered.append((n, row))
                if len(numbered) > MAX_ROWS:
                    raise _too_many_rows()
    finally:
        rows.close()
    return numbered


def normalize_header(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").replace("№", "номер").split())  # i18n: data (matching)


def find_header(rows, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]):
    """Locate the header row among the first rows: returns (index in rows, {field: column}).

    `aliases` maps a field to the header texts that name it (matched by prefix)."""
    for i, (_row, cells) in enumerate(rows[:10]):
        columns = {}
        for col, cell in enumerate(cells):
            text = normalize_header(cell)
            for fld, names in aliases.items():
                if fld not in columns and any(text.startswith(n) for n in names):
                    columns[fld] = col
                    break
        if all(f in columns for f in required):
            return i, columns
    return None, None
