"""The contingent of a class (issue 15): pupils created by the class teacher and the
secretary, with their enrollment, and their parents (several per pupil, shared between
siblings: a parent already in the school is found by name and phone or e-mail and
linked, not created twice). Credentials are issued afterwards by the existing slips
procedure (accounts.services.issue_credentials) from the class's people page.

Each public function is one transaction: permission (`access.can_manage_contingent`),
validation, write, audit (the account by accounts.services, the enrollment here)."""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts import services as account_services
from accounts.models import Guardianship, User

from .. import access
from ..models import Enrollment, SchoolClass
from .errors import NotAllowed, ServiceError

NAME_MAX = 150
PHONE_MAX = 32


@dataclass
class PupilData:
    last_name: str
    first_name: str
    patronymic: str = ""
    sex: str = ""
    birth_date: date | None = None

    def card(self) -> dict:
        return {
            "last_name": self.last_name,
            "first_name": self.first_name,
            "patronymic": self.patronymic,
            "sex": self.sex,
            "birth_date": self.birth_date,
        }


@dataclass
class ParentData:
    last_name: str
    first_name: str
    patronymic: str = ""
    phone: str = ""
    email: str = ""
    relation: str = ""


def _strip(v) -> str:
    return " ".join((v or "").split())


def pupil_problems(data: PupilData, today: date) -> list[str]:
    """What is wrong with a pupil's card, in Russian, naming the field; empty if nothing."""
    out = []
    if not data.last_name:
        out.append(_("не указана фамилия"))
    if not data.first_name:
        out.append(_("не указано имя"))
    for value in (data.last_name, data.first_name, data.patronymic):
        if len(value) > NAME_MAX:
            out.append(_("фамилия, имя или отчество длиннее %(max)s знаков") % {"max": NAME_MAX})
            break
    if data.sex and data.sex not in User.Sex.values:
        out.append(_("пол указан неверно (м или ж)"))
    if data.birth_date is None:
        out.append(_("не указана дата рождения"))
    elif data.birth_date > today:
        out.append(_("дата рождения в будущем"))
    elif data.birth_date.year < today.year - 25:
        out.append(_("дата рождения раньше %(year)s года") % {"year": today.year - 25})
    return out


def digits(phone: str) -> str:
    d = re.sub(r"\D", "", phone or "")
    # 8 916… and +7 916… are the same Russian number.
    if len(d) == 11 and d[0] == "8":
        d = "7" + d[1:]
    return d


def parent_problems(data: ParentData) -> list[str]:
    out = []
    if not data.last_name:
        out.append(_("не указана фамилия родителя"))
    if not data.first_name:
        out.append(_("не указано имя родителя"))
    for value in (data.last_name, data.first_name, data.patronymic):
        if len(value) > NAME_MAX:
            out.append(_("фамилия, имя или отчество родителя длиннее %(max)s знаков") % {"max": NAME_MAX})
            break
    if not data.phone and not data.email:
        out.append(_("у родителя не указаны ни телефон, ни e-mail"))
    if data.phone and (len(data.phone) > PHONE_MAX or not 5 <= len(digits(data.phone)) <= 15):
        out.append(_("телефон родителя «%(phone)s» указан неверно") % {"phone": data.phone[:40]})
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            out.append(_("e-mail родителя «%(email)s» указан неверно") % {"email": data.email[:80]})
    if data.relation and data.relation not in Guardianship.Relation.values:
        out.append(_("неверно указано, кем родитель приходится ученику"))
    return out


def clean_pupil(**card) -> PupilData:
    return PupilData(
        last_name=_strip(card.get("last_name")),
        first_name=_strip(card.get("first_name")),
        patronymic=_strip(card.get("patronymic")),
        sex=(card.get("sex") or "").strip(),
        birth_date=card.get("birth_date"),
    )


def clean_parent(**card) -> ParentData:
    return ParentData(
        last_name=_strip(card.get("last_name")),
        first_name=_strip(card.get("first_name")),
        patronymic=_strip(card.get("patronymic")),
        phone=_strip(card.get("phone")),
        email=(card.get("email") or "").strip(),
        relation=(card.get("relation") or "").strip(),
    )


def duplicate_pupils(school_id, people: list[PupilData]) -> dict[tuple, User]:
    """Pupils of the school already there with the same surname, name, patronymic and
    birth date, keyed by `pupil_key`: one query for any number of cards."""
    keys = {pupil_key(p) for p in people if p.birth_date}
    if not keys:
        return {}
    cond = Q(pk__in=[])
    for last, first, _patronymic, born in keys:
        cond |= Q(last_name__iexact=last, first_name__iexact=first, birth_date=born)
    found = {}
    for u in User.objects.filter(cond, school_id=school_id):
        key = pupil_key(PupilData(u.last_name, u.first_name, u.patronymic, u.sex, u.birth_date))
        if key in keys:
            found.setdefault(key, u)
    return found


