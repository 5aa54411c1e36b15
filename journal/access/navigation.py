"""The named predicates menus, pages and templates share (docs/ARCHITECTURE.md)."""

from django.contrib.auth import get_user_model
from django.http import Http404

from accounts.predicates import predicate

from .. import roles as R
from ..models import (
    SchoolClass,
)
from .core import assignments_readable, can_set_period_marks, has_role, reads_whole_school

User = get_user_model()


# --- navigation (issue 14): the named predicates menus, pages and templates share ----
#
# A menu item, a link and the page behind it ask the same function, so nobody sees a
# link to a page that refuses them (templates: {% load access %}, `|can:` and {% can %}).


@predicate("open_my_journals")
def can_open_my_journals(user) -> bool:
    """«Мои журналы»: a teacher, or anyone who substitutes a lesson now (the administration may)."""
    if not user.is_authenticated:
        return False
    roles = R.user_roles(user)
    if R.TEACHER in roles:
        return True
    if not roles & R.WHOLE_SCHOOL_READERS:  # only teachers and the administration substitute
        return False
    return R.substitutes_now(user)


@predicate("read_school_journals")
def can_read_school_journals(user) -> bool:
    """«Журналы школы»: every class's journals, read-only (deputy, director)."""
    return user.is_authenticated and reads_whole_school(user)


@predicate("open_class_page")
def can_open_class_page(user, klass) -> bool:
    """A class's page (its journals and procedures): its class teacher, deputy, director."""
    return user.is_authenticated and (
        klass.class_teacher_id == user.pk or (klass.year.school_id == user.school_id and reads_whole_school(user))
    )


def get_class_page_for_user(user, pk):
    """(class, is_class_teacher) for the class page; 404 for anyone else."""
    klass = (
        SchoolClass.objects.filter(year__school_id=user.school_id, pk=pk)
        .select_related("year__school", "class_teacher", "room")
        .first()
    )
    if klass is None or not can_open_class_page(user, klass):
        raise Http404
    return klass, klass.class_teacher_id == user.pk


@predicate("read_school_substitutions")
def can_read_school_substitutions(user) -> bool:
    """The school's whole substitution log (журнал замещения уроков): the menu item.
    Teachers see their own rows from «Мои журналы» and the substitutions page."""
    return has_role(user, *R.SUBSTITUTION_LOG_READERS)


@predicate("read_journal")
def can_read_journal(user, assignment) -> bool:
    """May `user` open the journal's grid? (A substitute opens only her lessons.)

    The journal's teacher, its class's teacher and the administration without a query
    (the facts are loaded with the assignment); anyone else as assignments_readable says.
    """
    if not user.is_authenticated:
        return False
    if user.pk in (assignment.teacher_id, assignment.school_class.class_teacher_id) or reads_whole_school(user):
        return assignment.school_class.year.school_id == user.school_id
    return assignments_readable(user).filter(pk=assignment.pk).exists()


@predicate("request_lesson_correction")
def can_request_lesson_correction(user, lesson) -> bool:
    """Only the journal's own teacher files an объяснительная about a lesson."""
    return user.is_authenticated and lesson.assignment.teacher_id == user.pk


@predicate("request_period_correction")
def can_request_period_correction(user, assignment) -> bool:
    """Period marks: the journal's teacher or the class teacher (as for setting them)."""
    return can_set_period_marks(user, assignment)


@predicate("print_class_diary")
def can_print_class_diary(user, klass) -> bool:
    """The printed week of a class's diaries (diary.access.get_printable_class): its class
    teacher, deputy, director."""
    return can_open_class_page(user, klass)


@predicate("see_absence_reasons")
def can_see_absence_reasons(user, klass) -> bool:
    """Reasons of absences (journal:absence_reasons): the class teacher, deputy, director."""
    return can_open_class_page(user, klass)


def pending_corrections(user):
    """New объяснительные waiting for the deputy's decision (the menu's count)."""
    from ..models import CorrectionRequest

    return CorrectionRequest.objects.filter(school_id=user.school_id, status=CorrectionRequest.Status.PENDING)
