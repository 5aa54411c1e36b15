"""Forms of the journal: the lesson page's (and the grid's input parsing) and the records procedures'."""

from .lesson import (
    AssessmentForm,
    HomeworkForm,
    RemoveAssessmentForm,
    TopicForm,
)
from .lesson_changes import LessonAddForm, LessonCancelForm, LessonMoveForm, LessonRestoreForm, WeekChoiceForm
from .records import (
    AbsenceReasonForm,
    BlankForm,
    DecisionForm,
    OutageCloseForm,
    OutageForm,
    PlanItemForm,
    ReasonsForm,
    SubstitutionForm,
    TempImportForm,
    UnlockForm,
    UploadForm,
)
from .timetable import TimetableAddForm, TimetableChangeForm, TimetableEndForm

__all__ = [
    "AbsenceReasonForm",
    "AssessmentForm",
    "BlankForm",
    "DecisionForm",
    "HomeworkForm",
    "LessonAddForm",
    "LessonCancelForm",
    "LessonMoveForm",
    "LessonRestoreForm",
    "OutageCloseForm",
    "OutageForm",
    "PlanItemForm",
    "ReasonsForm",
    "RemoveAssessmentForm",
    "SubstitutionForm",
    "TempImportForm",
    "TimetableAddForm",
    "TimetableChangeForm",
    "TimetableEndForm",
    "TopicForm",
    "UnlockForm",
    "UploadForm",
    "WeekChoiceForm",
]
