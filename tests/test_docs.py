"""The documents the code cites are in the repository, and every citation resolves.

Code comments cite the rules as `docs/DESIGN.md`, a space, the section sign and a
number, or several numbers separated by commas or "and". Every number cited so must
be a heading of docs/DESIGN.md. A section sign directly followed by a digit anywhere
else in the code cites something the test cannot resolve; the regulation files (the
"seeds") and the bare "DESIGN" form the comments used before docs/DESIGN.md existed
are documents outside the repository. (A textbook paragraph in data is written with a
space after the sign, as Russian typesetting has it, and is no citation.)

The section sign is written as an escape in this file, so it never cites anything.
"""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DESIGN = ROOT / "docs" / "DESIGN.md"
SKIP_DIRS = {".venv", "node_modules", "var", ".git", "__pycache__"}
SUFFIXES = {".py", ".html", ".js", ".sh"}
NAMES = {"Makefile"}
# Markdown documents whose DESIGN.md references must resolve too.
DOCS = [ROOT / "docs" / "ARCHITECTURE.md", ROOT / "README.md"]

SECTION = "\u00a7"
NUMBER = r"\d+(?:\.\d+)*"
HEADING = re.compile(rf"^#{{2,6}}\s+{SECTION}({NUMBER})\s+\S", re.MULTILINE)
# docs/DESIGN.md §3.2 · docs/DESIGN.md §3.2, §3.4 · docs/DESIGN.md §3.2 and §3.4
CITATION = re.compile(rf"docs/DESIGN\.md\s+{SECTION}{NUMBER}(?:(?:\s*,\s*|\s+and\s+){SECTION}{NUMBER})*")
CITED = re.compile(rf"{SECTION}({NUMBER})")
ANY_SECTION = re.compile(rf"{SECTION}\d")
DOC_REFERENCE = re.compile(rf"DESIGN\.md\s+{SECTION}{NUMBER}(?:(?:\s*,\s*|\s+and\s+){SECTION}{NUMBER})*")
FORBIDDEN = {
    "a regulation (seed) is cited; cite the docs/DESIGN.md section that restates it": re.compile(
        r"\bseeds?\s+0\d\d\b|\bseeds/|\b00\d_[0-9a-f]{16}\.txt\b", re.IGNORECASE
    ),
    "bare DESIGN citation; write docs/DESIGN.md": re.compile(rf"(?<!docs/)\bDESIGN(?:\.md)?\s*{SECTION}"),
    "a document that is not in the repository": re.compile(r"\b(?:BRIEF|DEVELOPERS)\.md\b"),
}


def design_sections() -> set[str]:
    return set(HEADING.findall(DESIGN.read_text(encoding="utf-8")))


def code_files():
    """The checkout's own files: the installed and generated trees are not walked at all
    (walking .venv and var/ and then skipping them took 19 s a test)."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        found += [Path(folder, f) for f in files if Path(f).suffix in SUFFIXES or f in NAMES]
    yield from sorted(found)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _where(path: Path, text: str, pos: int) -> str:
    return f"{path.relative_to(ROOT)}:{_line(text, pos)}"


def citations(path: Path, text: str, pattern=CITATION):
    """(location, number) of every section number cited through `pattern`."""
    for m in pattern.finditer(text):
        for number in CITED.findall(m.group(0)):
            yield _where(path, text, m.start()), number


def test_design_headings_are_numbered_once():
    numbers = HEADING.findall(DESIGN.read_text(encoding="utf-8"))
    assert numbers, "docs/DESIGN.md has no numbered headings"
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    assert duplicates == []


def test_every_design_citation_in_the_code_resolves():
    sections = design_sections()
    found, broken = 0, []
    for path in code_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for where, number in citations(path, text):
            found += 1
            if number not in sections:
                broken.append(f"{where}: docs/DESIGN.md {SECTION}{number}")
    assert found > 20, "the scan found almost no citations: is the pattern still right?"
    assert broken == [], "cited sections missing from docs/DESIGN.md:\n" + "\n".join(broken)


def test_the_documents_cite_existing_design_sections():
    sections = design_sections()
    broken = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for where, number in citations(path, text, DOC_REFERENCE):
            if number not in sections:
                broken.append(f"{where}: DESIGN.md {SECTION}{number}")
    assert broken == []


def test_no_citation_of_a_document_outside_the_repository():
    problems = []
    for path in code_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for why, pattern in FORBIDDEN.items():
            for m in pattern.finditer(text):
                problems.append(f"{_where(path, text, m.start())}: {why}: {m.group(0)!r}")
        spans = [m.span() for m in CITATION.finditer(text)]
        for m in ANY_SECTION.finditer(text):
            if not any(start <= m.start() < end for start, end in spans):
                problems.append(f"{_where(path, text, m.start())}: a section sign outside a docs/DESIGN.md citation")
    assert problems == [], "\n".join(problems)
