"""Import of the staff list from CSV/XLSX by the administrator (issue 15): the same
read → check → preview → confirm as the class list (journal/services/class_import.py);
nothing is written until confirmed, then all rows or none.

Columns: Фамилия, Имя, Отчество, Пол, Дата рождения, E-mail, Телефон, Должность/Роль
(директор, заместитель, секретарь, диспетчер, администратор; empty for a teacher).
A person already in the school with the same name and birth date (or, without one,
the same e-mail) or twice in the file is a row error."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import RoleAssignment, User
from accounts.scopes import is_school_admin
from ejournal import params

from ..tabular import find_header, read_table
from . import contingent as C
from .class_import import SEX, _date
from .errors import NotAllowed, ServiceError
from .import_preview import CheckedRows, sign, unsign

SIGNING_SALT = "journal.staff_import"

ALIASES = {  # i18n: data (matching)
    "last_name": ("фамилия",),
    "first_name": ("имя",),
    "patronymic": ("отчество",),
    "sex": ("пол",),
    "birth_date": ("дата рождения", "дата"),
    "email": ("e-mail", "email", "эл. почта", "электронная почта", "почта"),
    "phone": ("телефон",),
    "position": ("должность", "роль"),
}
REQUIRED = ("last_name", "first_name")

R = RoleAssignment.Role
POSITIONS = {  # i18n: data (matching)
    "директор": R.DIRECTOR,
    "заместитель": R.DEPUTY,
    "заместитель директора": R.DEPUTY,
    "завуч": R.DEPUTY,
    "секретарь": R.SECRETARY,
    "диспетчер": R.SCHEDULER,
    "диспетчер расписания": R.SCHEDULER,
    "администратор": R.ADMIN,
    "администратор эж": R.ADMIN,
    "учитель": "",
    "педагог": "",
}


@dataclass
class StaffRow:
    number: int
    card: dict
    roles: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.card["last_name"], self.card["first_name"], self.card["patronymic"]) if p)


@dataclass
class StaffPreview(CheckedRows):
    school_id: int = 0

    def token(self) -> str:
        payload = [
            {
                "n": r.number,
                "card": {**r.card, "birth_date": r.card["birth_date"].isoformat() if r.card["birth_date"] else None},
                "roles": r.roles,
            }
            for r in self.rows
        ]
        return sign(payload, f"{SIGNING_SALT}:{self.school_id}")


def _require(actor):
    if not is_school_admin(actor):
        raise NotAllowed(_("Список сотрудников загружает администратор ЭЖ школы."))


def _problems(card: dict, today: date) -> list[str]:
    out = []
    if not card["last_name"]:
        out.append(_("не указана фамилия"))
    if not card["first_name"]:
        out.append(_("не указано имя"))
    if any(len(card[f]) > C.NAME_MAX for f in ("last_name", "first_name", "patronymic")):
        out.append(_("фамилия, имя или отчество длиннее %(max)s знаков") % {"max": C.NAME_MAX})
    if card["sex"] not in ("", *User.Sex.values):
        out.append(_("пол указан неверно (м или ж)"))
    if card["birth_date"] and card["birth_date"] > today:
        out.append(_("дата рождения в будущем"))
    elif card["birth_date"] and not params.in_range(card["birth_date"]):
        out.append(_("дата рождения раньше 1900 года"))  # docs/DESIGN.md §3.24
    if card["email"]:
        try:
            validate_email(card["email"])
        except ValidationError:
            out.append(_("e-mail «%(email)s» указан неверно") % {"email": card["email"][:80]})
    if len(card["phone"]) > C.PHONE_MAX:
        out.append(_("телефон длиннее %(max)s знаков") % {"max": C.PHONE_MAX})
    return out


def _keys(card: dict) -> set:
    """Name plus birth date and name plus e-mail: either one finds the same person."""
    name = (C._norm(card["last_name"]), C._norm(card["first_name"]), C._norm(card["patronymic"]))
    return {(*name, extra) for extra in (card["birth_date"], card["email"].lower()) if extra}


def _check(school_id, rows: list[StaffRow]) -> None:
    seen = {}
    for r in rows:
        earlier = next((seen[k] for k in _keys(r.card) if k in seen), None)
        if earlier is not None:
            r.errors.append(_("этот сотрудник уже есть в строке %(n)s") % {"n": earlier})
        for k in _keys(r.card):
            seen.setdefault(k, r.number)
    cond = Q(pk__in=[])
    for r in rows:
        cond |= Q(last_name__iexact=r.card["last_name"], first_name__iexact=r.card["first_name"])
    people = {}
    for u in User.objects.filter(cond, school_id=school_id):
        card = {"last_name": u.last_name, "first_name": u.first_name, "patronymic": u.patronymic}
        for k in _keys({**card, "birth_date": u.birth_date, "email": u.email}):
            people.setdefault(k, u)
    for r in rows:
        found = next((people[k] for k in _keys(r.card) if k in people), None)
        if found is not None:
            r.errors.append(
                _("%(name)s уже есть в школе (логин %(login)s)") % {"name": r.name, "login": found.username}
            )


def _parse(number, cells, columns, today) -> StaffRow:
    def cell(name):
        col = columns.get(name)
        return " ".join(cells[col].split()) if col is not None and col < len(cells) else ""

    errors = []
    born_text = cell("birth_date")
    born = _date(born_text) if born_text else None
    if born_text and born is None:
        errors.append(_("дата рождения «%(text)s» не в виде ДД.ММ.ГГГГ") % {"text": born_text[:20]})
    sex_text = cell("sex").lower().rstrip(".")
    card = {
        "last_name": cell("last_name"),
        "first_name": cell("first_name"),
        "patronymic": cell("patronymic"),
        "sex": SEX.get(sex_text, "?" if sex_text else ""),
        "birth_date": born,
        "email": cell("email"),
        "phone": cell("phone"),
    }
    roles = []
    position = cell("position").lower().replace("ё", "е")  # i18n: data (matching)
    if position:
        role = POSITIONS.get(position)
        if role is None:
            errors.append(_("должность «%(text)s» не распознана") % {"text": position[:40]})
        elif role:
            roles.append(str(role))
    return StaffRow(number, card, roles, errors + _problems(card, today))


def preview(actor, uploaded) -> StaffPreview:
    _require(actor)
    table = read_table(uploaded)
    at, columns = find_header(table, ALIASES, REQUIRED)
    if at is None:
        raise ServiceError(_("В файле не найдена строка заголовков со столбцами «Фамилия» и «Имя»."), code="no_header")
    today = timezone.localdate()
    rows = [_parse(n, cells, columns, today) for n, cells in table[at + 1 :]]
    if not rows:
        raise ServiceError(_("В файле нет ни одного сотрудника под строкой заголовков."), code="empty")
    _check(actor.school_id, rows)
    return StaffPreview(rows, actor.school_id)


def confirm(actor, token: str) -> list:
    _require(actor)
    payload = unsign(token, f"{SIGNING_SALT}:{actor.school_id}")
    rows = []
    for item in payload:
        card = {
            **item["card"],
            "birth_date": date.fromisoformat(item["card"]["birth_date"]) if item["card"]["birth_date"] else None,
        }
        rows.append(StaffRow(item["n"], card, item["roles"]))
    today = timezone.localdate()
    with transaction.atomic():
        for r in rows:
            r.errors = _problems(r.card, today)
        _check(actor.school_id, rows)
        problems = StaffPreview(rows).errors
        if problems:
            raise ServiceError(" ".join(problems), code="invalid")
        return [account_services.create_staff(actor, roles=r.roles, **r.card) for r in rows]
