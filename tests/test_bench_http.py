"""What `make bench-http` relies on (bench/runner.py Gunicorn, docs/DEPLOY.md): the
liveness probe that is its baseline row, and the query count each answer carries when the
server is another process."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.models import School
from ejournal.middleware import QueryCountHeaderMiddleware

pytestmark = pytest.mark.django_db


def test_the_liveness_probe_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_each_answer_carries_the_queries_of_its_request():
    def view(request):
        School.objects.count()
        list(School.objects.all()[:1])
        return HttpResponse("page")

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = QueryCountHeaderMiddleware(view)(request)
    assert response["X-Queries"] == "2"
    assert response.content == b"page"
