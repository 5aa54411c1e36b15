"""Every report kind, printed for the demo's widest class filled up to 30 pupils with every
period mark set, fits its page (issue 19, docs/DESIGN.md §4.5).

The PDF's words are read back with their boxes (`pdftotext -bbox`, poppler-utils): none may
lie outside the page box, nor in the outer 5 mm (the margins are 10–14 mm: the running
header and footer sit inside them, nothing is cut at the edge). The summary sheet's parts
are numbered and each has its totals once, after its last pupil; the school total of the
movement dynamics is its last row; a signature block never stands alone on a page.
"""

import re
import subprocess
from datetime import date
from html import unescape

import pytest

from journal.models import PeriodMark, SchoolClass, TeachingAssignment
from reports import summaries
from reports.builders import common as C
from reports.builders.marks import ClassMarks, class_period_report, summary_sheet_part
from reports.params import class_periods
from reports.registry import ASSIGNMENT, CLASS, DAY, KINDS, MONTH, PERIOD
from reports.render.pdf import render_pdf

from . import factories as F
from .conftest import SCHOOL_DAY

PUPILS = 30
EDGE_PT = 5 / 25.4 * 72  # 5 mm
# A long name, as real registers have them: the name column must hold it.
LONG = ("Константинопольская", "Александра-Виктория", "Владимировна")
MARKS = ["5", "4", "3", "4", "5", "2", "н/а", "4", "3", "5"]
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
# A row of a document's body: a numbered pupil or line, a dated lesson, a totals row, an
# empty table's «Нет данных», the certification's text (the class journal's last page).
BODY_ROW = re.compile(
    r"^(\d+ |\d\d\.\d\d\.\d{4} |Итог|По классу|Всего|Проведено уроков|Средний балл|Нет данных|Журнал выведен на печать)"
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def _columns(klass) -> int:
    data = ClassMarks([klass], klass.year.start, klass.year.end)
    return len(summary_sheet_part(klass, data, C.year_slots(klass)).blocks[0].columns)


@pytest.fixture(scope="module")
def full(small_demo, django_db_blocker):
    """The widest class of the demo (most summary-sheet columns), filled up to 30 pupils."""
    with django_db_blocker.unblock():
        classes = SchoolClass.objects.filter(year__school=small_demo).select_related("year__school", "class_teacher")
        klass = max(classes, key=_columns)
        assignments = list(TeachingAssignment.objects.filter(school_class=klass).select_related("subject", "teacher"))
        slots = C.year_slots(klass)
        have = klass.enrollments.count()
        for n in range(have, PUPILS):
            last, first, middle = LONG if n == have else (f"Ученикова{n}", "Мария", "Ивановна")
            pupil = F.UserFactory(
                school=small_demo, username=f"fit.{n}", last_name=last, first_name=first, patronymic=middle
            )
            F.EnrollmentFactory(school_class=klass, pupil=pupil)
            # one assignment a subject (a subject taught in groups has one per group)
            by_subject = {a.subject_id: a for a in assignments if a.group_id is None}
            for i, a in enumerate(by_subject.values()):
                for j, slot in enumerate(slots):
                    PeriodMark.objects.create(
                        pupil=pupil,
                        subject=a.subject,
                        assignment=a,
                        period=slot.period,
                        kind=slot.kind,
                        value=MARKS[(n + i + j) % len(MARKS)],
                        set_by=a.teacher,
                    )
        periods = class_periods(klass.year, klass.period_scheme)
        period = next((p for p in periods if p.end < SCHOOL_DAY), periods[0])
        assignment = max(assignments, key=lambda a: a.subject.order)
    return {"klass": klass, "period": period, "assignment": assignment, "year": klass.year, "demo_pupils": have}


def _pdf(kind, full) -> bytes:
    obj = {CLASS: full["klass"], ASSIGNMENT: full["assignment"]}.get(kind.scope, full["year"])
    if kind.code == "school_summaries":
        return summaries.render_all(obj)  # what the job renders
    params = {
        PERIOD: {"period": full["period"]},
        MONTH: {"month": date(2026, 10, 1)},
        DAY: {"day": SCHOOL_DAY},
    }.get(kind.param, {})
    return render_pdf(kind.build(obj, params))


def words(content: bytes):
    """[(page number, page width, page height, [(x0, y0, x1, y1, word)])] in points."""
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True).stdout
    pages = []
    for n, m in enumerate(PAGE.finditer(out.decode()), 1):
        found = [(*map(float, w.groups()[:4]), unescape(w.group(5))) for w in WORD.finditer(m.group(3))]
        pages.append((n, float(m.group(1)), float(m.group(2)), found))
    return pages


