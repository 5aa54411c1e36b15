from django.utils.functional import SimpleLazyObject, cached_property

from . import access
from .roles import user_roles


class NavCounts:
    """The journal menu's counters; computed only when the menu asks, once per request.
    (Which items show is asked of the named predicates: {% load access %} in _nav.html.)"""

    def __init__(self, user):
        self.user = user

    @cached_property
    def _counts(self) -> dict:
        """The deputy's and the scheduler's counters in one query (only theirs: nobody else pays it)."""
        from django.db.models import Count, IntegerField, Subquery

        from accounts.models import School

        wanted = {}
        if access.is_deputy(self.user):
            wanted["corrections"] = access.pending_corrections(self.user)
        if access.can_change_lessons(self.user):
            wanted["lesson_reviews"] = access.lesson_reviews_readable(self.user).open()
        if not wanted:
            return {}

        def count(qs):
            n = qs.order_by().values("school_id").annotate(n=Count("pk")).values("n")[:1]
            return Subquery(n, output_field=IntegerField())

        row = (
            School.objects.filter(pk=self.user.school_id).values(**{k: count(qs) for k, qs in wanted.items()}).first()
        ) or {}
        return {k: v or 0 for k, v in row.items()}

    @property
    def new_corrections(self):
        """The deputy's count of requests waiting for her decision."""
        return self._counts.get("corrections", 0)

    @property
    def open_lesson_reviews(self):
        """Lessons the timetable sync listed for the deputy and the scheduler."""
        return self._counts.get("lesson_reviews", 0)


def nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": frozenset()}
    return {"roles": user_roles(user), "nav_journal": SimpleLazyObject(lambda: NavCounts(user))}
