"""URLs of the journal, one pattern list per area (combined into `urlpatterns` at the end).

Every URL name needs its rows in the role × URL access matrix (tests/access_matrix/).
"""

from django.urls import path

from .views import (
    absences,
    contingent,
    control,
    corrections,
    grid,
    journals,
    lesson,
    notifications,
    outages,
    people,
    plans,
    substitutions,
)

app_name = "journal"

# Lists of journals (issue 14): a teacher's own, the school's classes, a class's page.
journal_list_patterns = [
    path("my/", journals.my_journals, name="my_journals"),
    path("school/", journals.school_journals, name="school_journals"),
    path("classes/<int:pk>/", journals.class_page, name="class_page"),
]

# The journal grid of an assignment and its period marks.
grid_patterns = [
    path("a/<int:pk>/", grid.grid, name="grid"),
    path("a/<int:pk>/p/<int:period>/", grid.grid, name="grid_period"),
    path("a/<int:pk>/p/<int:period>/pm/", grid.period_mark, name="period_mark"),
    path("lesson/<int:pk>/cell/", grid.cell, name="cell"),
]

# The lesson page (GET) and one URL per form on it (POST).
lesson_patterns = [
    path("lesson/<int:pk>/", lesson.lesson, name="lesson"),
    path("lesson/<int:pk>/topic/", lesson.lesson_topic, name="lesson_topic"),
    path("lesson/<int:pk>/topic/from-plan/", lesson.lesson_topic_from_plan, name="lesson_topic_from_plan"),
    path("lesson/<int:pk>/attendance/", lesson.lesson_attendance, name="lesson_attendance"),
    path("lesson/<int:pk>/homework/", lesson.lesson_homework, name="lesson_homework"),
    path("lesson/<int:pk>/works/add/", lesson.lesson_work_add, name="lesson_work_add"),
    path("lesson/<int:pk>/works/change/", lesson.lesson_work_change, name="lesson_work_change"),
    path("lesson/<int:pk>/works/remove/", lesson.lesson_work_remove, name="lesson_work_remove"),
    path("lesson/<int:pk>/pupil-notes/", lesson.lesson_pupil_notes, name="lesson_pupil_notes"),
]

# People of a class, the pupil card (issue 3).
people_patterns = [
    path("classes/<int:pk>/people/", people.class_people, name="class_people"),
    path("pupils/<int:pk>/card/", people.pupil_card, name="pupil_card"),
]

# The contingent: pupils, parents, the class list's import (issue 15).
contingent_patterns = [
    path("contingent/", contingent.school_classes, name="contingent_classes"),
    path("classes/<int:pk>/pupils/new/", contingent.pupil_new, name="pupil_new"),
    path("classes/<int:pk>/import/", contingent.class_import, name="class_import"),
    path("classes/<int:pk>/import/confirm/", contingent.class_import_confirm, name="class_import_confirm"),
    path("pupils/<int:pk>/parents/new/", contingent.parent_new, name="parent_new"),
    path("staff/import/", contingent.staff_import, name="staff_import"),
    path("staff/import/confirm/", contingent.staff_import_confirm, name="staff_import_confirm"),
]

# Records procedures (issue 4). The thematic plan (КТП).
plan_patterns = [
    path("records/assignments/<int:pk>/plan/", plans.plan, name="plan"),
    path("records/assignments/<int:pk>/plan/import/", plans.plan_import, name="plan_import"),
    path("records/assignments/<int:pk>/plan/import/confirm/", plans.plan_import_confirm, name="plan_import_confirm"),
    path("records/assignments/<int:pk>/plan/fill/", plans.plan_fill, name="plan_fill"),
    path("records/plan-items/<int:pk>/edit/", plans.plan_item_edit, name="plan_item_edit"),
    path("records/plan-items/<int:pk>/move/", plans.plan_item_move, name="plan_item_move"),
    path("records/plan-items/<int:pk>/delete/", plans.plan_item_delete, name="plan_item_delete"),
]

# Correction requests (объяснительные) and unlocking a lesson.
correction_patterns = [
    path("records/corrections/", corrections.correction_list, name="corrections"),
    path("records/corrections/<int:pk>/", corrections.correction_detail, name="correction"),
    path("records/corrections/<int:pk>/approve/", corrections.correction_approve, name="correction_approve"),
    path("records/corrections/<int:pk>/reject/", corrections.correction_reject, name="correction_reject"),
    path("records/corrections/<int:pk>/pdf/", corrections.correction_pdf, name="correction_pdf"),
    path("records/lessons/<int:pk>/correction/", corrections.correction_lesson_new, name="correction_lesson_new"),
    path(
        "records/assignments/<int:pk>/periods/<int:period>/correction/",
        corrections.correction_period_new,
        name="correction_period_new",
    ),
    path("records/lessons/<int:pk>/unlock/", corrections.lesson_unlock, name="lesson_unlock"),
]

