"""The English interface: the language switch reaches our own strings, the catalogues are
complete, and no Russian text of the code or the templates is outside them.

Russian is the source language; English comes from locale/en/LC_MESSAGES/django.po (Python
and templates) and djangojs.po (static/js, served by the `javascript-catalog` view).
"""

import ast
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

BASE = Path(settings.BASE_DIR)
PO = BASE / "locale" / "en" / "LC_MESSAGES" / "django.po"
JS_PO = BASE / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"
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


@pytest.mark.parametrize("po, at_least", [(PO, 500), (JS_PO, 10)], ids=["django", "djangojs"])
def test_english_catalogue_is_complete(po, at_least):
    entries = parse_po(po.read_text(encoding="utf-8"))
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert "Language: en" in header["msgstr"][0]
    assert len(messages) >= at_least
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


# --- the scripts' catalogue ---------------------------------------------------------------


def test_pages_load_the_javascript_catalogue_before_our_scripts(teacher, client_for, school_day):
    html = client_for(teacher).get(reverse("home")).content.decode()
    catalogue = html.index(f'<script src="{reverse("javascript-catalog")}"')
    assert catalogue < html.index("htmx.min.js")


def test_javascript_catalogue_speaks_the_session_language(client):
    """grid.js messages come through gettext() in the browser; the view serves them per language."""
    russian = client.get(reverse("javascript-catalog")).content.decode()
    assert '"Saved."' not in russian  # Russian is the source: gettext() returns the msgid
    switch_to_english(client, reverse("login"))
    js = client.get(reverse("javascript-catalog")).content.decode()
    assert '"Saved."' in js
    assert '"You can only view this cell."' in js


# --- no Russian outside a catalogue ---------------------------------------------------------
# What is scanned and what is let through: the docstring of test_no_russian_literal_outside_gettext.

SKIP_DIRS = {".git", ".venv", "node_modules", "var", "locale", "__pycache__", "migrations", "tests"}
DEMO_DATA = ("journal/demo/", "demo/")
PRAGMA = "i18n: data"
# The positions of msgids (msgctxt is not shown) in the gettext family's calls.
MSGID_ARGS = {
    "_": (0,),
    "gettext": (0,),
    "gettext_lazy": (0,),
    "gettext_noop": (0,),
    "ngettext": (0, 1),
    "ngettext_lazy": (0, 1),
    "pgettext": (1,),
    "pgettext_lazy": (1,),
    "npgettext": (1, 2),
    "npgettext_lazy": (1, 2),
}


def project_files(*suffixes, under=""):
    """Project files by suffix, as paths relative to BASE_DIR (posix), sorted."""
    found = []
    for root, dirs, files in os.walk(BASE / under):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
        for name in files:
            if name.endswith(suffixes):
                rel = (Path(root) / name).relative_to(BASE).as_posix()
                if not rel.startswith(DEMO_DATA):
                    found.append(rel)
    return sorted(found)


def russian_literals_in_python(source: str, path: str = "<string>") -> list[str]:
    """`path:line: 'literal'` for each Cyrillic string constant outside the gettext family."""
    tree = ast.parse(source, path)
    lines = source.splitlines()
    allowed, statement_line = set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                allowed.add(id(first.value))  # a docstring
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            for i in MSGID_ARGS.get(name, ()):
                if i < len(node.args):
                    allowed.add(id(node.args[i]))
        if isinstance(node, ast.stmt):  # ast.walk is breadth-first: the innermost statement wins
            for inner in ast.walk(node):
                statement_line[id(inner)] = node.lineno

    def marked(node):
        span = range(node.lineno, node.end_lineno + 1)
        return any(PRAGMA in lines[n - 1] for n in (*span, statement_line.get(id(node), node.lineno)))

    found = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CYRILLIC.search(node.value)
        and id(node) not in allowed
        and not marked(node)
    ]
    return [f"{path}:{n.lineno}: {n.value!r}" for n in sorted(found, key=lambda n: (n.lineno, n.col_offset))]


def python_literals(under=""):
    found = []
    for rel in project_files(".py", under=under):
        found += russian_literals_in_python((BASE / rel).read_text(encoding="utf-8"), rel)
    return found


def _blank(match):
    return re.sub(r"[^\n]", " ", match.group(0))


TEMPLATE_CATALOGUED = [
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    re.compile(r"\{%\s*trans(?:late)?\s.*?%\}", re.S),
    re.compile(r"""\b_\(\s*(?:"[^"]*"|'[^']*')\s*\)"""),
]


