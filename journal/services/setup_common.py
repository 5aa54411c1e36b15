"""What the administrator's set-up services share (issue 15 point 5; docs/DESIGN.md §1.2):
the permission, an audited create and change (validated, the row's state before and after
in the audit trail), an audited delete that is refused in Russian when something still
depends on the row.

Each public function of setup_calendar, setup_school and setup_classes is one
transaction opened with `audit.chain(actor.school_id)` (the chain lock first, the
writers' one lock order): permission, validation, write, audit. Saving a year, a
period, holidays or a bell queues the school's lesson sync on commit through the model
signal (journal/signals.py), exactly as the Django admin's saves do.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from accounts import audit

from .. import access
from .errors import NotAllowed, ServiceError

NAME_MAX = 120


def require_admin(actor):
    if not access.can_set_up_school(actor):
        raise NotAllowed(_("Настройку школы ведёт администратор ЭЖ."))


def d(day: date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else "—"


def span(start, end) -> str:
    return f"{d(start)}–{d(end)}"


def text(value, *, label, limit=NAME_MAX, required=True) -> str:
    """A name typed into a form: spaces collapsed, required and within its limit."""
    value = " ".join((value or "").split())
    if required and not value:
        raise ServiceError(_("Укажите: %(what)s.") % {"what": label}, code="required")
    if len(value) > limit:
        raise ServiceError(
            _("%(what)s — не длиннее %(max)s знаков.") % {"what": label.capitalize(), "max": limit}, code="too_long"
        )
    return value


def state(obj, fields) -> dict:
    return model_to_dict(obj, fields=fields)


def save(obj):
    """Validate and save `obj` in a savepoint: a constraint the service's own checks did
    not foresee is refused with the model's Russian message, never a 500."""
    try:
        obj.full_clean()
    except ValidationError as e:
        raise ServiceError(validation_message(e), code="invalid") from e
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as e:
        raise ServiceError(_("Запись не сохранена: она противоречит другой записи школы."), code="conflict") from e
    return obj


def create(actor, obj, *, action, fields):
    """Validate and save the new `obj`, audited with its `fields`."""
    save(obj)
    audit.record(actor=actor, action=action, obj=obj, school=actor.school_id, after=state(obj, fields))
    return obj


def change(actor, obj, values: dict, *, action, fields):
    """Set `values` on `obj`, validate and save it, audited old → new over `fields`."""
    before = state(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    save(obj)
    audit.record(actor=actor, action=action, obj=obj, school=actor.school_id, before=before, after=state(obj, fields))
    return obj


def delete(actor, obj, *, action, before, refusal: str):
    """Delete `obj` audited; `refusal` when rows still point at it (PROTECT)."""
    label = audit.object_label(obj)
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, IntegrityError) as e:
        raise ServiceError(refusal, code="in_use") from e
    audit.record(
        actor=actor, action=action, object_type=label[0], object_id=label[1], school=actor.school_id, before=before
    )


def validation_message(exc) -> str:
    """A model's ValidationError (its constraints' Russian messages) as one line."""
    return " ".join(str(m) for m in exc.messages)
