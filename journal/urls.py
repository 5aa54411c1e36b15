from django.urls import path  # noqa: F401

app_name = "journal"
urlpatterns = []

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
