"""URLs of the diary, one pattern list per area (combined into `urlpatterns` at the end)."""

from django.urls import path

from . import views

app_name = "diary"

# A pupil's diary: the week, a lesson, marks, the printed week.
diary_patterns = [
    path("", views.index, name="index"),
    path("pupil/<int:pupil_id>/", views.week, name="week"),
    path("pupil/<int:pupil_id>/lesson/<int:lesson_id>/", views.lesson, name="lesson"),
    path("pupil/<int:pupil_id>/marks/", views.marks, name="marks"),
    path("pupil/<int:pupil_id>/print/", views.print_week, name="print_week"),
    path("class/<int:class_id>/print/", views.print_class, name="print_class"),
    path("paper/", views.paper_requests, name="paper_requests"),
]

# Messages between parents and teachers.
message_patterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/new/", views.thread_new, name="thread_new"),
    path("messages/new/class/<int:class_id>/", views.class_message, name="class_message"),
    path("messages/<int:pk>/", views.thread, name="thread"),
    path("messages/m/<int:pk>/", views.message, name="message"),
]

# Announcements.
announcement_patterns = [
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/new/", views.announcement_new, name="announcement_new"),
    path("announcements/<int:pk>/", views.announcement, name="announcement"),
]

# E-mail digests: preferences and the unsubscribe link.
email_patterns = [
    path("email/", views.email_settings, name="email_settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

urlpatterns = [*diary_patterns, *message_patterns, *announcement_patterns, *email_patterns]
