"""Issue 18, "Headers" (F15): a Content-Security-Policy with nothing inline left in the
templates, `Cache-Control: no-store, private` on every signed-in page and every file,
and the HTTPS switch of the settings."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from .child_env import child_env

TEMPLATES = Path(settings.BASE_DIR, "templates")
# Rendered to PDF by WeasyPrint or sent as e-mail, never served as a page: they keep
# their <style> (WeasyPrint and mail clients read no external stylesheet).
NOT_PAGES = re.compile(r"(^|/)(pdf/|email/)|_pdf\.html$|^diary/print_week\.html$|^reports/pdf\.html$")
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "htmx hx-on": re.compile(r"\shx-on", re.I),
}


def _pages():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if not NOT_PAGES.search(name):
            yield name, path.read_text()


def test_no_served_template_carries_inline_script_handlers_or_styles():
    found = [
        f"{name}: {what}: {m.group(0)[:80]}"
        for name, text in _pages()
        for what, rx in INLINE.items()
        for m in rx.finditer(text)
    ]
    assert not found, "\n".join(found)


def _policy(resp) -> dict[str, list[str]]:
    header = resp["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


def test_pages_carry_a_policy_of_our_own_origin_with_nothing_inline(world, client):
    for resp in (client.get(reverse("login")), client.get(reverse("admin:login"))):
        policy = _policy(resp)
        assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert "'unsafe-inline'" not in resp["Content-Security-Policy"]
        assert "'unsafe-eval'" not in resp["Content-Security-Policy"]


def test_htmx_is_told_not_to_add_its_inline_indicator_style(world, client_for):
    page = client_for(world.teacher).get(reverse("home")).content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert config and json.loads(config.group(1)) == {"includeIndicatorStyles": False}
    assert '<script src="/static/js/app.js" defer></script>' in page


def _no_store(resp):
    return resp["Cache-Control"] == "no-store, private"


@pytest.mark.usefixtures("school_day")
def test_every_signed_in_page_and_file_is_kept_out_of_caches(world, client_for):
    parent = client_for(world.parent)
    week = reverse("diary:week", args=[world.pupil.pk])
    for url in (reverse("home"), week, reverse("diary:marks", args=[world.pupil.pk]), reverse("diary:inbox")):
        resp = parent.get(url)
        assert resp.status_code == 200 and _no_store(resp), url
    pdf = parent.get(reverse("diary:print_week", args=[world.pupil.pk]))
    assert pdf["Content-Type"] == "application/pdf" and _no_store(pdf)
    # A PDF carries no page policy: a browser's PDF viewer is a plugin.
    assert "Content-Security-Policy" not in pdf
    # Errors and redirects of a signed-in user too.
    assert _no_store(parent.get(reverse("diary:week", args=[world.foreign_pupil.pk])))
    assert _no_store(parent.get(reverse("diary:index")))

    teacher = client_for(world.teacher)
    resp = teacher.get(reverse("journal:grid", args=[world.assignment.pk]), follow=True)
    assert resp.status_code == 200 and _no_store(resp)


def test_an_anonymous_login_page_may_be_cached_but_not_its_answer_once_signed_in(world, client):
    from .factories import PASSWORD

    assert not _no_store(client.get(reverse("login")))
    resp = client.post(reverse("login"), {"username": world.teacher.username, "password": PASSWORD})
    assert resp.status_code == 302 and _no_store(resp)


HTTPS_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
)


def _settings_with(**env):
    code = "import json, django; django.setup(); from django.conf import settings as s; " + (
        f"print(json.dumps({{n: getattr(s, n) for n in {list(HTTPS_SETTINGS)!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_https_switch_turns_on_redirects_secure_cookies_and_hsts():
    off = _settings_with(HTTPS="false")
    assert not off["SESSION_COOKIE_SECURE"] and not off["SECURE_SSL_REDIRECT"] and off["SECURE_HSTS_SECONDS"] == 0
    on = _settings_with(HTTPS="true", BEHIND_TLS_PROXY="true")
    assert on["SECURE_SSL_REDIRECT"] and on["SESSION_COOKIE_SECURE"] and on["CSRF_COOKIE_SECURE"]
    assert on["SECURE_HSTS_SECONDS"] >= 31536000 and on["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert on["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
