"""The project's URLs plus a view that fails, for the 500 page test (tests/test_error_pages.py)."""

from django.urls import path

from ejournal.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [*project_urlpatterns, path("boom/", boom)]
