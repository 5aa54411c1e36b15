"""Real Chromium over a whole school year of the small demo (issue 16; docs/DESIGN.md §3.25,
§3.26, §4.6). The demo has lived through 2026/2027: seeded on 1 June 2027, every lesson held
and filled, every period marked, the year marks set — all but one. In June:

- the 11А algebra teacher sets an exam and a final mark: the deputy sees them in the class's
  summary sheet, on the page, in its PDF and in its XLSX; the pupil's parent in the diary;
- on the year's last day the director's year-end check lists the one missing year mark
  (and the pupils not promoted yet); its teacher sets it;
- the administrator opens 2027/2028 with the wizard; the director records the promotion
  order, promotes the whole school; the check passes and she closes the year.

On 1 September: 5А is 6А with its pupils in it, 11А has graduated; the old year's journal
opens read-only and its summary sheet is what it was in June."""

import io
import re
from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Guardianship, User
from demo import seeding
from demo.generator import DEMO_PASSWORD
from journal.models import (
    AcademicYear,
    Enrollment,
    PeriodMark,
    SchoolClass,
    StudyPeriod,
    TeachingAssignment,
)
from journal.services.period_marks import set_period_mark, year_mark_suggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MSK = ZoneInfo("Europe/Moscow")
SEEDED = date(2027, 6, 1)  # the day after the year's last: the demo has written it all


def moment(day, hour=10):
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=MSK)


def _year_marks(year, leave_out):
    """Each journal's year mark as its teacher would set it (the period marks' suggestion,
    docs/DESIGN.md §3.14; «зач» by the majority), but none for `leave_out` (pupil, journal)."""
    year_period = StudyPeriod.objects.get(year=year, scheme=StudyPeriod.Scheme.YEAR)
    values, journal = defaultdict(list), {}
    period_marks = PeriodMark.objects.of_year(year).filter(kind=PeriodMark.Kind.PERIOD)
    for pm in period_marks.select_related("assignment").order_by("period__end"):
        values[(pm.pupil_id, pm.subject_id)].append(pm.value)
        journal[(pm.pupil_id, pm.subject_id)] = pm.assignment  # a pupil moved between groups: the last one
    rows = []
    for (pupil_id, _subject), marks in values.items():
        assignment = journal[(pupil_id, _subject)]
        if (pupil_id, assignment.pk) == leave_out:
            continue
        numbers = [int(v) for v in marks if v.isdigit()]
        if numbers:
            value = str(year_mark_suggestion(numbers))
        else:
            value = "зач" if marks.count("зач") >= marks.count("незач") else "незач"
        rows.append(
            PeriodMark(
                pupil_id=pupil_id,
                assignment=assignment,
                subject_id=assignment.subject_id,
                kind=PeriodMark.Kind.YEAR,
                period=year_period,
                value=value,
                set_by_id=assignment.teacher_id,
            )
        )
    PeriodMark.objects.bulk_create(rows)
    return year_period


@pytest.fixture
def lived_year(transactional_db):
    with time_machine.travel(moment(SEEDED, 8), tick=False):
        (school,) = seeding.seed("small", seed=3, today=SEEDED)
        year = school.years.get()
        five_a = SchoolClass.objects.get(year=year, grade=5, letter="А")
        maths = TeachingAssignment.objects.get(school_class=five_a, subject__name="Математика")
        forgotten = Enrollment.objects.filter(school_class=five_a).order_by("pupil__last_name").first().pupil
        year_period = _year_marks(year, leave_out=(forgotten.pk, maths.pk))
    return school, year, year_period, maths, forgotten


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [[c for c in row] for row in sheet.iter_rows(values_only=True)]


def download(page, label) -> bytes:
    with page.expect_download() as d:
        page.get_by_role("link", name=label).click()
    with open(d.value.path(), "rb") as f:
        return f.read()