# Substitutions (замены).
substitution_patterns = [
    path("records/substitutions/", substitutions.substitution_log, name="substitutions"),
    path("records/substitutions/new/", substitutions.substitution_new, name="substitution_new"),
    path("records/substitutions/<int:pk>/revoke/", substitutions.substitution_revoke, name="substitution_revoke"),
]

# Reasons of absences (причины пропусков).
absence_patterns = [
    path("records/classes/<int:pk>/absences/", absences.absence_reasons, name="absence_reasons"),
]

# Outages and the temporary journal (сбои и временный журнал).
outage_patterns = [
    path("records/outages/", outages.outage_list, name="outages"),
    path("records/outages/<int:pk>/", outages.outage_detail, name="outage"),
    path("records/outages/<int:pk>/close/", outages.outage_close, name="outage_close"),
    path("records/outages/<int:pk>/import/", outages.temp_import, name="temp_import"),
    path("records/outages/<int:pk>/import/confirm/", outages.temp_import_confirm, name="temp_import_confirm"),
    path("records/classes/<int:pk>/day-blank/<str:day>/pdf/", outages.day_blank_pdf, name="day_blank_pdf"),
    path("records/classes/<int:pk>/day-blank/<str:day>/xlsx/", outages.day_blank_xlsx, name="day_blank_xlsx"),
]

# Notifications of the deadline checks (issue 7).
notification_patterns = [
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path("notifications/read-all/", notifications.notifications_read_all, name="notifications_read_all"),
]

# Control of the journal: the deputy's and the class teacher's pages, a violation (issue 7).
control_patterns = [
    path("control/", control.school_control, name="control"),
    path("control/class/<int:pk>/", control.class_control, name="class_control"),
    path("control/violations/<int:pk>/", control.violation, name="violation"),
]

urlpatterns = [
    *journal_list_patterns,
    *grid_patterns,
    *lesson_patterns,
    *people_patterns,
    *contingent_patterns,
    *plan_patterns,
    *correction_patterns,
    *substitution_patterns,
    *absence_patterns,
    *outage_patterns,
    *notification_patterns,
    *control_patterns,
]

# --- history from the audit trail (issue 17; docs/ARCHIVE.md) ---
from .views import history  # noqa: E402

history_patterns = [
    path("history/mark/<int:assessment>/<int:pupil>/", history.mark_history, name="mark_history"),
    path("history/attendance/<int:lesson>/<int:pupil>/", history.attendance_history, name="attendance_history"),
    path("history/lesson/<int:pk>/", history.lesson_history, name="lesson_history"),
    path("history/period-mark/<int:pk>/", history.period_mark_history, name="period_mark_history"),
    path("pupils/<int:pk>/card-views/", history.card_views, name="card_views"),
]
urlpatterns += history_patterns

# --- lesson changes by hand and the lessons for the deputy (issue 15) ---
from .views import lesson_changes  # noqa: E402

lesson_change_patterns = [
    path("lessons/changes/", lesson_changes.lesson_changes, name="lesson_changes"),
    path("lessons/add/", lesson_changes.lesson_add, name="lesson_add"),
    path("lessons/<int:pk>/move/", lesson_changes.lesson_move, name="lesson_move"),
    path("lessons/<int:pk>/cancel/", lesson_changes.lesson_cancel, name="lesson_cancel"),
    path("lessons/<int:pk>/restore/", lesson_changes.lesson_restore, name="lesson_restore"),
    path("lessons/reviews/", lesson_changes.lesson_reviews, name="lesson_reviews"),
    path("lessons/reviews/<int:pk>/move/", lesson_changes.lesson_review_move, name="lesson_review_move"),
    path("lessons/reviews/<int:pk>/keep/", lesson_changes.lesson_review_keep, name="lesson_review_keep"),
]
urlpatterns += lesson_change_patterns

# --- the timetable editor (issue 15, point 3) ---
from .views import timetable  # noqa: E402

timetable_patterns = [
    path("timetable/", timetable.timetable, name="timetable"),
    path("timetable/classes/<int:pk>/", timetable.timetable_class, name="timetable_class"),
    path("timetable/classes/<int:pk>/add/", timetable.timetable_add, name="timetable_add"),
    path("timetable/classes/<int:pk>/pdf/", timetable.timetable_class_pdf, name="timetable_class_pdf"),
    path("timetable/teachers/<int:pk>/", timetable.timetable_teacher, name="timetable_teacher"),
    path("timetable/teachers/<int:pk>/pdf/", timetable.timetable_teacher_pdf, name="timetable_teacher_pdf"),
    path("timetable/rooms/<int:pk>/", timetable.timetable_room, name="timetable_room"),
    path("timetable/entries/<int:pk>/change/", timetable.timetable_change, name="timetable_change"),
    path("timetable/entries/<int:pk>/end/", timetable.timetable_end, name="timetable_end"),
]
urlpatterns += timetable_patterns

# --- subgroups of a class with dated memberships (issue 15, point 4) ---
from .views import groups  # noqa: E402

