"""Scope basics: the school year, roles, journals, lessons, classes, pupils, personal
data and the grid's periods (the package's rules: journal/access/__init__.py)."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accounts.models import Guardianship
from accounts.permissions import readable_diaries
from accounts.predicates import predicate
from ejournal import prepared

from .. import roles as R
from ..models import (
    AcademicYear,
    AssignmentPermission,
    Enrollment,
    Lesson,
    SchoolClass,
    TeachingAssignment,
)
from ..permissions import FILL_JOURNAL, LEAD_CLASS, SUBSTITUTE_LESSON

User = get_user_model()


def current_year(school, day=None):
    """The school's academic year containing `day` (today by default); between two years
    the one that ended last — the next year made in May does not take over before its
    first day (docs/DESIGN.md §3.26: June's exam and final marks, the year's reports) —
    and before the first year has begun, the latest one."""
    if school is None:
        return None
    day = day or timezone.localdate()
    years = AcademicYear.objects.filter(school=school)
    return (
        years.on(day).first()
        or years.filter(start__lte=day).order_by("-start").first()
        or years.order_by("-start").first()
    )


@predicate("reads_whole_school")
def reads_whole_school(user) -> bool:
    """Deputy and director read every journal, class, pupil and report of their school."""
    return bool(R.user_roles(user) & R.WHOLE_SCHOOL_READERS)


def has_role(user, *roles) -> bool:
    return bool(R.user_roles(user) & set(roles))


def _objects_with(user, codename, model):
    """Objects of `model` on which `user` holds the journal object permission (lazy subquery)."""
    if not user.is_authenticated:
        return model.objects.none()
    return get_objects_for_user(
        user, f"journal.{codename}", klass=model, use_groups=False, with_superuser=False, accept_global_perms=False
    )


def led_classes(user):
    """Classes `user` leads as class teacher (`lead_class`)."""
    return _objects_with(user, LEAD_CLASS, SchoolClass).filter(year__school_id=user.school_id)


def own_assignments(user):
    """Journals `user` keeps (`fill_journal`)."""
    return _objects_with(user, FILL_JOURNAL, TeachingAssignment).filter(school_class__year__school_id=user.school_id)


def substituted_lessons(user):
    """Lessons `user` substitutes in now: `substitute_lesson` held and the substitution
    still active (it ends at `ends_at` even before the nightly permission rebuild)."""
    from ..models import Substitution

    return _objects_with(user, SUBSTITUTE_LESSON, Lesson).filter(
        assignment__school_class__year__school_id=user.school_id,
        pk__in=Substitution.objects.active().filter(substitute_id=user.pk).values("lesson_id"),
    )


# --- teaching assignments (journals) -------------------------------------------------


def assignments_readable(user):
    """Journals the user may open: own, own class's (class teacher), all of the school (deputy, director)."""
    if not user.is_authenticated:
        return TeachingAssignment.objects.none()
    qs = TeachingAssignment.objects.filter(school_class__year__school_id=user.school_id)
    if reads_whole_school(user):
        return qs
    return qs.filter(Q(pk__in=own_assignments(user).values("pk")) | Q(school_class__in=led_classes(user).values("pk")))


def _holds_fill_journal(user, assignment_id) -> bool:
    """Asked once per request and journal: the view's access helper and the service both ask."""
    memo = user.__dict__.setdefault("_ej_fill_journal", {})
    if assignment_id not in memo:
        memo[assignment_id] = AssignmentPermission.objects.filter(
            user_id=user.pk, content_object_id=assignment_id, permission__codename=FILL_JOURNAL
        ).exists()
    return memo[assignment_id]


def _id(pk) -> int:
    """An object id as the prepared queries take it; anything else is nobody's object."""
    if not isinstance(pk, int) or isinstance(pk, bool):
        try:
            pk = int(str(pk))
        except ValueError:
            raise Http404 from None
    if not -(2**63) <= pk < 2**63:  # beyond bigint: PostgreSQL would refuse the parameter
        raise Http404
    return pk


def _assignment_query(pk, user, school):
    """The journal `pk` of school `school` with whether `user` keeps it (compiled once: ejournal/prepared.py)."""
    own = AssignmentPermission.objects.filter(
        user_id=user, content_object_id=OuterRef("pk"), permission__codename=FILL_JOURNAL
    )
    return (
        TeachingAssignment.objects.select_related("school_class__year__school", "group", "subject", "teacher")
        .filter(pk=pk, school_class__year__school_id=school)
        .annotate(own_journal=Exists(own))
        .order_by("pk")[:1]
    )