def open_summary_sheet(page, klass, year_name=None):
    page.get_by_role("navigation").first.get_by_role("link", name="Отчёты", exact=True).click()
    expect(page.get_by_role("heading", name="Отчёты", exact=True)).to_be_visible()
    if year_name:
        page.get_by_label("Учебный год").select_option(label=year_name)
        page.get_by_role("button", name="Показать").click()
        expect(page.get_by_text(f"учебный год {year_name.split()[0]}")).to_be_visible()
    page.get_by_label("Класс", exact=True).select_option(label=str(klass))
    page.get_by_label("Формат", exact=True).select_option(label="на экране")
    page.get_by_label("Отчёт", exact=True).select_option(label="Сводная ведомость учёта успеваемости")
    expect(page.get_by_label("Предмет (журнал)", exact=True)).to_be_hidden()  # the form redrawn for it
    page.get_by_role("button", name="Сформировать", exact=True).click()
    doc = page.locator(".rpt-doc")
    expect(doc).to_contain_text(f"Класс: {klass}")
    return doc


def open_year_end(page):
    page.locator("section.year-end").get_by_role("link", name="Закрытие учебного года").click()
    expect(page.get_by_role("heading", name="Закрытие учебного года", level=1)).to_be_visible()


def test_a_whole_year_from_june_marks_to_the_next_years_first_day(lived_year, login_page):
    school, year, year_period, maths_5a, forgotten = lived_year
    head = {role: User.objects.get(roles__school=school, roles__role=role) for role in ("director", "deputy", "admin")}
    eleven = SchoolClass.objects.get(year=year, grade=11)
    algebra = TeachingAssignment.objects.get(school_class=eleven, subject__name="Алгебра")
    graduate = Enrollment.objects.filter(school_class=eleven).order_by("pupil__last_name").first().pupil
    parent = Guardianship.objects.filter(child=graduate).first().parent
    five_a_pupils = set(Enrollment.objects.filter(school_class=maths_5a.school_class).values_list("pupil", flat=True))

    def login(user):
        return login_page(user, password=DEMO_PASSWORD)

    with time_machine.travel(moment(date(2027, 5, 31), 16), tick=True) as clock:
        # 31 May, the year's last day: the director's year-end check lists one missing year
        # mark, in 5А mathematics.
        director = login(head["director"])
        open_year_end(director)
        blockers = director.locator("section.blockers-period-marks tr.blocker")
        expect(blockers).to_have_count(1)
        expect(blockers).to_contain_text("5А")
        expect(blockers).to_contain_text("Математика")
        expect(blockers).to_contain_text(forgotten.short_name)
        # (and the pupils not promoted yet, class by class: the order comes in June)
        expect(director.locator("section.blockers-promotion tr.blocker")).to_have_count(3)
        # ... its teacher sets it while the window is open (docs/DESIGN.md §3.6); the check passes.
        set_period_mark(
            maths_5a.teacher,
            assignment_id=maths_5a.pk,
            pupil_id=forgotten.pk,
            period_id=year_period.pk,
            value="4",
            kind=PeriodMark.Kind.YEAR,
        )
        director.reload()
        expect(blockers).to_have_count(0)

        # June: the algebra teacher sets the exam and the final mark of the graduate.
        clock.move_to(moment(date(2027, 6, 8)))
        for kind in (PeriodMark.Kind.EXAM, PeriodMark.Kind.FINAL):
            set_period_mark(
                algebra.teacher,
                assignment_id=algebra.pk,
                pupil_id=graduate.pk,
                period_id=year_period.pk,
                value="5",
                kind=kind,
            )
        year_mark = PeriodMark.objects.get(pupil=graduate, subject=algebra.subject, kind=PeriodMark.Kind.YEAR).value

        # The deputy's summary sheet of 11А: on the page, in the PDF, in the XLSX.
        page = login(head["deputy"])
        doc = open_summary_sheet(page, eleven)
        for header in ("Год", "Экзамен", "Итоговая"):
            expect(doc).to_contain_text(header)
        june_sheet = doc.inner_text()
        pdf = pdf_text(download(page, "Скачать PDF"))
        assert "Экзамен" in pdf and "Итоговая" in pdf and graduate.last_name in pdf
        rows = xlsx_rows(download(page, "Скачать XLSX"))
        header = next(r for r in rows if "Экзамен" in r)
        pupil_row = next(r for r in rows if any(graduate.last_name in str(c) for c in r if c))
        exams = [
            (pupil_row[i - 1], pupil_row[i], pupil_row[i + 1])  # Год, Экзамен, Итоговая of a subject
            for i, h in enumerate(header)
            if h == "Экзамен" and pupil_row[i] is not None
        ]
        assert exams == [(year_mark, "5", "5")]  # algebra's, the only exam set

        # The parent sees the year, exam and final marks in the diary.
        page = login(parent)
        page.get_by_role("navigation").first.get_by_role("link", name="Дневник").click()
        page.get_by_role("link", name="Отметки по предметам").click()
        row = page.locator("table.year-marks tr", has_text="Алгебра")
        expect(row.locator("td.year-mark")).to_have_text(year_mark)
        expect(row.locator("td.exam-mark")).to_have_text("5")
        expect(row.locator("td.final-mark")).to_have_text("5")

        # The administrator opens the next year from this one.
        admin = login(head["admin"])
        admin.locator("section.year-end").get_by_role("link", name="Следующий учебный год из прошлого").click()
        expect(admin.get_by_label("Название нового учебного года")).to_have_value("2027/2028")
        admin.get_by_role("button", name="Создать следующий учебный год").click()
        expect(admin.get_by_text("Учебный год 2027/2028 создан из 2026/2027")).to_be_visible()

        # The director records the order, promotes the whole school, closes the year.
        director = login(head["director"])
        director.locator("section.year-end").get_by_role("link", name="Перевод учащихся по приказу").click()
        director.get_by_role("link", name="Перевод: учебный год 2026/2027").click()
        director.get_by_role("link", name="Внести приказ о переводе").click()
        director.get_by_label("Номер приказа").fill("87-о")
        director.get_by_label("Дата приказа").fill("2027-06-10")
        director.get_by_role("button", name="Внести приказ").click()
        expect(director.get_by_text("Приказ внесён: приказ № 87-о от 10.06.2027")).to_be_visible()
        director.get_by_role("link", name="Перевести всю школу").click()
        director.get_by_role("button", name="Перевести всю школу").click()
        expect(director.get_by_text(re.compile("Решения внесены по всей школе"))).to_be_visible()
        director.goto(director.url.split("/journal/")[0] + "/")
        open_year_end(director)
        expect(director.locator("p.check-passed")).to_be_visible()  # nothing to override
        director.get_by_role("button", name="Закрыть год").click()
        expect(director.locator("li.msg", has_text="Учебный год 2026/2027 закрыт")).to_be_visible()
        assert AcademicYear.objects.get(pk=year.pk).is_closed

        # 1 September: the new year is the current one.
        clock.move_to(moment(date(2027, 9, 1), 8))
        new_year = AcademicYear.objects.get(school=school, name="2027/2028")
        six_a = SchoolClass.objects.get(year=new_year, grade=6, letter="А")
        assert six_a.carried_from_id == maths_5a.school_class_id
        assert set(Enrollment.objects.filter(school_class=six_a).values_list("pupil", flat=True)) == five_a_pupils
        assert not SchoolClass.objects.filter(year=new_year, grade=12).exists()
        left = Enrollment.objects.get(school_class=eleven, pupil=graduate)
        assert (left.end, left.end_reason) == (year.end, Enrollment.Movement.GRADUATED)

        # The 5А mathematics teacher: 6А is in «Мои журналы», with 5А's pupils in it.
        teacher = login(maths_5a.teacher)
        teacher.get_by_role("navigation").first.get_by_role("link", name="Мои журналы").click()
        journals = teacher.get_by_role("table", name="Мои журналы")
        journals.get_by_role("link", name="6А · Математика").click()
        grid = teacher.locator("table.register")
        expect(grid.locator("tbody tr[data-p]")).to_have_count(len(five_a_pupils))
        # Last year's journal opens read-only.
        teacher.get_by_role("navigation").first.get_by_role("link", name="Мои журналы").click()
        teacher.get_by_label("Учебный год").select_option(label="2026/2027 (закрыт)")
        teacher.get_by_role("button", name="Показать").click()
        teacher.get_by_role("table", name="Мои журналы").get_by_role("link", name="5А · Математика").click()
        expect(teacher.locator(".year-closed-note")).to_have_text("учебный год закрыт")
        expect(teacher.locator(".ro-note")).to_be_visible()

        # The deputy's summary sheet of last year's 11А is what it was in June.
        page = login(head["deputy"])
        doc = open_summary_sheet(page, eleven, year_name="2026/2027 (закрыт)")
        assert doc.inner_text() == june_sheet
