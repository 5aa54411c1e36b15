"""Demo data: a realistic Russian school (or a small one for tests, or a district)."""

from .generator import DEMO_PASSWORD, SIZES, seed


def after_seed(schools):
    """Runs once after all demo schools are written.

    Gives each demo administrator the model permissions of the Django admin. This is
    the place to wire further per-school set-up of other features (object permissions:
    `journal.permissions.sync_permissions(school)` once that module exists).
    """
    from accounts.models import RoleAssignment, User
    from journal.admin import school_admin_group

    group = school_admin_group()
    admins = User.objects.filter(roles__school__in=schools, roles__role=RoleAssignment.Role.ADMIN).order_by("username")
    group.user_set.add(*admins)


__all__ = ["DEMO_PASSWORD", "SIZES", "after_seed", "seed"]