def russian_text_in_template(text: str, path: str = "<string>") -> list[str]:
    for pattern in TEMPLATE_CATALOGUED:
        text = pattern.sub(_blank, text)  # keeps the line numbers
    return [f"{path}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1) if CYRILLIC.search(line)]


def template_files():
    return [rel for rel in project_files(".html", ".txt", ".xml") if "/templates/" in f"/{rel}"]


JS_STRING = r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
JS_CATALOGUED = [
    re.compile(r"/\*.*?\*/", re.S),
    re.compile(rf"\b(?:gettext|ngettext|pgettext|npgettext|gettext_noop)\(\s*{JS_STRING}(?:\s*,\s*{JS_STRING})*"),
    re.compile(r"(?:^|(?<=\s))//.*$", re.M),
]


def russian_text_in_script(text: str, path: str = "<string>") -> list[str]:
    raw = text.splitlines()
    for pattern in JS_CATALOGUED:
        text = pattern.sub(_blank, text)
    return [
        f"{path}:{n}: {raw[n - 1].strip()}"
        for n, line in enumerate(text.splitlines(), 1)
        if CYRILLIC.search(line) and PRAGMA not in raw[n - 1]
    ]


def test_the_scans_see_what_they_should():
    """The scanners themselves, on small samples: what passes and what is caught."""
    source = (
        '"""Модуль."""\n'
        "from django.utils.translation import gettext as _, ngettext, pgettext\n"
        'A = _("раз")\n'
        'B = ngettext("%(n)s ученик", "%(n)s учеников", 2)\n'
        'C = pgettext("lesson", "Тема")\n'
        'D = "н"  # i18n: data\n'
        "E = {  # i18n: data\n"
        '    "б": 1,\n'
        "}\n"
        "def f(x):\n"
        '    """Документация."""\n'
        '    raise ValueError(f"Плохо: {x}")\n'
        'F = "Ошибка"\n'
        'G = pgettext("контекст", "ok")\n'
    )
    assert russian_literals_in_python(source) == [
        "<string>:12: 'Плохо: '",
        "<string>:13: 'Ошибка'",
        "<string>:14: 'контекст'",
    ]
    template = (
        '{% load i18n %}{# Комментарий #}<h1>{% translate "Заголовок" %}</h1>\n'
        "{% blocktranslate with n=x %}Всего: {{ n }}\nстрок{% endblocktranslate %}\n"
        '{{ v|default:_("нет") }}\n'
        "<p>Забыли</p>\n"
        '{% comment %}Служебное{% endcomment %}<td>{{ x|yesno:"да,нет" }}</td>\n'
    )
    assert russian_text_in_template(template) == [
        "<string>:5: <p>Забыли</p>",
        '<string>:6: <td>{{ x|yesno:"да,нет" }}</td>',
    ]
    script = (
        "/* Описание */\n"
        'say(gettext("Сохранено (внесено с опозданием)."), "ok"); // Комментарий\n'
        'var CODES = ["н", "б"]; // i18n: data\n'
        'say("Забыли");\n'
        'prompt(msg + "\\n" + gettext("Причина:"), "");\n'
    )
    assert russian_text_in_script(script) == ['<string>:4: say("Забыли");']


PY_AREAS = sorted({rel.split("/")[0] if "/" in rel else "." for rel in project_files(".py")} - {"journal"})


@pytest.mark.parametrize("area", PY_AREAS)
def test_no_russian_literal_outside_gettext(area):
    """No Cyrillic string constant in the project's Python outside a gettext-family call
    (`_`, gettext, gettext_lazy, gettext_noop, ngettext, pgettext, npgettext and their lazy
    forms, in their msgid positions), read with `ast`: f-string parts count as literals, so
    an f-string with Russian text fails (translators need one msgid with placeholders).

    One parameter per top-level package ("." for the files at the root); journal has its own
    test below. Let through, and why:
    - migrations (frozen history) and tests/ (Russian is what the tests assert);
    - the demo data generator (journal/demo/ or demo/): the demo school's pupil names,
      streets, topics are data stored like what users type, not interface text;
    - docstrings and comments: for developers, never shown;
    - a literal that is data, not interface text (an attendance code as stored, a group
      name used as a database key, a language's own name in the switch), marked with the
      comment `# i18n: data` on its line or on the first line of its statement.
    Templates and scripts: the two tests after this one.
    """
    if area == ".":
        found = []
        for rel in project_files(".py"):
            if "/" not in rel:
                found += russian_literals_in_python((BASE / rel).read_text(encoding="utf-8"), rel)
    else:
        found = python_literals(under=area)
    assert found == []


def test_no_russian_literal_outside_gettext_in_journal():
    """journal's Python under the same rules as the other packages (see the test above)."""
    assert python_literals(under="journal") == []


def test_no_russian_text_outside_translate_in_templates():
    """Every file under a templates/ directory (HTML, e-mail text, PDF sources): no Cyrillic
    outside {% translate %}, {% blocktranslate %}…{% endblocktranslate %}, _("…") in tag and
    filter arguments, and template comments."""
    files = template_files()
    assert any(rel.startswith("templates/") for rel in files)
    found = []
    for rel in files:
        found += russian_text_in_template((BASE / rel).read_text(encoding="utf-8"), rel)
    assert found == []


def test_no_russian_text_outside_gettext_in_scripts():
    """Our own scripts under static/ (vendored libraries come from node_modules): no Cyrillic
    outside gettext("…") (and its n/p variants) and comments, except lines marked `// i18n: data`."""
    files = project_files(".js", under="static")
    assert "static/js/grid.js" in files
    found = []
    for rel in files:
        found += russian_text_in_script((BASE / rel).read_text(encoding="utf-8"), rel)
    assert found == []


def test_every_template_compiles():
    """A {% translate %} without {% load i18n %} fails here, not only on the page that renders it."""
    for rel in template_files():
        name = rel.split("templates/", 1)[1]
        get_template(name)


def test_no_function_hides_gettext_behind_a_local_underscore():
    """`x, _ = pair` in a function that also calls _("…") makes _ local there: the call breaks."""
    bad = []
    for rel in project_files(".py"):
        tree = ast.parse((BASE / rel).read_text(encoding="utf-8"), rel)
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                nodes = list(ast.walk(fn))
                binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in nodes)
                calls = any(isinstance(n, ast.Call) and getattr(n.func, "id", None) == "_" for n in nodes)
                if binds and calls:
                    bad.append(f"{rel}:{fn.lineno} {fn.name}")
    assert bad == []


