"""Links that give people rights in the journal: who keeps a journal, who leads a class.

Each function: permission (administrator of the school), validation, write, audit —
one transaction. The object permissions (`fill_journal`, `lead_class`) follow from
the save through journal/signals.py inside the same transaction, exactly as when
the Django admin saves these models.
"""

from django.db import models
from django.utils.translation import gettext as _

from accounts import audit

from .. import roles as R
from ..models import SchoolClass, TeachingAssignment
from .errors import NotAllowed, ServiceError


def _require_structure_manager(actor, school_id):
    if actor.school_id != school_id or not R.has_any(actor, R.STRUCTURE_MANAGERS):
        raise NotAllowed(_("Нагрузку и классное руководство назначает администратор ЭЖ."))


def _check_teacher(teacher, school_id):
    if teacher is not None and (teacher.school_id != school_id or not teacher.is_active):
        raise ServiceError(_("Учитель должен работать в этой школе."), code="foreign_teacher")


def _assignment_state(a):
    return {
        "teacher": a.teacher_id,
        "class": a.school_class_id,
        "group": a.group_id,
        "subject": a.subject_id,
        "is_active": a.is_active,
    }


def create_assignment(actor, *, school_class, subject, teacher, group=None) -> TeachingAssignment:
    school_id = school_class.year.school_id
    _require_structure_manager(actor, school_id)
    _check_teacher(teacher, school_id)
    if subject.school_id != school_id or (group is not None and group.school_class_id != school_class.pk):
        raise ServiceError(_("Предмет и группа должны относиться к этому классу и школе."), code="mismatch")
    with audit.chain(actor.school_id):
        exists = TeachingAssignment.objects.filter(school_class=school_class, subject=subject, group=group)
        if exists.exists():
            raise ServiceError(_("Такая нагрузка уже есть: смените учителя в ней."), code="duplicate")
        a = TeachingAssignment.objects.create(school_class=school_class, subject=subject, teacher=teacher, group=group)
        audit.record(
            actor=actor, action="structure.assignment_create", obj=a, school=school_id, after=_assignment_state(a)
        )
    return a


def assign_teacher(actor, assignment, teacher) -> TeachingAssignment:
    """Hand a journal to another teacher: the old one loses `fill_journal`, the new one gets it."""
    school_id = assignment.school_class.year.school_id
    _require_structure_manager(actor, school_id)
    _check_teacher(teacher, school_id)
    return _set_field(actor, assignment, "teacher", teacher, school_id=school_id, action="structure.assignment_teacher")


def set_assignment_active(actor, assignment, active: bool) -> TeachingAssignment:
    school_id = assignment.school_class.year.school_id
    _require_structure_manager(actor, school_id)
    return _set_field(actor, assignment, "is_active", active, school_id=school_id, action="structure.assignment_active")


def change_class_teacher(actor, school_class, teacher) -> SchoolClass:
    """Set (or clear with None) the class teacher: `lead_class` moves with it."""
    school_id = school_class.year.school_id
    _require_structure_manager(actor, school_id)
    _check_teacher(teacher, school_id)
    return _set_field(
        actor,
        school_class,
        "class_teacher",
        teacher,
        school_id=school_id,
        action="structure.class_teacher",
        state=lambda c: {"class_teacher": c.class_teacher_id},
    )


def _set_field(actor, obj, field, value, *, school_id, action, state=_assignment_state):
    """Lock `obj`'s row and set one field, audited, in one transaction; no write when it already holds `value`."""
    with audit.chain(school_id):
        row = type(obj).objects.select_for_update().get(pk=obj.pk)
        current = getattr(row, row._meta.get_field(field).attname)
        if current == (value.pk if isinstance(value, models.Model) else value):
            return row
        before = state(row)
        setattr(row, field, value)
        row.save(update_fields=[field])
        audit.record(actor=actor, action=action, obj=row, school=school_id, before=before, after=state(row))
    return row
