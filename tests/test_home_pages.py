"""Every demo login that `make run` prints lands, through the login form, on its role's
home page in Russian, showing that person's own demo data."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from demo import seeding as demo
from demo.logins import demo_accounts
from journal.models import Enrollment, Lesson, SchoolClass

from .conftest import SCHOOL_DAY


@pytest.fixture
def demo_school(db, small_demo):
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True):
        yield small_demo


def _home(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": demo.DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user == user, f"{user.username} is logged in"
    assert response.redirect_chain[-1][0] == "/"
    html = response.content.decode()
    assert f"Здравствуйте, {user.first_name}!" in html
    assert '<html lang="ru"' in html
    return html


def test_every_printed_demo_login_lands_on_its_roles_home_with_real_data(demo_school, client):
    accounts = dict(demo_accounts(demo_school))
    assert set(accounts) == {"admin", "director", "deputy", "class_teacher", "teacher", "parent", "student"}
    classes = list(SchoolClass.objects.filter(year__school=demo_school))

    for role, user in accounts.items():
        client.logout()
        html = _home(client, user)
        if role == "teacher":
            today = Lesson.objects.filter(assignment__teacher=user, date=SCHOOL_DAY).select_related("assignment")
            assert today, "the demo teacher has lessons on the school day"
            assert "Мои уроки сегодня" in html
            assert html.count('class="lesson"') == len(today)
            for lesson in today:
                assert str(lesson.assignment.subject) in html
        elif role == "class_teacher":
            (klass,) = user.led_classes.all()
            assert "Мой класс" in html and f"<strong>{klass}</strong>" in html
            pupils = Enrollment.objects.filter(school_class=klass, end__isnull=True).count()
            assert f"{pupils} учени" in html
        elif role == "parent":
            children = [g.child for g in user.children_links.select_related("child")]
            assert len(children) >= 2
            assert html.count('class="child"') == len(children)
            for child in children:
                assert child.full_name in html
        elif role == "student":
            klass = Enrollment.objects.get(pupil=user, end__isnull=True).school_class
            assert f"Мой класс: {klass}" in html
            assert 'class="pupil-lessons"' in html
        elif role in ("deputy", "director"):
            assert "Классы школы" in html
            assert html.count('class="school-class"') == len(classes)
        elif role == "admin":
            assert "Настройка школы" in html
            setup = client.get(reverse("admin:journal_schoolclass_changelist"))
            assert setup.status_code == 200
            for klass in classes:
                assert str(klass) in setup.content.decode()
