"""Links that give people rights in the journal: who keeps a journal, who leads a class.

Each function: permission (administrator of the school), validation, write, audit —
one transaction. The object permissions (`fill_journal`, `lead_class`) follow from
the save through journal/signals.py inside the same transaction, exactly as when
the Django admin saves these models.
"""

from django.db import transaction
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
    with transaction.atomic():
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
    with transaction.atomic():
        a = TeachingAssignment.objects.select_for_update().get(pk=assignment.pk)
        if a.teacher_id == teacher.pk:
            return a
        before = _assignment_state(a)
        a.teacher = teacher
        a.save(update_fields=["teacher"])
        audit.record(
            actor=actor,
            action="structure.assignment_teacher",
            obj=a,
            school=school_id,
            before=before,
            after=_assignment_state(a),
        )
    return a


def set_assignment_active(actor, assignment, active: bool) -> TeachingAssignment:
    school_id = assignment.school_class.year.school_id
    _require_structure_manager(actor, school_id)
    with transaction.atomic():
        a = TeachingAssignment.objects.select_for_update().get(pk=assignment.pk)
        if a.is_active == active:
            return a
        before = _assignment_state(a)
        a.is_active = active
        a.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="structure.assignment_active",
            obj=a,
            school=school_id,
            before=before,
            after=_assignment_state(a),
        )
    return a


def change_class_teacher(actor, school_class, teacher) -> SchoolClass:
    """Set (or clear with None) the class teacher: `lead_class` moves with it."""
    school_id = school_class.year.school_id
    _require_structure_manager(actor, school_id)
    _check_teacher(teacher, school_id)
    with transaction.atomic():
        c = SchoolClass.objects.select_for_update().get(pk=school_class.pk)
        new_id = teacher.pk if teacher else None
        if c.class_teacher_id == new_id:
            return c
        before = {"class_teacher": c.class_teacher_id}
        c.class_teacher = teacher
        c.save(update_fields=["class_teacher"])
        audit.record(
            actor=actor,
            action="structure.class_teacher",
            obj=c,
            school=school_id,
            before=before,
            after={"class_teacher": new_id},
        )
    return c
