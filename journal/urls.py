from django.urls import path  # noqa: F401

app_name = "journal"
urlpatterns = []

# Records procedures (issue 4): КТП, corrections, substitutions, absences, outages.
from .urls_records import urlpatterns as records_urlpatterns  # noqa: E402

urlpatterns += records_urlpatterns
