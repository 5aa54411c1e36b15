"""The school's structure in the Django admin (docs/DESIGN.md §1.2: the administrator maintains it).

Marks, attendance and period marks are deliberately absent: the administrator does
not edit marks. Every admin here is scoped to the administrator's school.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import SchoolScopedAdmin, SchoolScopedInline, register_role_models, register_school_path
from accounts.models import RoleAssignment

from .models import (
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
    WorkType,
)

for _model, _path in (
    (AcademicYear, "school"),
    (StudyPeriod, "year__school"),
    (Holidays, "year__school"),
    (Room, "school"),
    (Bell, "school"),
    (Subject, "school"),
    (WorkType, "school"),
    (SchoolClass, "year__school"),
    (Group, "school_class__year__school"),
    (GroupMembership, "group__school_class__year__school"),
    (CurriculumLine, "school_class__year__school"),
    (TeachingAssignment, "school_class__year__school"),
    (TimetableEntry, "assignment__school_class__year__school"),
    (Enrollment, "school_class__year__school"),
):
    register_school_path(_model, _path)

RelatedOnly = admin.RelatedOnlyFieldListFilter

ALL = ("view", "add", "change", "delete")
# The secretary keeps class lists and pupil movement; the scheduler the timetable and
# the bells (docs/DESIGN.md §1.2). Both read what they need to choose from.
register_role_models(
    RoleAssignment.Role.SECRETARY,
    {Enrollment: ALL, GroupMembership: ALL, Group: ("view", "change"), SchoolClass: ("view",)},
)
register_role_models(
    RoleAssignment.Role.SCHEDULER,
    {
        TimetableEntry: ALL,
        Bell: ALL,
        Room: ALL,
        TeachingAssignment: ("view",),
        SchoolClass: ("view",),
        Subject: ("view",),
    },
)


class PeriodInline(SchoolScopedInline):
    model = StudyPeriod
    fields = ("scheme", "number", "start", "end", "marks_deadline")


class HolidaysInline(SchoolScopedInline):
    model = Holidays
    fields = ("name", "start", "end", "grades")


@admin.register(AcademicYear)
class AcademicYearAdmin(SchoolScopedAdmin):
    list_display = ("name", "school", "start", "end", "is_closed")
    list_filter = ("is_closed",)
    list_select_related = ("school",)
    search_fields = ("name",)
    inlines = (PeriodInline, HolidaysInline)
    # Closing and reopening are the director's, audited (journal.services.year_closure,
    # docs/DESIGN.md §3.25): never a bare checkbox here.
    readonly_fields = ("is_closed",)


@admin.register(StudyPeriod)
class StudyPeriodAdmin(SchoolScopedAdmin):
    list_display = ("__str__", "year", "scheme", "number", "start", "end", "marks_deadline")
    list_filter = ("scheme", ("year", RelatedOnly))
    list_select_related = ("year",)


@admin.register(Holidays)
class HolidaysAdmin(SchoolScopedAdmin):
    list_display = ("name", "year", "start", "end", "grades")
    list_filter = (("year", RelatedOnly),)
    list_select_related = ("year",)
    search_fields = ("name",)


@admin.register(Room)
class RoomAdmin(SchoolScopedAdmin):
    list_display = ("number", "name", "school")
    list_select_related = ("school",)
    search_fields = ("number", "name")


@admin.register(Bell)
class BellAdmin(SchoolScopedAdmin):
    list_display = ("number", "starts", "ends", "school")
    list_select_related = ("school",)


@admin.register(Subject)
class SubjectAdmin(SchoolScopedAdmin):
    list_display = ("name", "short_name", "order", "assessment", "school")
    list_filter = ("assessment",)
    list_select_related = ("school",)
    search_fields = ("name", "short_name")


@admin.register(WorkType)
class WorkTypeAdmin(SchoolScopedAdmin):
    list_display = ("name", "code", "weight", "is_test", "order", "school")
    list_filter = ("is_test",)
    list_select_related = ("school",)
    search_fields = ("name", "code")


@admin.register(SchoolClass)
class SchoolClassAdmin(SchoolScopedAdmin):
    list_display = ("__str__", "year", "class_teacher", "period_scheme", "room")
    list_filter = ("grade", "period_scheme", ("year", RelatedOnly))
    list_select_related = ("year", "class_teacher", "room")
    search_fields = ("letter", "class_teacher__last_name")
    autocomplete_fields = ("class_teacher",)
    ordering = ("-year__start", "grade", "letter")


class MembershipInline(SchoolScopedInline):
    model = GroupMembership
    fields = ("pupil", "start", "end")
    autocomplete_fields = ("pupil",)


@admin.register(Group)
class GroupAdmin(SchoolScopedAdmin):
    list_display = ("__str__", "school_class", "split", "name")
    list_filter = (("school_class__grade", admin.AllValuesFieldListFilter),)
    list_select_related = ("school_class",)
    search_fields = ("name",)
    inlines = (MembershipInline,)


@admin.register(CurriculumLine)
class CurriculumLineAdmin(SchoolScopedAdmin):
    list_display = ("school_class", "subject", "hours_per_week", "hours_per_year")
    list_filter = (("school_class__grade", admin.AllValuesFieldListFilter), ("subject", RelatedOnly))
    list_select_related = ("school_class", "subject")
    search_fields = ("subject__name",)


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(SchoolScopedAdmin):
    list_display = ("__str__", "teacher", "school_class", "group", "subject", "is_active")
    list_filter = ("is_active", ("school_class__grade", admin.AllValuesFieldListFilter), ("subject", RelatedOnly))
    list_select_related = ("teacher", "school_class", "group__school_class", "subject")
    search_fields = ("subject__name", "teacher__last_name", "teacher__first_name", "group__name")
    autocomplete_fields = ("teacher",)


@admin.register(TimetableEntry)
class TimetableEntryAdmin(SchoolScopedAdmin):
    list_display = ("assignment", "weekday", "bell", "room", "valid_from", "valid_to")
    list_filter = ("weekday", ("assignment__school_class__grade", admin.AllValuesFieldListFilter))
    list_select_related = (
        "assignment__school_class",
        "assignment__group__school_class",
        "assignment__subject",
        "bell",
        "room",
    )
    search_fields = ("assignment__subject__name", "assignment__teacher__last_name")
    autocomplete_fields = ("assignment",)


@admin.register(Enrollment)
class EnrollmentAdmin(SchoolScopedAdmin):
    list_display = ("pupil", "school_class", "start", "start_reason", "end", "end_reason")
    list_filter = ("start_reason", "end_reason", ("school_class__grade", admin.AllValuesFieldListFilter))
    list_select_related = ("pupil", "school_class")
    search_fields = ("pupil__last_name", "pupil__first_name", "start_order", "end_order")
    autocomplete_fields = ("pupil",)
    fieldsets = (
        (None, {"fields": ("pupil", "school_class")}),
        (_("Зачисление"), {"fields": ("start", "start_reason", "start_order", "start_order_date")}),
        (_("Выбытие"), {"fields": ("end", "end_reason", "end_order", "end_order_date", "destination")}),
    )