def lines(content: bytes) -> list[list[str]]:
    """Each page's text lines in the order they were drawn (`pdftotext -raw`), spaces
    collapsed: pypdf's reading puts two spaces where a text run ends («Дата  «____»»), and
    read the 49 pages of the class journal in 30 s where poppler takes one."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    pages = out.stdout.decode().split("\f")[:-1]  # a form feed ends every page
    return [[" ".join(ln.split()) for ln in page.splitlines() if ln.strip()] for page in pages]


@pytest.fixture(scope="module")
def printed(full):
    cache = {}

    def get(code):
        if code not in cache:
            cache[code] = _pdf(KINDS[code], full)
        return cache[code]

    return get


@pytest.mark.parametrize("code", list(KINDS))
def test_no_text_outside_the_page(printed, code, db):
    pages = words(printed(code))
    assert pages
    for n, width, height, found in pages:
        assert found, (code, n)
        outside = [
            w
            for x0, y0, x1, y1, w in found
            if x0 < EDGE_PT or y0 < EDGE_PT or x1 > width - EDGE_PT or y1 > height - EDGE_PT
        ]
        assert not outside, (code, n, outside[:10])


@pytest.mark.parametrize("code", [k for k in KINDS if KINDS[k].scope == CLASS or KINDS[k].scope == ASSIGNMENT])
def test_signatures_stand_with_the_last_rows(printed, code, db):
    """The page of the signature block («Дата «____»…») also holds rows of the document."""
    signed = [page for page in lines(printed(code)) if any(ln.startswith("Дата «____»") for ln in page)]
    assert signed, code  # every class and journal document is signed
    for page in signed:
        assert any(BODY_ROW.match(ln) for ln in page), (code, page)


def test_summary_sheet_parts_with_their_totals_once(printed, full, db):
    text = [ln for page in lines(printed("summary_marks")) for ln in page]
    parts = [i for i, ln in enumerate(text) if re.search(r"Часть \d+ из \d+$", ln)]
    total = int(text[parts[0]].rsplit(" ", 1)[1])
    assert len(parts) == total > 1
    ends = parts[1:] + [len(text)]
    for start, end in zip(parts, ends, strict=True):
        chunk = text[start:end]
        last_pupil = max(i for i, ln in enumerate(chunk) if ln.startswith(f"{PUPILS} "))
        for label in ("Успеваемость, %", "Качество, %", "СОУ, %", "Средний балл"):
            rows = [i for i, ln in enumerate(chunk) if re.match(rf"^{re.escape(label)} [\d—]", ln)]
            assert len(rows) == 1 and rows[0] > last_pupil, (label, chunk)
    # every subject of the class is printed, none cut off
    subjects = {a.subject.short_name or a.subject.name for a in full["klass"].assignments.select_related("subject")}
    joined = " ".join(text)
    assert all(s in joined for s in subjects), subjects


def test_the_school_total_is_the_last_row_of_the_movement_dynamics(printed, db):
    text = [ln for page in lines(printed("movement_dynamics")) for ln in page]
    school = [i for i, ln in enumerate(text) if ln.startswith("Всего по школе")]
    classes = [i for i, ln in enumerate(text) if re.match(r"^\d{1,2}[А-Я] ", ln)]
    assert len(school) == 1 and classes and school[0] > max(classes)


def test_a_pupil_without_marks_is_one_phrase(full, db):
    """Over the last period the demo's own pupils have no marks yet: each such row says so once."""
    klass = full["klass"]
    last = [p for p in class_periods(klass.year, klass.period_scheme) if p.scheme != "year"][-1]
    text = " ".join(ln for page in lines(render_pdf(class_period_report(klass, last))) for ln in page)
    assert "(нет отметки)" not in text
    assert text.count("нет отметок ни по одному предмету") == full["demo_pupils"] > 0
