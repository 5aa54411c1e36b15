"""Access decisions of the journal app: the one place views ask.

Helpers return querysets filtered in the database, or (object, can_write) pairs,
and raise Http404 for anything outside the user's scope.
"""

from django.utils import timezone

from .models import AcademicYear


def current_year(school, day=None):
    """The school's academic year containing `day` (today by default), else the latest one."""
    if school is None:
        return None
    day = day or timezone.localdate()
    years = AcademicYear.objects.filter(school=school)
    return years.filter(start__lte=day, end__gte=day).first() or years.order_by("-start").first()