def get_assignment_for_user(user, pk):
    """(assignment, can_write); can_write means entering lessons, marks, attendance.

    The journal's own teacher (`fill_journal`, in the user's school) may read and write:
    one query answers both, as for get_lesson_for_user. Everyone else goes through
    `assignments_readable`."""
    if not user.is_authenticated:
        raise Http404
    pk = _id(pk)
    a = prepared.first_object(
        "journal.access.assignment", _assignment_query, pk=pk, user=user.pk, school=user.school_id
    )
    if a is not None:
        user.__dict__.setdefault("_ej_fill_journal", {})[a.pk] = a.own_journal  # _holds_fill_journal's memo
    if a is not None and a.own_journal:
        return a, True
    if a is None or not assignments_readable(user).filter(pk=pk).exists():
        raise Http404
    return a, False


# --- lessons -------------------------------------------------------------------------


@predicate("write_lesson")
def can_write_lesson(user, lesson) -> bool:
    """May `user` enter topic, attendance and marks for this lesson?

    The journal's teacher (`fill_journal` on the assignment) or the lesson's active
    substitute (`substitute_lesson`).
    """
    if not user.is_authenticated:
        return False
    return _holds_fill_journal(user, lesson.assignment_id) or substituted_lessons(user).filter(pk=lesson.pk).exists()


lesson_write_allowed = can_write_lesson  # the older name, still used by tests


def lessons_readable(user):
    if not user.is_authenticated:
        return Lesson.objects.none()
    return Lesson.objects.filter(
        Q(assignment__in=assignments_readable(user).values("pk")) | Q(pk__in=substituted_lessons(user).values("pk"))
    )


def _lesson_query(pk, user, school):
    """The lesson `pk` of school `school` with whether `user` keeps its journal (compiled once)."""
    related = ("assignment__school_class__year__school", "assignment__group", "assignment__subject", "bell", "room")
    own = AssignmentPermission.objects.filter(
        user_id=user, content_object_id=OuterRef("assignment_id"), permission__codename=FILL_JOURNAL
    )
    return (
        Lesson.objects.select_related(*related)
        .filter(pk=pk, assignment__school_class__year__school_id=school)
        .annotate(own_journal=Exists(own))
        .order_by("pk")[:1]
    )


def get_lesson_for_user(user, pk):
    """(lesson, may_write); Http404 outside the user's scope.

    The journal's own teacher (`fill_journal` on the assignment, in the user's school)
    may read and write: one query answers both. Everyone else goes through
    `lessons_readable` and `lesson_write_allowed`."""
    if not user.is_authenticated:
        raise Http404
    pk = _id(pk)
    lesson = prepared.first_object("journal.access.lesson", _lesson_query, pk=pk, user=user.pk, school=user.school_id)
    if lesson is not None and lesson.own_journal:
        return lesson, True
    if lesson is None or not lessons_readable(user).filter(pk=pk).exists():
        raise Http404
    return lesson, can_write_lesson(user, lesson)


# --- classes -------------------------------------------------------------------------


def classes_readable(user):
    if not user.is_authenticated:
        return SchoolClass.objects.none()
    qs = SchoolClass.objects.filter(year__school_id=user.school_id)
    if reads_whole_school(user):
        return qs
    return qs.filter(
        Q(pk__in=led_classes(user).values("pk")) | Q(pk__in=own_assignments(user).values("school_class_id"))
    )


def get_class_for_user(user, pk):
    """(class, can_write); can_write: period marks, absence reasons, pupil cards (class teacher)."""
    klass = classes_readable(user).select_related("year__school", "class_teacher").filter(pk=pk).first()
    if klass is None:
        raise Http404
    return klass, led_classes(user).filter(pk=klass.pk).exists()


# --- pupils --------------------------------------------------------------------------


def children_of(user):
    """The pupils whose diary this user reads: own children (parent) and self (pupil)."""
    if not user.is_authenticated:
        return User.objects.none()
    # A UNION of the two id sets, not an OR of them: with the OR PostgreSQL scanned every user
    # and enrollment of the district (10 ms a diary page); the union is two index lookups.
    own = User.objects.filter(pk=user.pk, enrollments__isnull=False).values("pk")
    return User.objects.filter(pk__in=readable_diaries(user).values("pk").union(own))


def pupils_readable(user):
    """Pupils whose records the user may see."""
    if not user.is_authenticated:
        return User.objects.none()
    enrolled_in = Enrollment.objects.filter(pupil=OuterRef("pk"))
    own = Q(pk=user.pk) | Q(pk__in=readable_diaries(user).values("pk"))
    if reads_whole_school(user):
        return User.objects.filter(own | Q(Exists(enrolled_in.filter(school_class__year__school_id=user.school_id))))
    staff = Q(
        Exists(
            enrolled_in.filter(
                Q(school_class__in=led_classes(user).values("pk"))
                | Q(school_class__in=own_assignments(user).values("school_class_id"))
            )
        )
    )
    return User.objects.filter(own | staff)


