"""django-axes lockout keyed on login + IP: a whole school sits behind one NAT address,
so one pupil guessing a password must not lock out the rest of the school."""

from django.urls import reverse

from .factories import PASSWORD

SCHOOL_NAT = "203.0.113.7"
HOME = "198.51.100.20"


def _login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_that_login_from_that_ip_only(world, client):
    for _ in range(4):
        resp = _login(client, world.pupil.username, "wrong-guess", SCHOOL_NAT)
        assert resp.status_code == 200  # the form again, with the error
        assert "_auth_user_id" not in client.session
    resp = _login(client, world.pupil.username, "wrong-guess", SCHOOL_NAT)
    assert resp.status_code == 429

    # The right password does not help from that address now ...
    resp = _login(client, world.pupil.username, PASSWORD, SCHOOL_NAT)
    assert resp.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "15 минут" in resp.content.decode()

    # ... but another login behind the same NAT gets in,
    resp = _login(client, world.other_pupil.username, PASSWORD, SCHOOL_NAT)
    assert resp.status_code == 302
    assert client.session["_auth_user_id"] == str(world.other_pupil.pk)
    client.logout()

    # and the same login from another address (at home) too.
    resp = _login(client, world.pupil.username, PASSWORD, HOME)
    assert resp.status_code == 302
    assert client.session["_auth_user_id"] == str(world.pupil.pk)
