"""Import of a class list from CSV/XLSX (issue 15): read, check every row, show a
preview; nothing is written until the user confirms, and then all rows or none.

Columns (the header row, in any order; found by the start of its text): Фамилия, Имя,
Отчество, Пол (м/ж), Дата рождения (ДД.ММ.ГГГГ); optionally one parent per row:
Родитель (ФИО), Телефон, E-mail. A pupil already in the school (same name and birth
date) or twice in the file is a row error; a parent already in the school (same name
and phone or e-mail) is linked, not created again."""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from ..models import SchoolClass
from ..tabular import find_header, read_table
from . import contingent as C
from .errors import ServiceError
from .import_preview import CheckedRows, sign, unsign

SIGNING_SALT = "journal.class_import"

ALIASES = {  # i18n: data (matching)
    "last_name": ("фамилия",),
    "first_name": ("имя",),
    "patronymic": ("отчество",),
    "sex": ("пол",),
    "birth_date": ("дата рождения", "дата"),
    "guardian": ("родитель", "фио родителя", "мать", "отец", "законный представитель"),
    "phone": ("телефон",),
    "email": ("e-mail", "email", "эл. почта", "электронная почта", "почта"),
}
REQUIRED = ("last_name", "first_name", "birth_date")

SEX = {"м": "m", "муж": "m", "мужской": "m", "ж": "f", "жен": "f", "женский": "f"}  # i18n: data (matching)


@dataclass
class ImportRow:
    number: int
    pupil: C.PupilData
    parent: C.ParentData | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview(CheckedRows):
    klass_pk: int = 0

    def token(self) -> str:
        """The checked rows, signed, for the confirmation form (nothing is stored before it)."""
        payload = [
            {
                "n": r.number,
                "pupil": {**asdict(r.pupil), "birth_date": r.pupil.birth_date.isoformat()},
                "guardian": asdict(r.parent) if r.parent else None,
            }
            for r in self.rows
        ]
        return sign(payload, f"{SIGNING_SALT}:{self.klass_pk}")


def _date(text: str) -> date | None:
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _parent(full_name: str, phone: str, email: str) -> C.ParentData:
    parts = full_name.split()
    return C.clean_parent(
        last_name=parts[0] if parts else "",
        first_name=parts[1] if len(parts) > 1 else "",
        patronymic=" ".join(parts[2:]),
        phone=phone,
        email=email,
    )


def _parse_row(number, cells, columns) -> ImportRow:
    def cell(name):
        col = columns.get(name)
        return cells[col].strip() if col is not None and col < len(cells) else ""

    errors = []
    born_text = cell("birth_date")
    born = _date(born_text) if born_text else None
    if born_text and born is None:
        errors.append(_("дата рождения «%(text)s» не в виде ДД.ММ.ГГГГ") % {"text": born_text[:20]})
    sex_text = cell("sex").lower().rstrip(".")
    sex = SEX.get(sex_text, "?" if sex_text else "")
    pupil = C.clean_pupil(
        last_name=cell("last_name"),
        first_name=cell("first_name"),
        patronymic=cell("patronymic"),
        sex=sex,
        birth_date=born,
    )
    problems = C.pupil_problems(pupil, timezone.localdate())
    if born_text and born is None:
        problems = [p for p in problems if p != _("не указана дата рождения")]
    errors += problems
    parent = None
    if cell("guardian") or cell("phone") or cell("email"):
        parent = _parent(cell("guardian"), cell("phone"), cell("email"))
        errors += C.parent_problems(parent)
    return ImportRow(number, pupil, parent, errors)


def _check(klass: SchoolClass, rows: list[ImportRow]) -> None:
    """Duplicates within the file and against the school's people, added to the rows' errors."""
    seen = {}
    for r in rows:
        if r.pupil.birth_date is None:
            continue
        key = C.pupil_key(r.pupil)
        if key in seen:
            r.errors.append(_("этот ученик уже есть в строке %(n)s") % {"n": seen[key]})
        else:
            seen[key] = r.number
    existing = C.duplicate_pupils(klass.year.school_id, [r.pupil for r in rows])
    for r in rows:
        found = existing.get(C.pupil_key(r.pupil)) if r.pupil.birth_date else None
        if found is not None:
            r.errors.append(C.duplicate_message(r.pupil, found))


def preview(actor, klass: SchoolClass, uploaded) -> Preview:
    """Read and check the file; writes nothing."""
    C._require(actor, klass)
    table = read_table(uploaded)
    at, columns = find_header(table, ALIASES, REQUIRED)
    if at is None:
        raise ServiceError(
            _("В файле не найдена строка заголовков со столбцами «Фамилия», «Имя», «Дата рождения»."),
            code="no_header",
        )
    rows = [_parse_row(number, cells, columns) for number, cells in table[at + 1 :]]
    if not rows:
        raise ServiceError(_("В файле нет ни одного ученика под строкой заголовков."), code="empty")
    _check(klass, rows)
    return Preview(rows, klass.pk)


def _from_token(klass: SchoolClass, token: str) -> list[ImportRow]:
    payload = unsign(token, f"{SIGNING_SALT}:{klass.pk}")
    rows = []
    for item in payload:
        pupil = C.PupilData(**{**item["pupil"], "birth_date": date.fromisoformat(item["pupil"]["birth_date"])})
        parent = C.ParentData(**item["guardian"]) if item["guardian"] else None
        rows.append(ImportRow(item["n"], pupil, parent))
    return rows


def confirm(actor, klass: SchoolClass, token: str, *, now=None) -> list:
    """Write the previewed rows in one transaction, after checking them again (someone may
    have added one of these pupils since the preview). Returns the new pupils."""
    C._require(actor, klass)
    rows = _from_token(klass, token)
    today = timezone.localdate(now)
    start = C._enrollment_start(klass, today)
    with audit.chain(actor.school_id):
        SchoolClass.objects.select_for_update().filter(pk=klass.pk).first()
        for r in rows:
            r.errors = C.pupil_problems(r.pupil, today) + (C.parent_problems(r.parent) if r.parent else [])
        _check(klass, rows)
        problems = Preview(rows).errors
        if problems:
            raise ServiceError(" ".join(problems), code="invalid")
        created = []
        for r in rows:
            pupil = C._write_pupil(actor, klass, r.pupil, start)
            if r.parent:
                C._write_parent(actor, pupil, r.parent)
            created.append(pupil)
    return created
