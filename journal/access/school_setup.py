"""Access to the administrator's set-up pages («Настройка школы», issue 15 point 5): the
school's years, periods, holidays, bells, rooms, subjects, classes, curriculum and loads.

Every page is the administrator's (journal.roles.STRUCTURE_MANAGERS, docs/DESIGN.md §1.2,
§1.3): a wrong role is 403 (the views' `staff_required`), an object of another school 404.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from accounts.models import Guardianship, RoleAssignment
from accounts.predicates import predicate

from .. import roles as R
from ..models import (
    AcademicYear,
    Bell,
    CurriculumLine,
    Enrollment,
    Holidays,
    Room,
    SchoolClass,
    StudyPeriod,
    Subject,
    TeachingAssignment,
)
from .core import has_role

User = get_user_model()

# How each set-up model reaches its school.
SCHOOL_PATH = {
    AcademicYear: "school_id",
    StudyPeriod: "year__school_id",
    Holidays: "year__school_id",
    SchoolClass: "year__school_id",
    Bell: "school_id",
    Room: "school_id",
    Subject: "school_id",
    CurriculumLine: "school_class__year__school_id",
    TeachingAssignment: "school_class__year__school_id",
}
RELATED = {
    StudyPeriod: ("year",),
    Holidays: ("year",),
    SchoolClass: ("year", "class_teacher", "room"),
    CurriculumLine: ("school_class__year", "subject"),
    TeachingAssignment: ("school_class__year", "subject", "group", "teacher"),
}


@predicate("set_up_school")
def can_set_up_school(user) -> bool:
    """«Настройка школы»: the year, its periods and holidays, bells, rooms, subjects,
    classes, the curriculum and the loads — the administrator (администратор ЭЖ)."""
    return user.is_authenticated and has_role(user, *R.STRUCTURE_MANAGERS)


def setup_objects(user, model):
    """`model`'s rows of the user's school, for the administrator; none for anyone else."""
    if not can_set_up_school(user):
        return model.objects.none()
    return model.objects.filter(**{SCHOOL_PATH[model]: user.school_id}).select_related(*RELATED.get(model, ()))


def get_setup_object(user, model, pk):
    """One row of the user's school for the set-up pages; 404 outside it."""
    obj = setup_objects(user, model).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def school_staff(school_id):
    """The people of a school who may keep a journal or lead a class: active accounts that
    are neither pupils nor only parents (a parent with a role or a journal is staff too)."""
    qs = User.objects.filter(school_id=school_id, is_active=True)
    pupil = Exists(Enrollment.objects.filter(pupil=OuterRef("pk")))
    guardian = Exists(Guardianship.objects.filter(parent=OuterRef("pk")))
    has_role_row = Exists(RoleAssignment.objects.filter(user=OuterRef("pk")))
    teaches = Exists(TeachingAssignment.objects.filter(teacher=OuterRef("pk")))
    return (
        qs.filter(~pupil)
        .filter(Q(~guardian) | Q(has_role_row) | Q(teaches))
        .order_by("last_name", "first_name", "patronymic")
    )
