"""Browser: the reports form and the delivery of documents (issue 19, points 3 and 4).

The deputy goes from the home page to «Отчёты», picks «Сводная ведомость учёта
успеваемости» → 8А → «1 четверть» → PDF, and the browser saves a file named with the class
and the period whose sheet shows the quarter's marks and the class figures the test works
out itself. Then she orders the school's summary sheets, watches the bar move through the
render and is told — on the job page, in the menu, by e-mail — that the file is ready."""

import re
import time
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import User
from journal.models import Enrollment, StudyPeriod

from . import factories as F
from .axe import assert_accessible

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 8А, first quarter: pupil → (Математика, Русский язык)
MARKS = {
    ("Алексеев", "Пётр"): ("5", "5"),
    ("Борисова", "Анна"): ("4", "5"),
    ("Васильев", "Игорь"): ("3", "4"),
    ("Григорьева", "Ольга"): ("4", "3"),
    ("Дмитриев", "Олег"): ("2", "3"),
}
SOU = {"5": Decimal(1), "4": Decimal("0.64"), "3": Decimal("0.36"), "2": Decimal("0.16")}


def ru(value: Decimal, places="0.1") -> str:
    return str(value.quantize(Decimal(places), rounding=ROUND_HALF_UP)).replace(".", ",")


def class_figures():
    """Pass rate, quality, СОУ, average of the class by docs/DESIGN.md §3.19, from MARKS."""
    n = len(MARKS)
    passed = sum(1 for ms in MARKS.values() if "2" not in ms)
    good = sum(1 for ms in MARKS.values() if set(ms) <= {"4", "5"})
    every = [m for ms in MARKS.values() for m in ms]
    return (
        ru(Decimal(passed) * 100 / n),
        ru(Decimal(good) * 100 / n),
        ru(sum(SOU[m] for m in every) * 100 / len(every)),
        ru(Decimal(sum(int(m) for m in every)) / len(every), "0.01"),
    )


def build_8a(world):
    klass = F.ClassFactory(year=world.year, grade=8, letter="А")
    world.subject.order = 2  # Математика after Русский язык
    world.subject.save()
    q1 = world.year.periods.get(scheme=StudyPeriod.Scheme.QUARTER, number=1)
    maths = F.AssignmentFactory(school_class=klass, subject=world.subject, teacher=world.teacher)
    russian = F.AssignmentFactory(
        school_class=klass, subject=F.SubjectFactory(school=world.school, name="Русский язык", order=1)
    )
    for (last, first), (m, r) in MARKS.items():
        pupil = F.UserFactory(school=world.school, last_name=last, first_name=first, patronymic="")
        F.EnrollmentFactory(school_class=klass, pupil=pupil)
        F.PeriodMarkFactory(assignment=maths, pupil=pupil, period=q1, value=m)
        F.PeriodMarkFactory(assignment=russian, pupil=pupil, period=q1, value=r)
    return klass


def open_reports(page):
    page.get_by_role("navigation").first.get_by_role("link", name=re.compile(r"^Отчёты")).click()
    expect(page.get_by_role("heading", name="Отчёты", exact=True)).to_be_visible()


def test_the_deputy_downloads_the_8a_summary_sheet_for_the_first_quarter(world, login_page):
    build_8a(world)
    page = login_page(world.deputy)
    open_reports(page)
    page.get_by_label("Отчёт", exact=True).select_option(label="Сводная ведомость учёта успеваемости")
    # With script the form shows only the fields this report reads.
    expect(page.get_by_label("Предмет (журнал)", exact=True)).to_be_hidden()
    expect(page.get_by_label("Месяц", exact=True)).to_be_hidden()
    page.get_by_label("Класс", exact=True).select_option(label="8А")
    page.get_by_label("Период", exact=True).select_option(label="1 четверть")
    page.get_by_label("Формат", exact=True).select_option(label="PDF")
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Сформировать", exact=True).click()
    download = info.value
    assert download.suggested_filename == "svodnaya-vedomost_8A_1-chetvert_2026-11-20.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(download.path()).pages)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Класс: 8А" in text
    for i, ((last, first), (m, r)) in enumerate(MARKS.items(), 1):
        assert f"{i} {last} {first} {r} {m}" in lines, (last, lines)  # Русский язык is ordered first
    pass_rate, quality, sou, average = class_figures()
    assert f"1 четверть 5 1 1 2 1 0 {pass_rate} {quality} {sou} {average}" in lines, lines
    # The page remembers the choice and lists the download above the form.
    open_reports(page)
    expect(page.get_by_label("Класс", exact=True)).to_have_value(str(world.year.classes.get(grade=8).pk))
    expect(page.locator(".rpt-recent")).to_contain_text("svodnaya-vedomost_8A_1-chetvert_2026-11-20.pdf")


