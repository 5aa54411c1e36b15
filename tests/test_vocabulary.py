"""One vocabulary of roles and named permission predicates (accounts.roles,
accounts.predicates): no role string outside the vocabulary, and templates ask the
same predicates the views do."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from accounts import predicates
from accounts import roles as R

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "journal", "diary", "reports", "ejournal", "bench", "loadtest")
# The vocabulary itself; diary.models' Thread.Kind is the vocabulary of thread addresses.
VOCABULARY = {"accounts/roles.py", "accounts/models.py", "diary/models.py"}
ROLE_KEYWORDS = {"role", "role__in", "roles__role", "roles__role__in"}
ROLE_CALLS = {"has_role", "has_any", "staff_required", "Role"}


def _is_role(node) -> bool:
    return isinstance(node, ast.Constant) and node.value in R.ALL


def _call_name(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _names_a_role(node) -> bool:
    """role="deputy", or a constant named after a role (DEPUTY = "deputy"); `fk_name = "parent"` names a field."""
    if isinstance(node, ast.keyword):
        return node.arg in ROLE_KEYWORDS
    return any(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets)


def role_literals(tree):
    """Role strings used as roles: compared, collected in sets, keyed, passed to role helpers."""
    found = []
    for node in ast.walk(tree):
        hits = []
        if isinstance(node, ast.Compare):
            hits = [n for n in [node.left, *node.comparators] if _is_role(n)]
        elif isinstance(node, ast.Set):
            hits = [n for n in node.elts if _is_role(n)]
        elif isinstance(node, ast.Tuple | ast.List) and len(node.elts) > 1 and all(map(_is_role, node.elts)):
            hits = node.elts
        elif isinstance(node, ast.Dict) and len(node.keys) > 1 and all(map(_is_role, node.keys)):
            hits = node.keys
        elif isinstance(node, ast.Subscript) and _is_role(node.slice):
            hits = [node.slice]
        elif isinstance(node, ast.Call) and _call_name(node.func) in ROLE_CALLS:
            hits = [n for n in node.args if _is_role(n)]
        elif isinstance(node, ast.keyword | ast.Assign) and _is_role(node.value) and _names_a_role(node):
            hits = [node.value]
        found += [(n.lineno, n.value) for n in hits]
    return found


def test_the_scan_sees_role_strings():
    code = """
if "deputy" in roles: pass
x = {"director", "deputy"}
y = roles["parent"]
has_role(user, "teacher")
RoleAssignment.objects.filter(role="admin")
DEPUTY = "deputy"
LABELS = {"admin": 1, "student": 2}
fine = select_related("teacher", "school_class")
also_fine = {"teacher": a.teacher_id}
"""
    found = sorted(v for _line, v in role_literals(ast.parse(code)))
    assert found == sorted(["deputy", "director", "deputy", "parent", "teacher", "admin", "deputy", "admin", "student"])


def test_no_role_string_outside_the_vocabulary():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel or rel in VOCABULARY:
                continue
            for line, value in role_literals(ast.parse(path.read_text(encoding="utf-8"))):
                offenders.append(f"{rel}:{line}: {value!r}")
    assert offenders == []


TEMPLATE_ROLE = re.compile(r"""["'](%s)["']\s+(not\s+)?in\s|==\s*["'](%s)["']|\broles\b""" % (("|".join(R.ALL),) * 2))


def test_templates_ask_predicates_not_roles():
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # accounts/person.html shows the list of a person's roles by name: not an access rule.
            if TEMPLATE_ROLE.search(line) and "roles|join" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == []


def test_the_four_names_of_whole_school_reading_are_one():
    from accounts import access as accounts_access
    from diary import access as diary_access
    from journal import roles as journal_roles
    from reports import registry

    deputy_and_director = {R.DEPUTY, R.DIRECTOR}
    assert deputy_and_director == R.WHOLE_SCHOOL_READERS
    assert journal_roles.WHOLE_SCHOOL_READERS is R.WHOLE_SCHOOL_READERS
    assert registry.STAFF is R.WHOLE_SCHOOL_READERS
    for module in (accounts_access, diary_access, journal_roles):
        assert not hasattr(module, "PEOPLE_READERS")
        assert not hasattr(module, "ADMINISTRATION")
        assert not hasattr(module, "SCHOOL_WIDE_READERS")


def test_predicates_are_registered_by_name():
    from journal import access as J

    assert predicates.get("set_period_marks") is J.can_set_period_marks
    assert predicates.get("write_lesson") is J.can_write_lesson
    assert predicates.get("reads_whole_school") is J.reads_whole_school
    assert {"manage_school", "read_diary", "receive_digests", "read_reports", "control_journal"} <= set(
        predicates.names()
    )
    with pytest.raises(LookupError):
        predicates.get("set_period_mark")


def _render(text, **ctx):
    return Template("{% load access %}" + text).render(Context(ctx)).strip()


@pytest.mark.django_db
def test_template_filter_and_tag_use_the_view_predicates(world):
    tpl = '{% if user|can:"control_journal" %}yes{% else %}no{% endif %}'
    assert _render(tpl, user=world.deputy) == "yes"
    assert _render(tpl, user=world.director) == "yes"
    assert _render(tpl, user=world.teacher) == "no"
    assert _render(tpl, user=world.parent) == "no"

    tag = '{% can "set_period_marks" user a as ok %}{{ ok|yesno:"yes,no" }}'
    assert _render(tag, user=world.teacher, a=world.assignment) == "yes"  # the journal's teacher
    assert _render(tag, user=world.class_teacher, a=world.assignment) == "yes"  # class teacher of 5А
    assert _render(tag, user=world.deputy, a=world.assignment) == "no"
    assert _render(tag, user=world.teacher, a=world.other_assignment) == "no"


def test_anonymous_users_are_never_allowed():
    from django.contrib.auth.models import AnonymousUser

    assert _render('{{ user|can:"read_reports"|yesno:"yes,no" }}', user=AnonymousUser()) == "no"


@pytest.mark.django_db
def test_the_menu_follows_the_predicates(world, client_for):
    from django.urls import reverse

    def nav(user):
        html = client_for(user).get(reverse("home")).content.decode()
        return re.search(r'<nav class="mainnav">(.*?)</nav>', html, re.S).group(1)

    deputy, parent, teacher, admin = (nav(u) for u in (world.deputy, world.parent, world.teacher, world.admin))
    control, reports, digest = reverse("journal:control"), reverse("reports:index"), reverse("diary:email_settings")
    assert control in deputy and reports in deputy and digest not in deputy
    assert control not in parent and reports not in parent and digest in parent
    assert reports in teacher and control not in teacher
    assert reverse("accounts:people") in admin and reverse("accounts:people") not in teacher
