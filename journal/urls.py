from django.urls import path

from . import views_people
from .views import grid, lesson

app_name = "journal"
urlpatterns = [
    path("a/<int:pk>/", grid.grid, name="grid"),
    path("a/<int:pk>/p/<int:period>/", grid.grid, name="grid_period"),
    path("a/<int:pk>/p/<int:period>/pm/", grid.period_mark, name="period_mark"),
    path("lesson/<int:pk>/", lesson.lesson, name="lesson"),
    path("lesson/<int:pk>/cell/", grid.cell, name="cell"),
    # people of a class, pupil card (issue 3)
    path("classes/<int:pk>/people/", views_people.class_people, name="class_people"),
    path("pupils/<int:pk>/card/", views_people.pupil_card, name="pupil_card"),
]

# Records procedures (issue 4): КТП, corrections, substitutions, absences, outages.
from .urls_records import urlpatterns as records_urlpatterns  # noqa: E402

urlpatterns += records_urlpatterns

# --- deadline control (issue 7) ---
from . import views_control  # noqa: E402

urlpatterns += [
    path("notifications/", views_control.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views_control.notification_read, name="notification_read"),
    path("notifications/read-all/", views_control.notifications_read_all, name="notifications_read_all"),
    path("control/", views_control.school_control, name="control"),
    path("control/class/<int:pk>/", views_control.class_control, name="class_control"),
    path("control/violations/<int:pk>/", views_control.violation, name="violation"),
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
