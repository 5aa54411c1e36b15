"""Parsing a КТП file (CSV or XLSX) into plan rows, with an error per bad row.

Expected columns, found by their header: «Тема» and «Часы» (required), «№» and
«Вид работы» (optional). Empty rows are skipped. Nothing is saved here."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..models import WorkType
from ..models.plans import MAX_ITEM_HOURS
from ..tabular import find_header, normalize_header, read_table
from .errors import ServiceError
from .plans import MAX_TOPIC

# Header texts matched against the user's file (by prefix), plus the headers the error
# message names in the current language (_aliases()).
ALIASES = {  # i18n: data
    "number": ("номер", "n ", "п/п"),
    "topic": ("тема", "наименование темы", "название темы"),
    "hours": ("час", "кол-во час", "количество час"),
    "work_type": ("вид работ", "виды работ", "тип работ", "форма контрол"),
}


def _aliases():
    named = {"number": _("№"), "topic": pgettext("lesson", "Тема"), "hours": _("Часы"), "work_type": _("Вид работы")}
    return {fld: (*names, normalize_header(named[fld])) for fld, names in ALIASES.items()}


def _parse_hours(text: str) -> int | None:
    try:
        value = float(text.replace(",", ".").strip())
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


@dataclass
class PlanRow:
    row: int
    topic: str
    hours: int
    work_type: WorkType | None

    def as_dict(self):
        return {
            "row": self.row,
            "topic": self.topic,
            "hours": self.hours,
            "work_type_id": getattr(self.work_type, "pk", None),
        }


@dataclass
class PlanParse:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # "Строка N: ..." texts

    @property
    def total_hours(self):
        return sum(r.hours for r in self.rows)


def parse_plan_file(uploaded, school) -> PlanParse:
    """Raises ServiceError when the file as a whole is unreadable."""
    table = read_table(uploaded)
    header_at, columns = find_header(table, _aliases(), ("topic", "hours"))
    if header_at is None:
        raise ServiceError(
            _("Не найдена строка заголовка: нужны столбцы «Тема» и «Часы» (и при желании «№», «Вид работы»)."),
            code="no_header",
        )
    work_types = {}
    for wt in WorkType.objects.filter(school=school):
        work_types[normalize_header(wt.name)] = wt
        work_types[normalize_header(wt.code)] = wt
    result = PlanParse()

    def cell(cells, fld):
        col = columns.get(fld)
        return cells[col].strip() if col is not None and col < len(cells) else ""

    for row_no, cells in table[header_at + 1 :]:
        problems = []
        topic = cell(cells, "topic")
        hours_text = cell(cells, "hours")
        wt_text = cell(cells, "work_type")
        if not topic:
            problems.append(_("не указана тема"))
        elif len(topic) > MAX_TOPIC:
            problems.append(_("тема длиннее %(max)s символов") % {"max": MAX_TOPIC})
        elif "\x00" in topic:
            problems.append(_("в теме недопустимый символ (NUL)"))
        hours = None
        if not hours_text:
            problems.append(_("не указано количество часов"))
        else:
            hours = _parse_hours(hours_text)
            if hours is None or not 1 <= hours <= MAX_ITEM_HOURS:
                problems.append(
                    _("«%(text)s» — количество часов должно быть целым числом от 1 до %(max)s")
                    % {"text": hours_text, "max": MAX_ITEM_HOURS}
                )
        work_type = None
        if wt_text:
            work_type = work_types.get(normalize_header(wt_text))
            if work_type is None:
                known = ", ".join(sorted({wt.name for wt in work_types.values()})) or "—"
                problems.append(
                    _("вид работы «%(text)s» не найден; в школе есть: %(known)s") % {"text": wt_text, "known": known}
                )
        if problems:
            result.errors.append(_("Строка %(row)s: %(problems)s.") % {"row": row_no, "problems": "; ".join(problems)})
        else:
            result.rows.append(PlanRow(row=row_no, topic=topic, hours=hours, work_type=work_type))
    if not result.rows and not result.errors:
        result.errors.append(_("В файле нет ни одной темы под строкой заголовка."))
    return result
