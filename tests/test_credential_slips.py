"""Credentials: a class teacher prints the slips of the whole class as one PDF; a parent
logs in with the slip, must choose a new password, and then sees only own children."""

import io
import re

from django.urls import reverse
from pypdf import PdfReader

from accounts.models import CredentialIssue

from . import factories as F


def _slips(pdf: bytes) -> dict[str, str]:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return dict(re.findall(r"Логин: (\S+)\s+Пароль: (\S+)", text))


def test_class_teacher_prints_the_class_and_a_parent_logs_in_with_the_slip(world, client):
    # a second family of 5А, so the class is more than one pupil
    other = F.EnrollmentFactory(school_class=world.klass).pupil
    other_mother = F.UserFactory(school=world.school)
    F.GuardianshipFactory(parent=other_mother, child=other)

    client.force_login(world.class_teacher)
    page = client.get(reverse("journal:class_people", args=[world.klass.pk])).content.decode()
    ids = re.findall(r'name="ids" value="(\d+)"', page)
    assert sorted(map(int, ids)) == sorted(u.pk for u in (world.pupil, world.parent, other, other_mother))

    resp = client.post(reverse("accounts:issue_slips"), {"ids": ids})
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    slips = _slips(resp.content)
    assert set(slips) == {u.username for u in (world.pupil, world.parent, other, other_mother)}
    assert CredentialIssue.objects.filter(issued_by=world.class_teacher).count() == 4
    client.logout()

    # The mother logs in with what the slip says ...
    resp = client.post(reverse("login"), {"username": world.parent.username, "password": slips[world.parent.username]})
    assert resp.status_code == 302
    # ... and whatever she opens, she is asked for a password of her own first.
    resp = client.get(reverse("diary:week", args=[world.pupil.pk]))
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:password_change")
    new_password = "Sirень-2026-май"
    resp = client.post(
        reverse("accounts:password_change"),
        {"old_password": slips[world.parent.username], "new_password1": new_password, "new_password2": new_password},
    )
    assert resp.status_code == 302

    assert client.get(reverse("diary:week", args=[world.pupil.pk])).status_code == 200
    for stranger in (other, world.other_pupil, world.foreign_pupil):
        assert client.get(reverse("diary:week", args=[stranger.pk])).status_code == 404

    # The one-time password is spent.
    client.logout()
    resp = client.post(reverse("login"), {"username": world.parent.username, "password": slips[world.parent.username]})
    assert resp.status_code == 200 and "_auth_user_id" not in client.session


def test_a_class_teacher_cannot_issue_slips_outside_own_class(world, client):
    client.force_login(world.class_teacher)
    resp = client.post(reverse("accounts:issue_slips"), {"ids": [world.pupil.pk, world.other_pupil.pk]})
    assert resp.status_code == 404
    assert not CredentialIssue.objects.exists()
