"""Which roles a person holds, derived from assigned roles and domain links."""

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef

from accounts.models import Guardianship, RoleAssignment

from .models import Enrollment, SchoolClass, TeachingAssignment

TEACHER = "teacher"
CLASS_TEACHER = "class_teacher"
PARENT = "parent"
STUDENT = "student"
ADMIN = RoleAssignment.Role.ADMIN.value
DIRECTOR = RoleAssignment.Role.DIRECTOR.value
DEPUTY = RoleAssignment.Role.DEPUTY.value
SECRETARY = RoleAssignment.Role.SECRETARY.value
SCHEDULER = RoleAssignment.Role.SCHEDULER.value

SCHOOL_WIDE_READERS = frozenset({DIRECTOR, DEPUTY})


def user_roles(user) -> frozenset[str]:
    """All roles of `user` in their school, memoised on the user object for one request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_ej_roles", None)
    if cached is not None:
        return cached
    # One query for all five facts: this runs on every page (the nav), so it counts.
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            assigned=ArraySubquery(
                RoleAssignment.objects.filter(user=OuterRef("pk"), school_id=user.school_id).values("role")
            ),
            teaches=Exists(TeachingAssignment.objects.filter(teacher=OuterRef("pk"), is_active=True)),
            leads=Exists(SchoolClass.objects.filter(class_teacher=OuterRef("pk"), year__is_closed=False)),
            guards=Exists(Guardianship.objects.filter(parent=OuterRef("pk"))),
            enrolled=Exists(Enrollment.objects.filter(pupil=OuterRef("pk"))),
        )
        .order_by()
        .first()
    ) or {"assigned": [], "teaches": False, "leads": False, "guards": False, "enrolled": False}
    roles = set(row["assigned"])
    for flag, role in (("teaches", TEACHER), ("leads", CLASS_TEACHER), ("guards", PARENT), ("enrolled", STUDENT)):
        if row[flag]:
            roles.add(role)
    user._ej_roles = frozenset(roles)
    return user._ej_roles
