"""Access decisions of the journal app: the one place views ask.

Helpers return querysets filtered in the database, or (object, can_write) pairs,
and raise Http404 for anything outside the user's scope — never 403, so nobody
learns that an object exists.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from accounts.models import Guardianship

from . import roles as R
from .models import AcademicYear, Enrollment, Lesson, SchoolClass, TeachingAssignment

User = get_user_model()


def current_year(school, day=None):
    """The school's academic year containing `day` (today by default), else the latest one."""
    if school is None:
        return None
    day = day or timezone.localdate()
    years = AcademicYear.objects.filter(school=school)
    return years.filter(start__lte=day, end__gte=day).first() or years.order_by("-start").first()


def _school_wide(user) -> bool:
    return bool(R.user_roles(user) & R.SCHOOL_WIDE_READERS)


# --- teaching assignments (journals) -------------------------------------------------


def assignments_readable(user):
    """Journals the user may open: own, own class's (class teacher), all of the school (deputy, director)."""
    qs = TeachingAssignment.objects.filter(school_class__year__school_id=user.school_id)
    if _school_wide(user):
        return qs
    return qs.filter(Q(teacher=user) | Q(school_class__class_teacher=user))


def get_assignment_for_user(user, pk):
    """(assignment, can_write); can_write means entering lessons, marks, attendance."""
    a = (
        assignments_readable(user)
        .select_related("school_class__year__school", "group", "subject", "teacher")
        .filter(pk=pk)
        .first()
    )
    if a is None:
        raise Http404
    return a, a.teacher_id == user.pk


# --- lessons -------------------------------------------------------------------------


def lesson_write_allowed(user, lesson) -> bool:
    """May `user` enter topic, attendance and marks for this lesson?"""
    if not user.is_authenticated:
        return False
    return lesson.assignment.teacher_id == user.pk or substitution_active(user, lesson)


def lessons_readable(user):
    return Lesson.objects.filter(Q(assignment__in=assignments_readable(user)) | Q(pk__in=substituted_lesson_ids(user)))


def get_lesson_for_user(user, pk):
    lesson = (
        lessons_readable(user)
        .select_related(
            "assignment__school_class__year__school", "assignment__group", "assignment__subject", "bell", "room"
        )
        .filter(pk=pk)
        .first()
    )
    if lesson is None:
        raise Http404
    return lesson, lesson_write_allowed(user, lesson)


# --- classes -------------------------------------------------------------------------


def classes_readable(user):
    qs = SchoolClass.objects.filter(year__school_id=user.school_id)
    if _school_wide(user):
        return qs
    return qs.filter(Q(class_teacher=user) | Q(assignments__teacher=user)).distinct()


def get_class_for_user(user, pk):
    """(class, can_write); can_write: period marks, absence reasons, pupil cards (class teacher)."""
    klass = classes_readable(user).select_related("year__school", "class_teacher").filter(pk=pk).first()
    if klass is None:
        raise Http404
    return klass, klass.class_teacher_id == user.pk


# --- pupils --------------------------------------------------------------------------


def children_of(user):
    """The pupils whose diary this user reads: own children (parent) and self (pupil)."""
    return User.objects.filter(Q(parent_links__parent=user) | Q(pk=user.pk, enrollments__isnull=False)).distinct()


def pupils_readable(user):
    """Pupils whose records the user may see."""
    enrolled_in = Enrollment.objects.filter(pupil=OuterRef("pk"))
    own = Q(pk=user.pk) | Q(Exists(Guardianship.objects.filter(parent=user, child=OuterRef("pk"))))
    if _school_wide(user):
        return User.objects.filter(own | Q(Exists(enrolled_in.filter(school_class__year__school_id=user.school_id))))
    staff = Q(
        Exists(enrolled_in.filter(Q(school_class__class_teacher=user) | Q(school_class__assignments__teacher=user)))
    )
    return User.objects.filter(own | staff)


def get_pupil_for_user(user, pk):
    """(pupil, can_write); can_write: the pupil's card (class teacher of the pupil's class)."""
    pupil = pupils_readable(user).filter(pk=pk, enrollments__isnull=False).distinct().first()
    if pupil is None:
        raise Http404
    can_write = Enrollment.objects.filter(pupil=pupil, school_class__class_teacher=user, end__isnull=True).exists()
    return pupil, can_write


# --- records (issue 4): substitutions, plans, corrections, outages, absences -------
#
# Kept apart from the helpers above: substitutions only widen lesson access
# (lesson_write_allowed / lessons_readable), everything else is new helpers.


def substituted_lesson_ids(user):
    """Lessons the user currently substitutes in (subquery of ids)."""
    from .models import Substitution

    return Substitution.objects.active().filter(substitute_id=user.pk).values("lesson_id")


def substitution_active(user, lesson) -> bool:
    from .models import Substitution

    return Substitution.objects.active().filter(substitute_id=user.pk, lesson_id=lesson.pk).exists()


def has_role(user, *roles) -> bool:
    return bool(R.user_roles(user) & set(roles))


def is_deputy(user) -> bool:
    """The deputy (завуч) decides corrections, unlocks lessons, records outages."""
    return has_role(user, R.DEPUTY)


def can_assign_substitutes(user) -> bool:
    return has_role(user, R.DEPUTY, R.SCHEDULER)


def substitutions_readable(user):
    """The substitution log: school-wide for deputy, director and scheduler; otherwise
    the rows where the user is the substitute or the replaced teacher."""
    from .models import Substitution

    qs = Substitution.objects.filter(lesson__assignment__school_class__year__school_id=user.school_id)
    if has_role(user, R.DEPUTY, R.DIRECTOR, R.SCHEDULER):
        return qs
    return qs.filter(Q(substitute=user) | Q(lesson__assignment__teacher=user))


def get_substitution_for_user(user, pk):
    """(substitution, can_revoke)."""
    sub = substitutions_readable(user).select_related("lesson__assignment").filter(pk=pk).first()
    if sub is None:
        raise Http404
    return sub, can_assign_substitutes(user)


def get_plan_assignment_for_user(user, pk):
    """(assignment, can_edit_plan): the plan is the journal teacher's; readers of the journal see it."""
    return get_assignment_for_user(user, pk)


def corrections_readable(user):
    """Объяснительные: the author's own; all of the school for deputy and director."""
    from .models import CorrectionRequest

    qs = CorrectionRequest.objects.filter(school_id=user.school_id)
    if _school_wide(user):
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


def outages_readable(user):
    """Outages of the user's school: every member of staff transfers paper journals."""
    from .models import Outage

    if not has_role(user, R.TEACHER, R.CLASS_TEACHER, R.DEPUTY, R.DIRECTOR, R.ADMIN):
        return Outage.objects.none()
    return Outage.objects.filter(school_id=user.school_id)


def get_outage_for_user(user, pk):
    """(outage, can_manage): the deputy and the administrator record outages."""
    outage = outages_readable(user).filter(pk=pk).first()
    if outage is None:
        raise Http404
    return outage, has_role(user, R.DEPUTY, R.ADMIN)
