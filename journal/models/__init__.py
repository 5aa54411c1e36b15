from .groups import Group, GroupMembership, GroupSplit  # subgroups and dated memberships (issue 15)
from .permissions import AssignmentPermission, ClassPermission, LessonPermission  # object permissions (issue 3)
from .records import (
    Assessment,
    Attendance,
    Homework,
    IndividualHomework,
    Lesson,
    LessonComment,
    Mark,
    PeriodMark,
    WorkType,
)
from .structure import (
    AcademicYear,
    Bell,
    CurriculumLine,
    Enrollment,
    Holidays,
    Room,
    SchoolClass,
    StudyPeriod,
    Subject,
    TeachingAssignment,
    TimetableEntry,
)

__all__ = [
    "AssignmentPermission",
    "ClassPermission",
    "LessonPermission",
    "AcademicYear",
    "Assessment",
    "Attendance",
    "Bell",
    "CurriculumLine",
    "Enrollment",
    "Group",
    "GroupMembership",
    "GroupSplit",
    "Holidays",
    "Homework",
    "IndividualHomework",
    "Lesson",
    "LessonComment",
    "Mark",
    "PeriodMark",
    "Room",
    "SchoolClass",
    "StudyPeriod",
    "Subject",
    "TeachingAssignment",
    "TimetableEntry",
    "WorkType",
]

# Plans, corrections, substitutions, outages (issue 4, records).
from .corrections import CorrectionChange, CorrectionRequest  # noqa: E402
from .outages import Outage, TempJournalImport  # noqa: E402
from .plans import LessonPlanLink, PlanItem, ThematicPlan  # noqa: E402
from .substitutions import Substitution  # noqa: E402

__all__ += [
    "CorrectionChange",
    "CorrectionRequest",
    "LessonPlanLink",
    "Outage",
    "PlanItem",
    "Substitution",
    "TempJournalImport",
    "ThematicPlan",
]

# --- deadline control (issue 7) ---
from .deadlines import AttendanceRoll, Notification, Violation  # noqa: E402

__all__ += ["AttendanceRoll", "Notification", "Violation"]

# --- lessons follow the timetable (issue 15) ---
from .lesson_reviews import LessonReview  # noqa: E402

__all__ += ["LessonReview"]

# --- promotion by order and the next year (issue 16) ---
from .promotion import PromotionDecision, PromotionOrder  # noqa: E402

__all__ += ["PromotionDecision", "PromotionOrder"]
