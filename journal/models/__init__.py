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
    Group,
    GroupMembership,
    Holidays,
    Room,
    SchoolClass,
    StudyPeriod,
    Subject,
    TeachingAssignment,
    TimetableEntry,
)

__all__ = [
    "AcademicYear",
    "Assessment",
    "Attendance",
    "Bell",
    "CurriculumLine",
    "Enrollment",
    "Group",
    "GroupMembership",
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

# --- deadline control (issue 7) ---
from .deadlines import AttendanceRoll, Notification, Violation  # noqa: E402

__all__ += ["AttendanceRoll", "Notification", "Violation"]