def current_pupils_of_led_classes(user):
    """Pupils now enrolled in a class `user` leads (the class teacher's own pupils)."""
    return Enrollment.objects.current().filter(school_class__in=led_classes(user).values("pk"))


def get_pupil_for_user(user, pk):
    """(pupil, can_write); can_write: the pupil's card (class teacher of the pupil's class)."""
    pupil = pupils_readable(user).filter(pk=pk, enrollments__isnull=False).distinct().first()
    if pupil is None:
        raise Http404
    can_write = current_pupils_of_led_classes(user).filter(pupil=pupil).exists()
    return pupil, can_write


# --- personal data (issue 18, F10) ------------------------------------------------


@predicate("see_personal_data")
def can_see_personal_data(user, person) -> bool:
    """Birth date, phones, e-mails, login and credential dates of `person` (docs/DESIGN.md
    §1.3): the person, a parent of the person, the class teacher of the class the pupil
    (or the parent's child) attends now, and the administration of the school. A subject
    teacher sees names and marks."""
    if not user.is_authenticated or person is None or person.school_id != user.school_id:
        return False
    if user.pk == person.pk or has_role(user, *R.PERSONAL_DATA_READERS):
        return True
    if readable_diaries(user).filter(pk=person.pk).exists():
        return True
    pupils = current_pupils_of_led_classes(user).values("pupil_id")
    return User.objects.filter(
        Q(pk__in=pupils) | Q(pk__in=Guardianship.objects.filter(child__in=pupils).values("parent_id")), pk=person.pk
    ).exists()


@predicate("see_class_personal_data")
def can_see_class_personal_data(user, klass) -> bool:
    """Logins and credential dates of a class's pupils and parents (docs/DESIGN.md §1.3):
    its class teacher and the administration."""
    if not user.is_authenticated or klass.year.school_id != user.school_id:
        return False
    return has_role(user, *R.PERSONAL_DATA_READERS) or led_classes(user).filter(pk=klass.pk).exists()


def managed_people_q(user):
    """accounts.scopes provider: a class teacher manages the pupils of own classes and their parents.

    Staff are left out even when they are parents in her class: re-issuing their
    credentials would put a director's or a colleague's password on her slip. Their
    accounts are the administrator's.
    """
    from accounts.models import RoleAssignment

    if has_role(user, *R.PUPIL_MOVEMENT_EDITORS):
        # The secretary keeps the school's pupil movement and issues its families' credentials (issue 15).
        pupils = Enrollment.objects.current().filter(school_class__year__school_id=user.school_id).values("pupil_id")
    else:
        pupils = current_pupils_of_led_classes(user).values("pupil_id")
    family = Q(pk__in=pupils) | Q(pk__in=Guardianship.objects.filter(child__in=pupils).values("parent_id"))
    staff = (
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"))))
        | Q(Exists(TeachingAssignment.objects.filter(teacher=OuterRef("pk"))))
        | Q(Exists(SchoolClass.objects.filter(class_teacher=OuterRef("pk"))))
    )
    return family & ~staff


# --- the journal grid and period marks (issue 4) -------------------------------------


@predicate("set_period_marks")
def can_set_period_marks(user, assignment) -> bool:
    """Period, year, exam and final marks: the journal's teacher, or the class teacher
    for every subject of own class (docs/DESIGN.md §1)."""
    return user.is_authenticated and user.pk in (assignment.teacher_id, assignment.school_class.class_teacher_id)


def journal_periods(assignment):
    """The periods a journal is viewed by: the class's own periods, then the whole year."""
    from ..models import StudyPeriod

    return StudyPeriod.objects.filter(
        year_id=assignment.school_class.year_id,
        scheme__in=[assignment.school_class.period_scheme, StudyPeriod.Scheme.YEAR],
    ).order_by("start", "-end")


def get_period_for_user(user, assignment, pk, periods=None):
    """A period of `assignment` (already resolved by get_assignment_for_user for `user`).

    Pass `periods` (from journal_periods) when already loaded, to save a query.
    """
    periods = journal_periods(assignment) if periods is None else periods
    for period in periods:
        if period.pk == pk:
            return period
    raise Http404


def get_lesson_of_assignment(user, assignment, pk):
    """(lesson, can_write) for a lesson that belongs to `assignment`."""
    lesson, can_write = get_lesson_for_user(user, pk)
    if lesson.assignment_id != assignment.pk:
        raise Http404
    return lesson, can_write