def _norm(text: str) -> str:
    return text.lower().replace("ё", "е")  # i18n: data (matching)


def pupil_key(p: PupilData) -> tuple:
    return (_norm(p.last_name), _norm(p.first_name), _norm(p.patronymic), p.birth_date)


def duplicate_message(p: PupilData, existing: User) -> str:
    return _("%(name)s, %(born)s, уже есть в школе (логин %(login)s)") % {
        "name": existing.full_name,
        "born": p.birth_date.strftime("%d.%m.%Y"),
        "login": existing.username,
    }


def find_parent(school_id, data: ParentData) -> User | None:
    """A parent of the school with this name and the same phone or e-mail (siblings share parents)."""
    candidates = User.objects.filter(
        school_id=school_id,
        last_name__iexact=data.last_name,
        first_name__iexact=data.first_name,
        patronymic__iexact=data.patronymic,
        children_links__isnull=False,
    ).distinct()
    phone = digits(data.phone)
    email = data.email.lower()
    for u in candidates.order_by("pk"):
        if (phone and digits(u.phone) == phone) or (email and u.email.lower() == email):
            return u
    return None


def _require(actor, klass: SchoolClass):
    if not access.can_manage_contingent(actor, klass):
        raise NotAllowed(_("Учеников этого класса создают его классный руководитель и секретарь."))


def _enrollment_start(klass: SchoolClass, today: date) -> date:
    year = klass.year
    if today < year.start:
        return year.start
    if year.end and today > year.end:
        raise ServiceError(_("Учебный год класса %(klass)s окончен.") % {"klass": klass}, code="year_closed")
    return today


def _write_pupil(actor, klass: SchoolClass, data: PupilData, start: date) -> User:
    pupil = account_services.create_person(actor, **data.card())
    enrollment = Enrollment.objects.create(
        pupil=pupil, school_class=klass, start=start, start_reason=Enrollment.Movement.ADMITTED
    )
    audit.record(
        actor=actor,
        action="enrollment.create",
        obj=enrollment,
        school=klass.year.school_id,
        after={"pupil": pupil.pk, "school_class": klass.pk, "start": start, "start_reason": enrollment.start_reason},
    )
    return pupil


def create_pupil(actor, klass: SchoolClass, *, now=None, **card) -> User:
    """A new pupil of `klass` from today (or the year's first day): the account (no
    password yet) and the enrollment. Refused if the school has a person with the same
    name and birth date."""
    _require(actor, klass)
    today = timezone.localdate(now)
    data = clean_pupil(**card)
    problems = pupil_problems(data, today)
    if problems:
        raise ServiceError(_("Ученик не создан: %(problems)s.") % {"problems": "; ".join(problems)}, code="invalid")
    start = _enrollment_start(klass, today)
    with audit.chain(actor.school_id):
        SchoolClass.objects.select_for_update().filter(pk=klass.pk).first()
        existing = duplicate_pupils(klass.year.school_id, [data]).get(pupil_key(data))
        if existing is not None:
            raise ServiceError(
                _("Ученик не создан: %(problem)s.") % {"problem": duplicate_message(data, existing)},
                code="duplicate",
            )
        return _write_pupil(actor, klass, data, start)


def add_parent(actor, pupil: User, enrollment: Enrollment, **card) -> tuple[User, bool]:
    """Link a parent to `pupil`: the parent already in the school (same name and phone or
    e-mail: a sibling's) or a new account. Returns (parent, created)."""
    _require(actor, enrollment.school_class)
    data = clean_parent(**card)
    problems = parent_problems(data)
    if problems:
        raise ServiceError(_("Родитель не добавлен: %(problems)s.") % {"problems": "; ".join(problems)}, code="invalid")
    with audit.chain(actor.school_id):
        return _write_parent(actor, pupil, data)


def _write_parent(actor, pupil: User, data: ParentData) -> tuple[User, bool]:
    existing = find_parent(pupil.school_id, data)
    if existing is not None:
        if existing.pk == pupil.pk:
            raise ServiceError(_("Ученик не может быть своим родителем."), code="self")
        account_services.add_guardianship(actor, parent=existing, child=pupil, relation=data.relation)
        return existing, False
    parent = account_services.add_parent(
        actor,
        pupil,
        relation=data.relation,
        last_name=data.last_name,
        first_name=data.first_name,
        patronymic=data.patronymic,
        phone=data.phone,
        email=data.email,
    )
    return parent, True
