"""One real demo account per role, picked deterministically from the first school."""

from django.db.models import Count, Q
from django.utils import timezone

from accounts import roles as R
from accounts.models import RoleAssignment, School, User
from journal.models import Enrollment, SchoolClass

ROLES = (R.ADMIN, R.DIRECTOR, R.DEPUTY, R.CLASS_TEACHER, R.TEACHER, R.PARENT, R.STUDENT)


def demo_accounts(school: School | None = None) -> list[tuple[str, User]]:
    """[(role, user)] for the roles of ROLES that the school has people for."""
    school = school or School.objects.order_by("id").first()
    if school is None:
        return []
    people = User.objects.filter(school=school, is_active=True)
    result = []
    for role in (R.ADMIN, R.DIRECTOR, R.DEPUTY):
        user = people.filter(roles__school=school, roles__role=RoleAssignment.Role(role)).order_by("username").first()
        if user:
            result.append((role, user))
    classes = SchoolClass.objects.filter(year__school=school, class_teacher__isnull=False).order_by(
        "-year__start", "grade", "letter"
    )
    # A middle-school class shows the most (marks, subgroups, many subjects).
    klass = classes.filter(grade__gte=5).first() or classes.first()
    if klass:
        result.append((R.CLASS_TEACHER, klass.class_teacher))
    teacher = (
        people.filter(assignments__is_active=True)
        .exclude(led_classes__year__school=school)
        .annotate(n=Count("assignments", filter=Q(assignments__is_active=True)))
        .order_by("-n", "username")
        .first()
    )
    if teacher:
        result.append((R.TEACHER, teacher))
    parent = people.annotate(n=Count("children_links")).filter(n__gt=0).order_by("-n", "username").first()
    if parent:
        result.append((R.PARENT, parent))
        # The oldest child at school has the most to show (no marks in grade 1).
        child = (
            User.objects.filter(
                Enrollment.objects.on_q(timezone.localdate(), "enrollments__"), parent_links__parent=parent
            )
            .order_by("-enrollments__school_class__grade", "username")
            .first()
        )
        if child:
            result.append((R.STUDENT, child))
    return result
