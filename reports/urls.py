"""URLs of reports, one pattern list per area (combined into `urlpatterns` at the end)."""

from django.urls import path, re_path

from . import views

app_name = "reports"
KIND = r"(?P<kind>[a-z_]+)"
FMT = r"\.(?P<fmt>pdf|xlsx)"

# Reports of a class, a subject (assignment) and the school, as a page or a file.
report_patterns = [
    path("", views.index, name="index"),
    path("open/", views.choose, name="choose"),
    path("class/<int:pk>/<slug:kind>/", views.class_report, name="class_report"),
    re_path(rf"^class/(?P<pk>\d+)/{KIND}{FMT}$", views.class_report, name="class_report_file"),
    path("subject/<int:pk>/<slug:kind>/", views.assignment_report, name="assignment_report"),
    re_path(rf"^subject/(?P<pk>\d+)/{KIND}{FMT}$", views.assignment_report, name="assignment_report_file"),
    path("school/<slug:kind>/", views.school_report, name="school_report"),
    re_path(rf"^school/{KIND}{FMT}$", views.school_report, name="school_report_file"),
]

# Reports built in the background.
job_patterns = [
    path("jobs/new/", views.job_create, name="job_create"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/file/", views.job_file, name="job_file"),
]

# Usage of the portal (activity).
activity_patterns = [
    path("activity/", views.activity_list, name="activity_list"),
    path("activity/<int:pk>/", views.activity_detail, name="activity_detail"),
    re_path(rf"^activity/(?P<pk>\d+){FMT}$", views.activity_detail, name="activity_detail_file"),
]

urlpatterns = [*report_patterns, *job_patterns, *activity_patterns]