def crowd_the_school(world, classes=3, pupils=25):
    """Classes full enough that rendering their sheets takes seconds (the page, polling each
    second, sees the bar between half and done)."""
    subjects = [F.SubjectFactory(school=world.school, name=f"Предмет {n}", order=10 + n) for n in range(8)]
    for k in range(classes):
        klass = F.ClassFactory(year=world.year, grade=6 + k % 5, letter="АБВГ"[k // 5])
        for s in subjects:
            F.AssignmentFactory(school_class=klass, subject=s, teacher=world.teacher)
        users = User.objects.bulk_create(
            User(
                username=f"crowd-{k}-{n}",
                last_name=f"Ученик{n:02d}",
                first_name="Тест",
                school=world.school,
                password="!",
            )
            for n in range(pupils)
        )
        Enrollment.objects.bulk_create(
            Enrollment(school_class=klass, pupil=u, start=world.year.start, start_order="1-у") for u in users
        )


def test_the_school_summary_sheets_are_a_job_with_progress_and_a_notice(world, login_page, worker_thread):
    crowd_the_school(world)
    world.deputy.email = "deputy@school.test"
    world.deputy.save()
    page = login_page(world.deputy)
    open_reports(page)
    page.get_by_label("Отчёт", exact=True).select_option(label="Сводные ведомости успеваемости всех классов (архив)")
    expect(page.get_by_label("Класс", exact=True)).to_be_hidden()
    page.get_by_label("Формат", exact=True).select_option(label="PDF")
    page.get_by_role("button", name="Сформировать", exact=True).click()
    expect(page.get_by_text("Документ большой: он формируется в фоне")).to_be_visible()
    page.get_by_role("button", name="Сформировать PDF").click()
    expect(page.locator(".job-state")).to_be_visible()
    seen = []
    with worker_thread():
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            # One snapshot of the job's box: htmx redraws it while the job runs, so an
            # element found by one call may be gone by the next.
            state, shown = page.evaluate(
                """() => [".job-state", ".job-progress"].map(
                    (css) => document.querySelector(css)?.textContent ?? null)"""
            )
            if state == "готов":
                break
            if shown is not None:
                seen.append(int(shown.strip(" %")))
            page.wait_for_timeout(150)
        expect(page.locator(".job-ready")).to_have_text("Документ готов.")
        deadline = time.monotonic() + 60
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.2)
    assert any(50 < p < 100 for p in seen), seen  # the render moves the bar past half
    assert seen == sorted(seen)
    (letter,) = mail.outbox
    assert letter.to == ["deputy@school.test"]
    assert letter.subject.startswith("Документ готов: Сводные ведомости успеваемости всех классов (архив)")
    # The menu says so until the file is taken.
    open_reports(page)
    menu = page.get_by_role("navigation").first
    expect(menu.locator(".nav-ready")).to_contain_text("1")
    recent = page.locator(".rpt-recent")
    with page.expect_download() as info:
        recent.get_by_role("link", name="скачать").click()
    assert info.value.suggested_filename == "svodnye-vedomosti_2026-2027_2026-11-20.pdf"
    open_reports(page)
    expect(menu.locator(".nav-ready")).to_have_count(0)
