"""Access to the records procedures: substitutions, plans, corrections, outages,
the deadline control and notices."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from accounts.predicates import predicate

from .. import roles as R
from ..models import (
    SchoolClass,
)
from .core import (
    current_pupils_of_led_classes,
    get_assignment_for_user,
    has_role,
    reads_whole_school,
    substituted_lessons,
)

User = get_user_model()


# --- records (issue 4): substitutions, plans, corrections, outages, absences -------
#
# Kept apart from the helpers above: substitutions only widen lesson access
# (can_write_lesson / lessons_readable), everything else is new helpers.


def substituted_lesson_ids(user):
    """Lessons the user currently substitutes in (subquery of ids)."""
    return substituted_lessons(user).values("pk")


def substitution_active(user, lesson) -> bool:
    return substituted_lessons(user).filter(pk=lesson.pk).exists()


@predicate("decide_corrections")
def is_deputy(user) -> bool:
    """The deputy (завуч) decides corrections, unlocks lessons, transfers any temporary journal."""
    return has_role(user, *R.CORRECTION_DECIDERS)


@predicate("assign_substitutes")
def can_assign_substitutes(user) -> bool:
    return has_role(user, *R.SUBSTITUTION_ASSIGNERS)


@predicate("read_substitutions")
def can_read_substitutions(user) -> bool:
    """The substitutions page: staff who teach or plan lessons (rows are filtered below)."""
    return has_role(user, *R.SUBSTITUTION_READERS)


def substitutions_readable(user):
    """The substitution log: school-wide for deputy, director and scheduler; otherwise
    the rows where the user is the substitute or the replaced teacher."""
    from ..models import Substitution

    qs = Substitution.objects.filter(lesson__assignment__school_class__year__school_id=user.school_id)
    if has_role(user, *R.SUBSTITUTION_LOG_READERS):
        return qs
    return qs.filter(Q(substitute=user) | Q(lesson__assignment__teacher=user))


def get_substitution_for_user(user, pk):
    """(substitution, can_revoke)."""
    sub = substitutions_readable(user).select_related("lesson__assignment").filter(pk=pk).first()
    if sub is None:
        raise Http404
    return sub, can_assign_substitutes(user)


def get_plan_assignment_for_user(user, pk):
    """(assignment, can_edit_plan): the plan is the journal teacher's; readers of the journal see it.
    A closed year's plan is read-only (docs/DESIGN.md §3.25)."""
    assignment, can_edit = get_assignment_for_user(user, pk)
    return assignment, can_edit and not assignment.school_class.year.is_closed


@predicate("read_corrections")
def can_read_corrections(user) -> bool:
    """The corrections page: teachers write explanations, deputy and director read them all."""
    return has_role(user, *R.CORRECTION_READERS)


def corrections_readable(user):
    """Объяснительные: the author's own; all of the school for deputy and director."""
    from ..models import CorrectionRequest

    qs = CorrectionRequest.objects.filter(school_id=user.school_id)
    if reads_whole_school(user):
        return qs
    return qs.filter(teacher=user)


def get_correction_for_user(user, pk):
    """(request, can_decide): only the deputy decides."""
    req = (
        corrections_readable(user)
        .select_related("teacher", "school_class", "subject", "lesson__bell", "period", "decided_by", "school")
        .filter(pk=pk)
        .first()
    )
    if req is None:
        raise Http404
    return req, is_deputy(user)


@predicate("read_outages")
def can_read_outages(user) -> bool:
    return has_role(user, *R.OUTAGE_READERS)


@predicate("manage_outages")
def can_manage_outages(user) -> bool:
    """The deputy and the administrator record outages and their end."""
    return has_role(user, *R.OUTAGE_MANAGERS)


@predicate("transfer_temp_journal")
def can_transfer_temp_journal(user) -> bool:
    """Teachers transfer their paper journals after an outage; the deputy any of them."""
    return has_role(user, *R.TEMP_JOURNAL_TRANSFERRERS)


def outages_readable(user):
    """Outages of the user's school: every member of staff transfers paper journals."""
    from ..models import Outage

    if not can_read_outages(user):
        return Outage.objects.none()
    return Outage.objects.filter(school_id=user.school_id)


def get_outage_for_user(user, pk):
    """(outage, can_manage): the deputy and the administrator record outages."""
    outage = outages_readable(user).filter(pk=pk).first()
    if outage is None:
        raise Http404
    return outage, can_manage_outages(user)


# --- deadline control (issue 7) ------------------------------------------------------


@predicate("control_journal")
def control_allowed(user) -> bool:
    """The school's control page (discipline of the journal): deputy and director."""
    return user.is_authenticated and reads_whole_school(user)


def violations_readable(user):
    """Deputy/director: the school's; others: their own and their class's (class teacher)."""
    from ..models import Violation

    qs = Violation.objects.filter(school_id=user.school_id)
    if reads_whole_school(user):
        return qs
    return qs.filter(Q(responsible=user) | Q(school_class__class_teacher=user))


def get_violation_for_user(user, pk):
    """(violation, can_write); nobody edits a violation, it follows the data."""
    v = violations_readable(user).filter(pk=pk).first()
    if v is None:
        raise Http404
    return v, False


def get_class_control_for_user(user, pk):
    """(class, is_class_teacher) for the class teacher's control page: own class, or any (deputy, director)."""
    qs = SchoolClass.objects.filter(year__school_id=user.school_id).select_related("year__school", "class_teacher")
    if not reads_whole_school(user):
        qs = qs.filter(class_teacher=user)
    klass = qs.filter(pk=pk).first()
    if klass is None:
        raise Http404
    return klass, klass.class_teacher_id == user.pk


def notifications_of(user):
    from ..models import Notification

    return Notification.objects.filter(user_id=user.pk)


def get_notification_for_user(user, pk):
    """(notification, can_write): only its recipient sees it and marks it read."""
    n = notifications_of(user).filter(pk=pk).first()
    if n is None:
        raise Http404
    return n, True


@predicate("read_all_card_views")
def can_read_all_card_views(user) -> bool:
    """The administrator reads the card-view log of every pupil of the school (the link
    is on the contingent's class list, journal/class_people.html)."""
    return R.ADMIN in R.user_roles(user)


@predicate("read_card_views")
def can_read_card_views(user, pupil) -> bool:
    """Who opened a pupil's card: shown to the administrator and to the pupil's class teacher."""
    if can_read_all_card_views(user):
        return True
    return current_pupils_of_led_classes(user).filter(pupil=pupil).exists()