group_patterns = [
    path("classes/<int:pk>/groups/", groups.class_groups, name="class_groups"),
    path("classes/<int:pk>/groups/new/", groups.group_split_new, name="group_split_new"),
    path("groups/<int:pk>/add/", groups.group_add, name="group_add"),
    path("groups/<int:pk>/move/", groups.group_move, name="group_move"),
]
urlpatterns += group_patterns

# --- «Настройка школы»: the administrator's set-up pages (issue 15, point 5) ---
from .views import setup, setup_class, setup_year  # noqa: E402

setup_patterns = [
    path("setup/", setup.setup, name="setup"),
    path("setup/bells/", setup.bells, name="setup_bells"),
    path("setup/bells/add/", setup.bell_add, name="setup_bell_add"),
    path("setup/bells/<int:pk>/change/", setup.bell_change, name="setup_bell_change"),
    path("setup/bells/<int:pk>/delete/", setup.bell_delete, name="setup_bell_delete"),
    path("setup/rooms/", setup.rooms, name="setup_rooms"),
    path("setup/rooms/add/", setup.room_add, name="setup_room_add"),
    path("setup/rooms/<int:pk>/change/", setup.room_change, name="setup_room_change"),
    path("setup/rooms/<int:pk>/delete/", setup.room_delete, name="setup_room_delete"),
    path("setup/subjects/", setup.subjects, name="setup_subjects"),
    path("setup/subjects/add/", setup.subject_add, name="setup_subject_add"),
    path("setup/subjects/<int:pk>/change/", setup.subject_change, name="setup_subject_change"),
    path("setup/subjects/<int:pk>/delete/", setup.subject_delete, name="setup_subject_delete"),
    path("setup/years/add/", setup_year.year_add, name="setup_year_add"),
    path("setup/years/<int:pk>/", setup_year.year, name="setup_year"),
    path("setup/years/<int:pk>/change/", setup_year.year_change, name="setup_year_change"),
    path("setup/years/<int:pk>/delete/", setup_year.year_delete, name="setup_year_delete"),
    path("setup/years/<int:pk>/periods/add/", setup_year.period_add, name="setup_period_add"),
    path("setup/periods/<int:pk>/change/", setup_year.period_change, name="setup_period_change"),
    path("setup/periods/<int:pk>/delete/", setup_year.period_delete, name="setup_period_delete"),
    path("setup/years/<int:pk>/holidays/add/", setup_year.holidays_add, name="setup_holidays_add"),
    path("setup/holidays/<int:pk>/change/", setup_year.holidays_change, name="setup_holidays_change"),
    path("setup/holidays/<int:pk>/delete/", setup_year.holidays_delete, name="setup_holidays_delete"),
    path("setup/years/<int:pk>/classes/add/", setup_year.class_add, name="setup_class_add"),
    path("setup/classes/<int:pk>/", setup_class.klass, name="setup_class"),
    path("setup/classes/<int:pk>/change/", setup_class.class_change, name="setup_class_change"),
    path("setup/classes/<int:pk>/delete/", setup_class.class_delete, name="setup_class_delete"),
    path("setup/classes/<int:pk>/curriculum/add/", setup_class.curriculum_add, name="setup_curriculum_add"),
    path("setup/curriculum/<int:pk>/change/", setup_class.curriculum_change, name="setup_curriculum_change"),
    path("setup/curriculum/<int:pk>/delete/", setup_class.curriculum_delete, name="setup_curriculum_delete"),
    path("setup/classes/<int:pk>/loads/add/", setup_class.load_add, name="setup_load_add"),
    path("setup/loads/<int:pk>/change/", setup_class.load_change, name="setup_load_change"),
    path("setup/loads/<int:pk>/end/", setup_class.load_end, name="setup_load_end"),
    path("setup/loads/<int:pk>/resume/", setup_class.load_resume, name="setup_load_resume"),
]
urlpatterns += setup_patterns

# --- closing the school year (issue 16; docs/DESIGN.md §3.25) ---
from .views import year_end  # noqa: E402

year_end_patterns = [
    path("year-end/", year_end.year_end, name="year_end"),
    path("year-end/<int:pk>/close/", year_end.year_close, name="year_close"),
    path("year-end/<int:pk>/reopen/", year_end.year_reopen, name="year_reopen"),
]
urlpatterns += year_end_patterns

# --- the end of the school year: the next year and the promotion by order (issue 16) ---
from .views import new_year, promotion  # noqa: E402

urlpatterns += [
    path("setup/new-year/", new_year.setup_new_year, name="setup_new_year"),
    path("promotion/", promotion.promotion, name="promotion"),
    path("promotion/years/<int:pk>/", promotion.promotion_year, name="promotion_year"),
    path("promotion/years/<int:pk>/orders/add/", promotion.promotion_order_add, name="promotion_order_add"),
    path("promotion/orders/<int:order>/classes/<int:pk>/", promotion.promotion_class, name="promotion_class"),
    path("promotion/orders/<int:order>/all/", promotion.promotion_all, name="promotion_all"),
]
