"""Rules of the code base itself (docs/ARCHITECTURE.md): no module of the apps grows past
600 lines, and "who is in the class on a day" is asked only through the dated QuerySet
methods (journal/models/dated.py), never with hand-written `start__lte`/`end__gte`
lookups on an enrollment.

Both scans read the files as text; `test_the_scans_see_what_they_should` proves they
find what they look for."""

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "journal", "diary", "reports", "maintenance", "ejournal", "demo", "bench", "loadtest")
MAX_LINES = 600

# An enrollment's own dates in a lookup: `Enrollment.objects.filter(start__lte=…)` or,
# through a relation, `enrollments__end__gte=…` (the dated module writes them once).
# Group memberships are dated the same way (issue 15): `GroupMembership.objects…start__lte`,
# `group_memberships__end__gte`, `memberships__start__lte`.
ENROLLMENT_DATES = re.compile(
    r"\b(?:Enrollment|GroupMembership) \. objects\b.*?\b(?:start|end)__(?:lte|gte|lt|gt|isnull)\b"
    r"|(?:\benrollments?|memberships)__(?:start|end)__(?:lte|gte|lt|gt|isnull)\b"
)
DATED_HOME = ROOT / "journal" / "models" / "dated.py"


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and "__pycache__" not in path.parts:
                yield path


def _logical_lines(text: str):
    """(first line number, the statement on one line): a lookup may span lines."""
    lines, first = [], None
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            if first is not None:
                yield first, " ".join(lines)
            lines, first = [], None
        elif tok.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
            first = first or tok.start[0]
            lines.append(tok.string)


def enrollment_date_filters(path: Path) -> list[int]:
    return [n for n, statement in _logical_lines(path.read_text()) if ENROLLMENT_DATES.search(statement)]


def test_the_scans_see_what_they_should(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "qs = Enrollment.objects.filter(\n"
        "    school_class=k, start__lte=day)\n"
        "pupils = User.objects.filter(enrollments__end__gte=day)\n"
        "fine = Enrollment.objects.on(day).filter(school_class=k)\n"
        "years = AcademicYear.objects.filter(start__lte=day)\n"
        "groups = GroupMembership.objects.filter(group=g, end__gte=day)\n"
        "lessons = Lesson.objects.filter(assignment__group__memberships__start__lte=F('date'))\n"
        "ok = GroupMembership.objects.on(day).filter(group=g)\n"
    )
    assert enrollment_date_filters(sample) == [1, 3, 6, 7]


def test_no_module_of_the_apps_passes_600_lines():
    long = {str(p.relative_to(ROOT)): n for p in _sources() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f"split these into packages (docs/ARCHITECTURE.md): {long}"


def test_enrollment_dates_are_asked_through_the_dated_queryset_only():
    found = {
        str(p.relative_to(ROOT)): lines for p in _sources() if p != DATED_HOME and (lines := enrollment_date_filters(p))
    }
    assert not found, f"use Enrollment.objects.on()/overlapping() or on_q()/overlapping_q(): {found}"
