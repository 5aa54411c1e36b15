from django.utils.functional import SimpleLazyObject, cached_property

from . import access
from .roles import user_roles


class NavCounts:
    """The journal menu's counters; computed only when the menu asks, once per request.
    (Which items show is asked of the named predicates: {% load access %} in _nav.html.)"""

    def __init__(self, user):
        self.user = user

    @cached_property
    def new_corrections(self):
        """The deputy's count of requests waiting for her decision (one query, only for her)."""
        if not access.is_deputy(self.user):
            return 0
        return access.pending_corrections(self.user).count()

    @cached_property
    def open_lesson_reviews(self):
        """Lessons the timetable sync listed for the deputy and the scheduler (one query, only for them)."""
        if not access.can_change_lessons(self.user):
            return 0
        return access.lesson_reviews_readable(self.user).open().count()


def nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": frozenset()}
    return {"roles": user_roles(user), "nav_journal": SimpleLazyObject(lambda: NavCounts(user))}
