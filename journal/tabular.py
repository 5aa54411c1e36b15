"""Reading uploaded CSV and XLSX tables into plain rows of text, with Russian errors."""

import csv
import io
import zipfile
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .services.errors import ServiceError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000


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


def _read_csv(data: bytes):
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        # Own subclasses: csv.excel is shared by every reader and writer of the process.
        dialect = _Semicolon if sample.count(";") >= sample.count(",") else _Comma
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            yield [c.strip() for c in row]
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


def _read_xlsx(data: bytes):
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ServiceError(_("Файл не читается как таблица Excel (XLSX)."), code="bad_xlsx") from None
    try:
        ws = wb.worksheets[0]
        for row in ws.iter_rows(values_only=True):
            yield [_cell_text(v) for v in row]
    finally:
        wb.close()


def read_table(uploaded) -> list[tuple[int, list[str]]]:
    """(row number as the user sees it, cells) for every non-empty row of the file."""
    name = (getattr(uploaded, "name", "") or "").lower()
    if getattr(uploaded, "size", 0) > MAX_BYTES:
        raise ServiceError(_("Файл больше 2 МБ."), code="too_big")
    # Never more than the cap in memory, whatever the upload claims its size is.
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ServiceError(_("Файл больше 2 МБ."), code="too_big")
    if name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        rows = _read_csv(data)
    else:
        raise ServiceError(_("Загрузите файл CSV или XLSX."), code="bad_type")
    numbered = []
    # Rows are counted while they are read: a 100,000-row sheet stops at the cap.
    for n, row in enumerate(rows, 1):
        if any(c for c in row):
            numbered.append((n, row))
            if len(numbered) > MAX_ROWS:
                rows.close()
                raise ServiceError(_("В файле больше %(max)s строк.") % {"max": MAX_ROWS}, code="too_many_rows")
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
