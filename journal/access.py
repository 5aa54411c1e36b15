"""Access decisions of the journal app: the one place views ask.

Helpers return querysets filtered in the database, or (object, can_write) pairs,
and raise Http404 for anything outside the user's scope — never 403, so nobody
learns that an object exists.

Per-object rights come from django-guardian object permissions (journal/permissions.py
keeps them equal to the links): `fill_journal` on a teaching assignment (its teacher),
`lead_class` on a class (class teacher), `substitute_lesson` on a lesson (substitute),
`accounts.read_diary` on a pupil (parent). School-wide reading comes from the assigned
roles director and deputy. Every query is also confined to the user's school.

The rules views, menus and templates share are named predicates (`can_write_lesson`,
`can_set_period_marks`, `reads_whole_school`, …), registered in accounts.predicates so
a template asks the same function: `{% if request.user|can:"control_journal" %}`.
Role sets come from the one vocabulary, accounts.roles (through `roles as R`).
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accounts.models import Guardianship
from accounts.permissions import readable_diaries
from accounts.predicates import predicate

from . import roles as R
from .models import (
    AcademicYear,
    AssignmentPermission,
    Enrollment,
    Lesson,
    SchoolClass,
    TeachingAssignment,
)
from .permissions import FILL_JOURNAL, LEAD_CLASS, SUBSTITUTE_LESSON

User = get_user_model()


def current_year(school, day=None):
    """The school's academic year containing `day` (today by default), else the latest one."""
    if school is None:
        return None
    day = day or timezone.localdate()
    years = AcademicYear.objects.filter(school=school)
    return years.on(day).first() or years.order_by("-start").first()


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
    from .models import Substitution

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
    return AssignmentPermission.objects.filter(
        user_id=user.pk, content_object_id=assignment_id, permission__codename=FILL_JOURNAL
    ).exists()


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
    return a, _holds_fill_journal(user, a.pk)


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
    return User.objects.filter(
        Q(pk__in=readable_diaries(user).values("pk")) | Q(pk=user.pk, enrollments__isnull=False)
    ).distinct()


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
    from .models import StudyPeriod

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
    from .models import Substitution

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
    """(assignment, can_edit_plan): the plan is the journal teacher's; readers of the journal see it."""
    return get_assignment_for_user(user, pk)


@predicate("read_corrections")
def can_read_corrections(user) -> bool:
    """The corrections page: teachers write explanations, deputy and director read them all."""
    return has_role(user, *R.CORRECTION_READERS)


def corrections_readable(user):
    """Объяснительные: the author's own; all of the school for deputy and director."""
    from .models import CorrectionRequest

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
    from .models import Outage

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
    from .models import Violation

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
    from .models import Notification

    return Notification.objects.filter(user_id=user.pk)


def get_notification_for_user(user, pk):
    """(notification, can_write): only its recipient sees it and marks it read."""
    n = notifications_of(user).filter(pk=pk).first()
    if n is None:
        raise Http404
    return n, True


@predicate("read_card_views")
def can_read_card_views(user, pupil) -> bool:
    """Who opened a pupil's card: shown to the administrator and to the pupil's class teacher."""
    if R.ADMIN in R.user_roles(user):
        return True
    return current_pupils_of_led_classes(user).filter(pupil=pupil).exists()


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
    cached = getattr(user, "_ej_substitutes", None)
    if cached is None:
        cached = user._ej_substitutes = substituted_lessons(user).exists()
    return cached


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
    from .models import CorrectionRequest

    return CorrectionRequest.objects.filter(school_id=user.school_id, status=CorrectionRequest.Status.PENDING)


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
    from .models import LessonReview

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
    from .models import Room

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
    from .models import TimetableEntry

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
