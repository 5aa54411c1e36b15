"""Browser: the year archive as the administrator and the director use it, from the home
page by the labels they see (docs/ARCHIVE.md, issue 17, points 4–5). The administrator uploads
the school's certificate (a wrong password is refused with a clear message) and orders
the archive of a period, which a real Celery worker builds; the director signs a summary
sheet with the certificate's password (a wrong one: a clear message, nothing signed),
sees who signed and when, and verifies the signature on request."""

import re
import time

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from ejournal.celery import app as celery_app
from reports.models import ArchiveItem, ArchiveRun, SchoolCertificate

from .axe import assert_accessible
from .certs import self_signed_p12

pytestmark = [
    pytest.mark.usefixtures("school_day"),
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "секрет-школы"


def _menu(page):
    return page.get_by_role("navigation").first


def test_the_admin_builds_the_archive_and_the_director_signs_and_verifies(world, login_page, tmp_path):
    p12 = tmp_path / "school.p12"
    p12.write_bytes(self_signed_p12(PASSWORD))

    admin = login_page(world.admin)
    _menu(admin).get_by_role("link", name="Архив").click()
    expect(admin.get_by_role("heading", name="Архив документов")).to_be_visible()
    admin.get_by_role("link", name="Загрузить сертификат").click()
    admin.get_by_label("Файл сертификата").set_input_files(str(p12))
    admin.get_by_label("Пароль").fill("не тот")
    admin.get_by_role("button", name="Загрузить").click()
    expect(admin.get_by_text("Неверный пароль сертификата")).to_be_visible()
    assert not SchoolCertificate.objects.exists()
    admin.get_by_label("Файл сертификата").set_input_files(str(p12))
    admin.get_by_label("Пароль").fill(PASSWORD)
    admin.get_by_role("button", name="Загрузить").click()
    expect(admin.get_by_text("Сертификат подписи загружен.")).to_be_visible()

    admin.get_by_label("Период").select_option(label="2 четверть")
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        admin.get_by_role("button", name="Сформировать").click()
        expect(admin.get_by_text("Формирование архива поставлено в очередь.")).to_be_visible()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not ArchiveRun.objects.filter(status__in=["done", "failed"]).exists():
            time.sleep(0.5)
    run = ArchiveRun.objects.get()
    assert run.status == ArchiveRun.Status.DONE, run.error
    admin.reload()
    assert admin.locator("tr.archive-item").count() == 2 * world.year.classes.count()
    assert_accessible(admin)

    director = login_page(world.director)
    _menu(director).get_by_role("link", name="Архив").click()
    item = ArchiveItem.objects.filter(kind="summary_marks").order_by("pk").first()
    director.get_by_label(f"Пароль сертификата: {item.title}").fill("не тот")
    director.get_by_role("button", name=f"Подписать: {item.title}").click()
    expect(director.get_by_text("Неверный пароль сертификата")).to_be_visible()
    item.refresh_from_db()
    assert not item.signed_path
    director.get_by_label(f"Пароль сертификата: {item.title}").fill(PASSWORD)
    director.get_by_role("button", name=f"Подписать: {item.title}").click()
    expect(director.get_by_text("Документ подписан.")).to_be_visible()
    row = director.locator(f"#item-{item.pk}")
    expect(row).to_contain_text(re.compile(rf"подписал {world.director.full_name}, \d\d\.\d\d\.\d{{4}} \d\d:\d\d"))
    assert_accessible(director)

    director.get_by_role("button", name=f"Проверить: {item.title}").click()
    expect(director.get_by_text("Файл цел: SHA-256 совпадает")).to_be_visible()
    expect(director.get_by_text("Подпись действительна")).to_be_visible()
    assert_accessible(director)
