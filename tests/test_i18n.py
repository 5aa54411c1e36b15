"""The English interface: the language switch reaches our own strings, and the catalogue is complete.

Russian is the source language; English comes from locale/en/LC_MESSAGES/django.po.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@pytest.fixture(autouse=True)
def back_to_russian():
    """LocaleMiddleware leaves the request's language active in the thread; later tests expect Russian."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def switch_to_english(client, next_url):
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response.url == next_url


def nav_html(html):
    return re.search(r'<nav class="mainnav">(.*?)</nav>', html, re.S).group(1)


@pytest.mark.django_db
def test_login_page_is_russian_by_default_and_english_after_switch(client):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="ru">' in html
    assert "Вход в электронный журнал" in html

    switch_to_english(client, reverse("login"))

    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Sign in to the electronic journal" in html
    assert "Вход в электронный журнал" not in html
    assert ">Sign in</button>" in html


def test_teacher_home_navigation_in_english(teacher, client_for, school_day):
    client = client_for(teacher)
    russian_nav = nav_html(client.get(reverse("home")).content.decode())
    assert "Главная" in russian_nav

    switch_to_english(client, reverse("home"))

    html = client.get(reverse("home")).content.decode()
    nav = nav_html(html)
    for label in ("Home", "Password and sign-in", "Messages", "Announcements", "Reports", "Notifications"):
        assert f">{label}" in nav
    assert CYRILLIC.findall(nav) == []
    assert "Sign out" in html
    assert "Выйти" not in html


def parse_po(text):
    """Entries of a .po file as dicts: msgid, msgid_plural, msgstr (list), flags; obsolete ones skipped."""
    entries, cur, field = [], None, None

    def start():
        return {"msgid": "", "msgid_plural": None, "msgstr": [], "flags": set()}

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if cur is not None and cur["msgstr"]:
                entries.append(cur)
                cur = None
            cur = cur or start()
            cur["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            cur["msgid_plural"] = _unquote(line[len("msgid_plural ") :])
            field = "msgid_plural"
        elif line.startswith("msgid "):
            if cur is not None and cur["msgstr"]:
                entries.append(cur)
                cur = None
            cur = cur or start()
            cur["msgid"] = _unquote(line[len("msgid ") :])
            field = "msgid"
        elif line.startswith("msgstr"):
            cur["msgstr"].append(_unquote(line.split(" ", 1)[1]))
            field = "msgstr"
        elif line.startswith('"'):
            if field == "msgstr":
                cur["msgstr"][-1] += _unquote(line)
            else:
                cur[field] += _unquote(line)
    if cur is not None:
        entries.append(cur)
    return entries


def _unquote(s):
    # PO strings use C escapes (\n, \", \\), which a Python string literal reads the same way.
    return ast.literal_eval(s.strip())


def test_parse_po_sees_fuzzy_and_empty_entries():
    entries = parse_po(
        'msgid ""\nmsgstr "Language: en\\n"\n\n#, fuzzy, python-format\nmsgid "а %(n)s"\nmsgstr "a %(n)s"\n\n'
        'msgid "б"\nmsgid_plural "бб"\nmsgstr[0] "b"\nmsgstr[1] ""\n\n#~ msgid "старое"\n#~ msgstr ""\n'
    )
    assert [(e["msgid"], e["msgstr"], "fuzzy" in e["flags"]) for e in entries] == [
        ("", ["Language: en\n"], False),
        ("а %(n)s", ["a %(n)s"], True),
        ("б", ["b", ""], False),
    ]


def test_english_catalogue_is_complete():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert "Language: en" in header["msgstr"][0]
    assert len(messages) > 500
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in messages if not all(e["msgstr"])]
    plural_without_forms = [e["msgid"] for e in messages if e["msgid_plural"] and len(e["msgstr"]) != 2]
    assert fuzzy == []
    assert untranslated == []
    assert plural_without_forms == []


@pytest.mark.parametrize(
    "n, text",
    [
        (1, "для «5» нужно ещё 1 отметка «5»"),
        (2, "для «5» нужно ещё 2 отметки «5»"),
        (5, "для «5» нужно ещё 5 отметок «5»"),
        (11, "для «5» нужно ещё 11 отметок «5»"),
        (22, "для «5» нужно ещё 22 отметки «5»"),
    ],
)
def test_russian_plurals_have_all_three_forms(n, text):
    """Russian is the source language, but its three plural forms come from locale/ru."""
    with translation.override("ru"):
        msg = translation.ngettext(
            "для «%(t)s» нужно ещё %(n)s отметка «%(t)s»", "для «%(t)s» нужно ещё %(n)s отметок «%(t)s»", n
        )
        assert msg % {"t": 5, "n": n} == text
        assert translation.ngettext("%(n)s ученик", "%(n)s учеников", n) % {"n": n} == text.replace(
            "для «5» нужно ещё ", ""
        ).replace("отметка «5»", "ученик").replace("отметки «5»", "ученика").replace("отметок «5»", "учеников")
