"""Access to the school's set-up: lesson changes by hand, the lessons for the deputy,
the contingent and the timetable editor."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from accounts.models import Guardianship
from accounts.predicates import predicate

from .. import roles as R
from ..models import (
    Enrollment,
    Lesson,
    SchoolClass,
    TeachingAssignment,
)
from .core import current_year, has_role

User = get_user_model()


# --- lesson changes by hand and the lessons for the deputy (issue 15) ----------------


@predicate("change_lessons")
def can_change_lessons(user) -> bool:
    """Add a one-off lesson, cancel or move one, resolve the lessons the timetable sync
    listed: the deputy and the scheduler (journal.roles.LESSON_EDITORS)."""
    return user.is_authenticated and has_role(user, *R.LESSON_EDITORS)


def lessons_changeable(user):
    """Lessons of the user's school, for a lesson editor; none for anyone else."""
    if not can_change_lessons(user):
        return Lesson.objects.none()
    return Lesson.objects.filter(assignment__school_class__year__school_id=user.school_id)


def get_lesson_to_change(user, pk):
    """The lesson to move or cancel (the pages are behind `can_change_lessons`); 404 outside the school."""
    lesson = (
        lessons_changeable(user)
        .select_related(
            "assignment__school_class__year__school",
            "assignment__group",
            "assignment__subject",
            "assignment__teacher",
            "bell",
            "room",
        )
        .filter(pk=pk)
        .first()
    )
    if lesson is None:
        raise Http404
    return lesson


def lesson_reviews_readable(user):
    from ..models import LessonReview

    if not can_change_lessons(user):
        return LessonReview.objects.none()
    return LessonReview.objects.filter(school_id=user.school_id)


def get_lesson_review_for_user(user, pk):
    review = lesson_reviews_readable(user).open().select_related("lesson").filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def classes_for_lesson_changes(user):
    """Classes of the school's open years, for the lesson editor's class choice."""
    if not can_change_lessons(user):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(year__school_id=user.school_id, year__is_closed=False).select_related("year")


# --- contingent: pupils and parents of a class (issue 15) ------------------------------


@predicate("manage_contingent")
def can_manage_contingent(user, klass) -> bool:
    """Create a class's pupils and their parents, import its list, issue their credentials:
    its class teacher, and the school's secretary and administrator (docs/DESIGN.md §1)."""
    if not user.is_authenticated or klass.year.school_id != user.school_id:
        return False
    return klass.class_teacher_id == user.pk or has_role(user, *R.PUPIL_MOVEMENT_EDITORS)


@predicate("manage_school_contingent")
def can_manage_school_contingent(user) -> bool:
    """The list of the school's classes for the secretary and the administrator."""
    return user.is_authenticated and has_role(user, *R.PUPIL_MOVEMENT_EDITORS)


def get_contingent_class_for_user(user, pk):
    """(class, True) for the contingent pages; 404 outside the user's school or for a class
    the user may not change (a subject teacher, the deputy: they read it elsewhere)."""
    if not user.is_authenticated:
        raise Http404
    klass = (
        SchoolClass.objects.filter(year__school_id=user.school_id, pk=pk)
        .select_related("year__school", "class_teacher")
        .first()
    )
    if klass is None or not can_manage_contingent(user, klass):
        raise Http404
    return klass, True


def get_contingent_pupil_for_user(user, pk):
    """(pupil, enrollment) of a pupil enrolled now in a class the user manages the contingent of."""
    if not user.is_authenticated:
        raise Http404
    enrollment = (
        Enrollment.objects.current()
        .filter(pupil_id=pk, school_class__year__school_id=user.school_id)
        .select_related("pupil", "school_class__year__school")
        .first()
    )
    if enrollment is None or not can_manage_contingent(user, enrollment.school_class):
        raise Http404
    return enrollment.pupil, enrollment


def people_class_options(user) -> list:
    """accounts.scopes class filter: the classes of the user's school's current year."""
    year = current_year(user.school) if user.school_id else None
    if year is None:
        return []
    return [(c.pk, str(c)) for c in SchoolClass.objects.filter(year=year).order_by("grade", "letter")]


def people_class_q(user, pk):
    """The pupils enrolled now in class `pk` of the user's school, and their parents."""
    pupils = Enrollment.objects.current().filter(school_class_id=pk, school_class__year__school_id=user.school_id)
    ids = pupils.values("pupil_id")
    return Q(pk__in=ids) | Q(pk__in=Guardianship.objects.filter(child__in=ids).values("parent_id"))


# --- the timetable editor (issue 15, point 3) ----------------------------------------


@predicate("edit_timetable")
def can_edit_timetable(user) -> bool:
    """The timetable editor («Расписание»): week grids by class, teacher and room, lines
    added, changed and ended, the printed timetables: journal.roles.TIMETABLE_EDITORS
    (the deputy, who builds it, the scheduler, and the administrator who sets the school up)."""
    return user.is_authenticated and has_role(user, *R.TIMETABLE_EDITORS)


def timetable_classes(user):
    """Classes of the school's open years, for a timetable editor; none for anyone else."""
    if not can_edit_timetable(user):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(year__school_id=user.school_id, year__is_closed=False)


def timetable_teachers(user):
    """Teachers with an active journal in the school's open years, for a timetable editor."""
    if not can_edit_timetable(user):
        return User.objects.none()
    return User.objects.filter(
        school_id=user.school_id,
        pk__in=TeachingAssignment.objects.filter(
            school_class__year__school_id=user.school_id, school_class__year__is_closed=False, is_active=True
        ).values("teacher_id"),
    )


def timetable_rooms(user):
    from ..models import Room

    if not can_edit_timetable(user):
        return Room.objects.none()
    return Room.objects.filter(school_id=user.school_id)


def get_timetable_class_for_user(user, pk, annotate=None):
    """A class of the editor's school (`annotate`: a queryset step adding what the page needs)."""
    qs = timetable_classes(user).select_related("year__school", "class_teacher", "room")
    klass = (annotate(qs) if annotate else qs).filter(pk=pk).first()
    if klass is None:
        raise Http404
    return klass


def get_timetable_teacher_for_user(user, pk):
    teacher = timetable_teachers(user).filter(pk=pk).first()
    if teacher is None:
        raise Http404
    return teacher


def get_timetable_room_for_user(user, pk):
    room = timetable_rooms(user).filter(pk=pk).first()
    if room is None:
        raise Http404
    return room


def get_timetable_entry_for_user(user, pk):
    """A timetable line of the user's school (editors only); 404 otherwise."""
    from ..models import TimetableEntry

    entry = (
        TimetableEntry.objects.filter(pk=pk, assignment__school_class__year__school_id=user.school_id)
        .select_related(
            "assignment__school_class__year",
            "assignment__group",
            "assignment__subject",
            "assignment__teacher",
            "bell",
            "room",
        )  # fmt: skip
        .first()
        if can_edit_timetable(user)
        else None
    )
    if entry is None:
        raise Http404
    return entry
