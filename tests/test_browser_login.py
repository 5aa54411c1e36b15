import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_logs_in_and_sees_russian_home(world, login_page):
    page = login_page(world.teacher)
    assert "Здравствуйте, Андрей!" in page.content()
    assert page.locator(".user-name").inner_text() == "Соколов А. В."
