"""Demo data: a realistic Russian school (or a small one for tests, or a district).

from demo import seeding
seeding.seed("small", seed=3, today=day)       # the schools written
"""

from .generator import DEMO_PASSWORD, SIZES, seed


def after_seed(schools):
    """Runs once after all demo schools are written.

    Gives each demo administrator the model permissions of the Django admin, and
    derives the object permissions from the links the seed bulk-created (bulk writes
    skip the signals that keep them in step).
    """
    from accounts.admin import school_admin_group
    from accounts.models import RoleAssignment, User
    from journal import permissions

    group = school_admin_group()
    admins = User.objects.filter(roles__school__in=schools, roles__role=RoleAssignment.Role.ADMIN).order_by("username")
    group.user_set.add(*admins)
    permissions.rebuild_all()


__all__ = ["DEMO_PASSWORD", "SIZES", "after_seed", "seed"]
