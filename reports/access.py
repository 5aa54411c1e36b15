"""Who may build which report (docs/DESIGN.md §4), over which object; out of scope → 404.

Built on journal.access: a class or journal the user cannot read is a 404 before the
report's own roles are even asked.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.predicates import predicate
from ejournal.params import id_or_404
from journal import access as J
from journal import roles as R

from .models import MonthlyActivity, ReportJob
from .registry import ASSIGNMENT, CLASS, KINDS, SCHOOL


def _kind(code, scope):
    kind = KINDS.get(code)
    if kind is None or kind.scope != scope:
        raise Http404
    return kind


def is_school_staff(user) -> bool:
    """Deputy and director: every report of the school (journal.access.reads_whole_school)."""
    return J.reads_whole_school(user)


@predicate("read_reports")
def can_read_reports(user) -> bool:
    """The reports page is for those who build reports: teachers, class teachers, deputy, director."""
    return bool(R.user_roles(user) & R.REPORT_BUILDERS)


def get_class_report(user, pk, code):
    """(kind, class): the class teacher of this class, or the school's deputy and director."""
    kind = _kind(code, CLASS)
    klass, _can_write = J.get_class_for_user(user, pk)
    if is_school_staff(user) and kind.roles & R.WHOLE_SCHOOL_READERS:
        return kind, klass
    if R.CLASS_TEACHER in kind.roles and klass.class_teacher_id == user.pk:
        return kind, klass
    raise Http404


def get_assignment_report(user, pk, code):
    """(kind, assignment): the journal's own teacher, or the school's deputy and director."""
    kind = _kind(code, ASSIGNMENT)
    a, own = J.get_assignment_for_user(user, pk)
    if is_school_staff(user) and kind.roles & R.WHOLE_SCHOOL_READERS:
        return kind, a
    if R.TEACHER in kind.roles and own:
        return kind, a
    raise Http404


def report_year(request):
    """The school year the reports are built for (docs/DESIGN.md §4.6): the
    `year` of the query string (or of the posted form), a year of the user's own school
    (journal.access.get_year_for_user: anything else is 404), else the current year
    (None when the school has no year)."""
    raw = request.POST.get("year") if request.method == "POST" else request.GET.get("year")
    if raw:
        return J.get_year_for_user(request.user, id_or_404(raw))
    return J.current_year(request.user.school)


def get_school_report(user, code, year=None):
    """(kind, academic year): deputy and director of their own school; a wrong role is 403.
    `year` is the one chosen (report_year), else the current year."""
    kind = _kind(code, SCHOOL)
    if not (is_school_staff(user) and kind.roles & R.WHOLE_SCHOOL_READERS):
        raise PermissionDenied
    year = year or J.current_year(user.school)
    if year is None or year.school_id != user.school_id:
        raise Http404
    return kind, year


def check_index(user):
    """The reports page is for those who build reports."""
    if not can_read_reports(user):
        raise PermissionDenied


def own_classes(user, year):
    return J.classes_readable(user).filter(year=year, class_teacher=user) if year else []


def own_assignments(user, year):
    return (
        J.assignments_readable(user)
        .filter(teacher=user, school_class__year=year)
        .select_related("school_class", "group", "subject")
        .order_by("school_class__grade", "school_class__letter", "subject__order", "subject__name")
    )


def jobs_readable(user):
    qs = ReportJob.objects.filter(school_id=user.school_id)
    if is_school_staff(user):
        return qs
    return qs.filter(created_by=user)


def get_job_for_user(user, pk):
    job = jobs_readable(user).filter(pk=pk).select_related("created_by").first()
    if job is None:
        raise Http404
    return job


def activity_readable(user):
    if not is_school_staff(user):
        raise PermissionDenied
    return MonthlyActivity.objects.filter(school_id=user.school_id)


def get_activity_for_user(user, pk):
    if not is_school_staff(user):
        raise Http404
    obj = MonthlyActivity.objects.filter(school_id=user.school_id, pk=pk).select_related("school").first()
    if obj is None:
        raise Http404
    return obj
