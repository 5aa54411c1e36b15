"""One PDF/XLSX response helper (ejournal.downloads): Content-Disposition by RFC 6266 /
RFC 5987, an ASCII fallback next to the real (Russian) file name."""

import pytest
from django.urls import reverse

from ejournal.downloads import PDF, XLSX, content_disposition, file_response


def test_ascii_names_stay_as_they_are():
    assert content_disposition("rekvizity.pdf") == 'attachment; filename="rekvizity.pdf"'
    assert content_disposition("diary-5-2026-11-16.pdf", inline=True) == 'inline; filename="diary-5-2026-11-16.pdf"'


def test_a_russian_class_name_gets_a_fallback_and_the_utf8_name():
    header = content_disposition("svodnaya-vedomost-8А.xlsx")
    assert header == (
        "attachment; filename=\"svodnaya-vedomost-8A.xlsx\"; filename*=UTF-8''svodnaya-vedomost-8%D0%90.xlsx"
    )
    header.encode("ascii")  # the header itself is ASCII


def test_quotes_and_separators_cannot_break_the_header():
    header = content_disposition('Отчёт "8Б"; x\\y.pdf')
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.endswith(".pdf") and '"' not in fallback and "\\" not in fallback and ";" not in fallback
    assert "filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%228%D0%91%22%3B%20x%5Cy.pdf" in header


def test_the_helper_picks_the_type_and_the_cache_policy():
    resp = file_response(b"%PDF", "rekvizity.pdf", inline=True, private=True)
    assert resp["Content-Type"] == PDF and resp["Cache-Control"] == "no-store, private"
    assert resp["Content-Disposition"].startswith("inline;")
    assert file_response(b"PK", "a.xlsx")["Content-Type"] == XLSX


@pytest.mark.django_db
def test_a_report_of_5a_downloads_with_its_russian_name(world, client_for, school_day):
    url = reverse("reports:class_report_file", kwargs={"pk": world.klass.pk, "kind": "attendance_month", "fmt": "xlsx"})
    resp = client_for(world.class_teacher).get(url, {"month": "2026-11"})
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX
    assert str(world.klass) == "5А"
    # The name is Latin with the class, the month and the day (docs/DESIGN.md §4.5), so one
    # plain ASCII `filename` is all the header needs; an attachment, never opened in the tab.
    assert resp["Content-Disposition"] == 'attachment; filename="poseshchaemost_5A_2026-11_2026-11-20.xlsx"'


@pytest.mark.django_db
def test_credential_slips_are_inline_and_never_cached(world, client_for):
    resp = client_for(world.class_teacher).post(reverse("accounts:issue_slips"), {"ids": [world.pupil.pk]})
    assert resp.status_code == 200 and resp["Content-Type"] == PDF
    assert resp["Cache-Control"] == "no-store, private"
    assert resp["Content-Disposition"] == f'inline; filename="rekvizity-{world.pupil.username}.pdf"'
