"""Which roles a person holds, derived from assigned roles and domain links."""

from accounts import scopes as _scopes
from accounts.models import Guardianship, RoleAssignment
from accounts.scopes import assigned_roles

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
# Who changes what, by assigned role (DESIGN §1). The administrator manages accounts and
# structure but never marks; secretary keeps class lists and pupil movement; the
# scheduler (and the deputy, who builds it) edits the timetable.
STRUCTURE_MANAGERS = frozenset({ADMIN})
ACCOUNT_MANAGERS = frozenset({ADMIN})
PUPIL_MOVEMENT_EDITORS = frozenset({ADMIN, SECRETARY})
TIMETABLE_EDITORS = frozenset({ADMIN, DEPUTY, SCHEDULER})
CLASS_LIST_READERS = frozenset({ADMIN, DIRECTOR, DEPUTY, SECRETARY, SCHEDULER})
# Staff roles that the school may require a second factor for.
TWO_FACTOR_ROLES = _scopes.TWO_FACTOR_ROLES


def has_any(user, roles) -> bool:
    return bool(user_roles(user) & frozenset(roles))


def user_roles(user) -> frozenset[str]:
    """All roles of `user` in their school, memoised on the user object for one request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_ej_roles", None)
    if cached is not None:
        return cached
    roles = set(assigned_roles(user))
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