EAGER_GETTEXT = {"gettext", "ngettext", "pgettext", "npgettext"}


def eager_gettext_at_import(source: str, path: str = "<string>") -> list[str]:
    """Calls of the non-lazy gettext family that run when the module is imported (module and
    class bodies, default values, decorators): they freeze one language for every later user."""
    tree = ast.parse(source, path)
    eager = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER_GETTEXT
    }
    found = []

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                args = child.args
                for expr in [*args.defaults, *filter(None, args.kw_defaults), *getattr(child, "decorator_list", [])]:
                    check(expr)
                    visit(expr)
                continue  # the body runs later, in the caller's language
            check(child)
            visit(child)

    def check(node):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in eager:
            found.append(f"{path}:{node.lineno}: {node.func.id}()")

    visit(tree)
    return found


def test_no_eager_gettext_at_import():
    assert eager_gettext_at_import(
        "from django.utils.translation import gettext as _\nA = _('x')\ndef f(y=_('z')):\n    return _('w')\n"
    ) == ["<string>:2: _()", "<string>:3: _()"]
    found = []
    for rel in project_files(".py"):
        found += eager_gettext_at_import((BASE / rel).read_text(encoding="utf-8"), rel)
    assert found == []


# --- documents in English -------------------------------------------------------------------


def _report_urls(kind, rc, world):
    from reports import registry

    if kind.scope == registry.CLASS:
        return "reports:class_report", "reports:class_report_file", [rc.klass.pk, kind.code]
    if kind.scope == registry.ASSIGNMENT:
        return "reports:assignment_report", "reports:assignment_report_file", [rc.maths.pk, kind.code]
    return "reports:school_report", "reports:school_report_file", [kind.code]


def test_every_report_page_is_english_and_its_files_russian(world, client_for, school_day):
    """Every report built in a request, asked for in English: the page is English (the
    builders' texts come translated), the spreadsheet and the PDF are Russian — printed
    documents are, whatever the browser says (docs/DESIGN.md §4.5) — and nothing lazy
    reaches openpyxl or WeasyPrint."""
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from reports import registry

    from .reports_data import build_report_class

    rc = build_report_class(world)
    client = client_for(world.deputy)
    switch_to_english(client, reverse("home"))
    for kind in (k for k in registry.KINDS.values() if not k.long):
        page, file, args = _report_urls(kind, rc, world)
        with translation.override("en"):
            title = str(kind.title)
        assert not CYRILLIC.search(title), kind.code
        html = client.get(reverse(page, args=args)).content.decode()
        assert escape(title) in html, kind.code
        if kind.table:
            resp = client.get(reverse(file, args=[*args, "xlsx"]))
            assert resp.status_code == 200, kind.code
            sheet = load_workbook(io.BytesIO(resp.content)).worksheets[0]
            assert CYRILLIC.search(sheet.cell(row=2, column=1).value), kind.code  # the part's title
            assert any(str(c.value).startswith("Сформировано: ") for c in sheet["A"] if c.value), kind.code
    resp = client.get(reverse("reports:class_report_file", args=[rc.klass.pk, "class_results", "pdf"]))
    text = PdfReader(io.BytesIO(resp.content)).pages[0].extract_text()
    assert "Стр. 1 из " in text and "Page" not in text
    assert "Итоги успеваемости класса за учебный период" in text
