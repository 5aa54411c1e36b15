"""The one vocabulary of roles (docs/DESIGN.md §1) and the named sets of roles that
access decisions are built from.

Code names a role by its constant here (or through `journal.roles`, which re-exports
them next to `user_roles()`), never by its string: the role strings themselves live
only in this module and in `RoleAssignment.Role`. A set of roles that stands for a
rule gets a name here, so "the deputy and the director read the whole school" is
written once, as WHOLE_SCHOOL_READERS.

Assigned roles are rows of RoleAssignment. Derived roles follow from the domain:
TEACHER from an active teaching assignment, CLASS_TEACHER from leading a class of an
open year, PARENT from a guardianship, STUDENT from an enrollment
(journal.roles.user_roles computes them).
"""

from .models import RoleAssignment

# --- assigned roles ------------------------------------------------------------------------
ADMIN = RoleAssignment.Role.ADMIN.value
DIRECTOR = RoleAssignment.Role.DIRECTOR.value
DEPUTY = RoleAssignment.Role.DEPUTY.value
SECRETARY = RoleAssignment.Role.SECRETARY.value
SCHEDULER = RoleAssignment.Role.SCHEDULER.value
ASSIGNED = frozenset(RoleAssignment.Role.values)

# --- derived roles -------------------------------------------------------------------------
TEACHER = "teacher"
CLASS_TEACHER = "class_teacher"
PARENT = "parent"
STUDENT = "student"
DERIVED = frozenset({TEACHER, CLASS_TEACHER, PARENT, STUDENT})

ALL = ASSIGNED | DERIVED

# --- named sets (docs/DESIGN.md §1) ----------------------------------------------------------
# Read every journal, pupil, card and report of their school; control the journal.
WHOLE_SCHOOL_READERS = frozenset({DIRECTOR, DEPUTY})
# The school's administration: publishes school-wide announcements.
ANNOUNCERS = WHOLE_SCHOOL_READERS | {ADMIN}
# Teach: a journal of their own or a class of their own.
TEACHING_STAFF = frozenset({TEACHER, CLASS_TEACHER})
# Work with journals and pupils: write to parents, read pupils' diaries in their scope.
JOURNAL_STAFF = TEACHING_STAFF | WHOLE_SCHOOL_READERS
# Build reports (the reports page).
REPORT_BUILDERS = JOURNAL_STAFF
# Read their own or their children's diary.
DIARY_OWNERS = frozenset({PARENT, STUDENT})
# The school may make a second factor mandatory for these (School.require_staff_2fa).
TWO_FACTOR_ROLES = frozenset({ADMIN, DIRECTOR, DEPUTY})
# Who changes what, by assigned role. The administrator manages accounts and structure
# but never marks; the secretary keeps class lists and pupil movement; the scheduler
# (and the deputy, who builds it) edits the timetable.
STRUCTURE_MANAGERS = frozenset({ADMIN})
ACCOUNT_MANAGERS = frozenset({ADMIN})
PUPIL_MOVEMENT_EDITORS = frozenset({ADMIN, SECRETARY})
TIMETABLE_EDITORS = frozenset({ADMIN, DEPUTY, SCHEDULER})
# One-off lessons, cancelling and moving lessons, and the lessons the timetable sync could
# not change on its own (issue 15): the deputy, who builds the timetable, and the scheduler.
LESSON_EDITORS = frozenset({DEPUTY, SCHEDULER})
CLASS_LIST_READERS = frozenset({ADMIN, DIRECTOR, DEPUTY, SECRETARY, SCHEDULER})
# Lessons, substitutions, outages and corrections (docs/DESIGN.md §1, §3 "Corrections").
SUBSTITUTION_ASSIGNERS = frozenset({DEPUTY, SCHEDULER})
SUBSTITUTION_READERS = JOURNAL_STAFF | {SCHEDULER}
SUBSTITUTION_LOG_READERS = WHOLE_SCHOOL_READERS | {SCHEDULER}
CORRECTION_DECIDERS = frozenset({DEPUTY})
CORRECTION_READERS = JOURNAL_STAFF
OUTAGE_READERS = JOURNAL_STAFF | {ADMIN}
OUTAGE_MANAGERS = frozenset({DEPUTY, ADMIN})
TEMP_JOURNAL_TRANSFERRERS = frozenset({TEACHER, DEPUTY})
# Personal data of every person of the school (docs/DESIGN.md §1.3): the administration;
# a class teacher reads her class's families, everyone their own.
PERSONAL_DATA_READERS = frozenset({ADMIN, DIRECTOR, DEPUTY})
# The promotion by order (docs/DESIGN.md §3.26): the director, whose order it is, or the
# administrator on the director's order.
PROMOTION_RECORDERS = frozenset({DIRECTOR, ADMIN})
