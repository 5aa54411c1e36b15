"""Which roles a person holds, derived from assigned roles and domain links."""

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
    roles = set(RoleAssignment.objects.filter(user=user, school_id=user.school_id).values_list("role", flat=True))
    if TeachingAssignment.objects.filter(teacher=user, is_active=True).exists():
        roles.add(TEACHER)
    if SchoolClass.objects.filter(class_teacher=user, year__is_closed=False).exists():
        roles.add(CLASS_TEACHER)
    if Guardianship.objects.filter(parent=user).exists():
        roles.add(PARENT)
    if Enrollment.objects.filter(pupil=user).exists():
        roles.add(STUDENT)
    user._ej_roles = frozenset(roles)
    return user._ej_roles
