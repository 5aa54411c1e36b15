"""Issue 14: error pages in Russian, in the site's layout, with a way back — rendered
as production does (DEBUG off), for a visitor and for a logged-in user."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def way_back(page):
    assert 'class="error-back"' in page
    assert 'href="/" class="error-home">На главную страницу</a>' in page


@pytest.mark.parametrize("logged_in", [False, True])
def test_404_is_russian_in_the_layout_with_a_way_back(client, world, logged_in, settings):
    settings.DEBUG = False
    if logged_in:
        client.force_login(world.teacher)
    response = client.get("/journal/no-such-page/", HTTP_REFERER="http://testserver/journal/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Страница не найдена · Электронный журнал</title>" in page
    assert "Такой страницы нет, или она вам недоступна." in page
    assert '<a href="http://testserver/journal/" class="error-back">← Вернуться назад</a>' in page
    way_back(page)
    assert 'class="brand"' in page  # the site's header
    if logged_in:
        assert world.teacher.short_name in page


def test_an_object_out_of_scope_gives_the_same_404(client, world, settings):
    settings.DEBUG = False
    client.force_login(world.teacher)
    response = client.get(reverse("journal:lesson", args=[world.foreign_lesson.pk]))
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_403_is_russian_in_the_layout_with_a_way_back(client, world, settings):
    settings.DEBUG = False
    client.force_login(world.teacher)
    response = client.get(reverse("journal:control"))  # the deputy's page
    assert response.status_code == 403
    page = response.content.decode()
    assert "Доступ запрещён" in page
    assert "обратитесь к администратору электронного журнала школы" in page
    way_back(page)


def test_400_is_russian(client, world, settings):
    settings.DEBUG = False
    response = client.get("/", HTTP_HOST="bad host")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Неверный запрос" in page
    way_back(page)


@override_settings(ROOT_URLCONF="tests.error_urls", DEBUG=False)
def test_500_renders_without_a_request_context(client, world):
    """Django renders 500.html with an empty context: the page needs neither the
    request nor the user (a broken request must not break its own error page)."""
    client.raise_request_exception = False
    client.force_login(world.teacher)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<title>Ошибка на сервере · Электронный журнал</title>" in page
    assert "Записи, сохранённые раньше, не пострадали" in page
    assert 'href="/" class="error-back" data-history-back' in page
    way_back(page)
    assert "RuntimeError" not in page and "Traceback" not in page
