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
    return user.is_authenticated and lesson.assignment.teacher_id == user.pk


def lessons_readable(user):
    return Lesson.objects.filter(assignment__in=assignments_readable(user))


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


# --- deadline control (issue 7) ------------------------------------------------------


def control_allowed(user) -> bool:
    """The school's control page (discipline of the journal): deputy and director."""
    return user.is_authenticated and _school_wide(user)


def violations_readable(user):
    """Deputy/director: the school's; others: their own and their class's (class teacher)."""
    from .models import Violation

    qs = Violation.objects.filter(school_id=user.school_id)
    if _school_wide(user):
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
    if not _school_wide(user):
        qs = qs.filter(class_teacher=user)
    klass = qs.filter(pk=pk).first()
    if klass is None:
        raise Http404
    return klass, klass.class_teacher_id == user.pk


def notifications_of(user):
    from .models import Notification

    return Notification.objects.filter(user_id=user.pk)


def get_notification_for_user(user, pk):
    """(notification, can_write): only its recipient sees it and marks it read."""
    n = notifications_of(user).filter(pk=pk).first()
    if n is None:
        raise Http404
    return n, True
