"""The reports form, the names and language of printed documents, the defaults and the
preliminary stamp and forecast (issue 19, points 2–4; docs/DESIGN.md §4.5)."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from journal.models import StudyPeriod
from reports import jobs
from reports.builders import journal_print, marks
from reports.models import ReportJob
from reports.params import default_month, default_period, parse
from reports.registry import KINDS

from . import factories as F

pytestmark = pytest.mark.django_db


def pdf_text(content) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def quarter(world, n):
    return world.year.periods.get(scheme=StudyPeriod.Scheme.QUARTER, number=n)


def eight_a(world):
    klass = F.ClassFactory(year=world.year, grade=8, letter="А")
    F.EnrollmentFactory(school_class=klass, pupil=F.UserFactory(school=world.school, last_name="Ершов"))
    return klass


# --- printed documents in Russian, whatever the browser says --------------------------------


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_foreign_browser_still_gets_russian_documents(world, client_for, school_day, language, settings):
    client = client_for(world.deputy)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    head = {"HTTP_ACCEPT_LANGUAGE": language}
    page = client.get(reverse("reports:index"), **head)
    if language == "en":
        assert "Reports" in page.content.decode()  # the screen follows the browser
    pdf = client.get(
        reverse("reports:class_report_file", kwargs={"pk": world.klass.pk, "kind": "summary_marks", "fmt": "pdf"}),
        **head,
    )
    text = pdf_text(pdf.content)
    assert "Сводная ведомость учёта успеваемости обучающихся" in text and "Стр. 1 из" in text
    assert "Summary" not in text and "Page" not in text
    xlsx = client.get(
        reverse("reports:class_report_file", kwargs={"pk": world.klass.pk, "kind": "class_results", "fmt": "xlsx"}),
        {"period": quarter(world, 1).pk},
        **head,
    )
    cells = [c for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True) for c in row]
    assert "Итоги успеваемости класса за учебный период" in cells and "Предмет" in cells
    slips = client_for(world.class_teacher)
    slips.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    resp = slips.post(reverse("accounts:issue_slips"), {"ids": [world.pupil.pk]}, **head)
    text = pdf_text(resp.content)
    assert "Логин" in text and "Пароль одноразовый" in text and "Login" not in text


# --- names ----------------------------------------------------------------------------------


def test_the_8a_sheet_downloads_under_a_latin_name_with_class_period_and_day(world, client_for, school_day):
    klass = eight_a(world)
    url = reverse("reports:class_report_file", kwargs={"pk": klass.pk, "kind": "summary_marks", "fmt": "pdf"})
    resp = client_for(world.deputy).get(url, {"period": quarter(world, 1).pk})
    assert resp.status_code == 200
    assert resp["Content-Disposition"] == 'attachment; filename="svodnaya-vedomost_8A_1-chetvert_2026-11-20.pdf"'
    xlsx = client_for(world.deputy).get(url.replace(".pdf", ".xlsx"))
    assert xlsx["Content-Disposition"] == 'attachment; filename="svodnaya-vedomost_8A_2026-11-20.xlsx"'


def test_the_sheet_up_to_a_quarter_has_only_that_quarters_columns(world):
    klass = world.klass
    up_to = marks.summary_marks(klass, up_to=quarter(world, 1))
    whole = marks.summary_marks(klass)
    assert [c.label for c in up_to.parts[0].blocks[0].columns[2:]] == ["1 ч"]
    assert [c.label for c in whole.parts[0].blocks[0].columns[2:]] == ["1 ч", "2 ч", "3 ч", "4 ч", "Год"]


# --- defaults and the stamp -----------------------------------------------------------------


def test_reports_open_on_the_period_or_month_just_ended_for_ten_days(world):
    periods = sorted(world.year.periods.filter(scheme__in=["quarter", "year"]), key=lambda p: (p.scheme, p.number))
    q1, q2 = quarter(world, 1), quarter(world, 2)
    assert default_period(periods, q1.end + timedelta(days=1)) == q1
    assert default_period(periods, q1.end + timedelta(days=10)) == q1
    assert default_period(periods, q2.start + timedelta(days=10)) == q2  # 15 days after q1
    assert default_month(world.year, date(2026, 12, 1)) == date(2026, 11, 1)
    assert default_month(world.year, date(2026, 12, 10)) == date(2026, 11, 1)
    assert default_month(world.year, date(2026, 12, 11)) == date(2026, 12, 1)
    assert default_month(world.year, date(2026, 9, 3)) == date(2026, 9, 1)  # not before the year


def test_a_report_over_a_running_period_is_stamped_preliminary(world, client_for, school_day):
    client = client_for(world.deputy)
    url = reverse("reports:class_report", args=[world.klass.pk, "class_results"])
    running = client.get(url, {"period": quarter(world, 2).pk})
    assert running.context["report"].notices == ["Период не завершён — данные предварительные"]
    assert "Период не завершён — данные предварительные" in running.content.decode()
    assert client.get(url, {"period": quarter(world, 1).pk}).context["report"].notices == []
    pdf = client.get(
        reverse("reports:class_report_file", kwargs={"pk": world.klass.pk, "kind": "class_results", "fmt": "pdf"}),
        {"period": quarter(world, 2).pk},
    )
    assert "Период не завершён — данные предварительные" in pdf_text(pdf.content)


def test_the_preliminary_report_forecasts_from_the_current_marks(world, school_day):
    """Two marks (5 and 4, weights 1) average 4,50 → «5»; one «3» → «3»: both short of the
    minimum of 3 marks, yet forecast, and the pass rate agrees with the forecasts. A pupil
    with no mark yet has no forecast and is judged by nothing: «без отметок», out of N."""
    other = F.UserFactory(school=world.school, last_name="Яковлев", first_name="Ян")
    F.EnrollmentFactory(school_class=world.klass, pupil=other)
    blank = F.UserFactory(school=world.school, last_name="Юдин", first_name="Юрий")
    F.EnrollmentFactory(school_class=world.klass, pupil=blank)
    m9, m10, _m11 = world.lessons
    for lesson, pupil, value in ((m9, world.pupil, "5"), (m10, world.pupil, "4"), (m9, other, "3")):
        F.MarkFactory(assessment=F.AssessmentFactory(lesson=lesson, weight=1), pupil=pupil, value=value)
    report = marks.class_period_report(world.klass, quarter(world, 2), preliminary=True)
    facts = dict(report.parts[0].blocks[0].items)
    rows = {r.values[1]: r.values for r in report.parts[0].blocks[1].rows}
    assert rows[world.pupil.full_name][2] == "отличник"
    assert rows[other.full_name][2] == "с одной «3»"
    assert facts["Не аттестованы"] == 0
    assert facts["Успеваемость, %"] == 100 and facts["Качество знаний, %"] == 50
    assert rows[blank.full_name][2] == "без отметок" and rows[blank.full_name][4] == ""
    assert facts["Аттестуется (N)"] == 2
    assert facts["Прогнозов меньше чем по 3 отметкам"] == 2
    assert facts["Предметов без отметок (прогноза нет)"] == 1
    assert marks.forecast([], min_marks=3, pass_fail=False) is None
    assert marks.forecast([("3", 1), ("4", 1)], min_marks=3, pass_fail=False) == "4"  # 3,50 → «4»
    assert marks.forecast([("3", 1), ("4", 2)], min_marks=3, pass_fail=False) == "4"  # 3,67
    assert marks.forecast([("4", 1), ("3", 2)], min_marks=3, pass_fail=False) == "3"  # 3,33


def test_the_printed_journal_counts_only_the_lessons_held(world, school_day):
    """9, 10, 11 November are held by noon of the 20th; the 23rd and 24th are ahead."""
    for day in (date(2026, 11, 20), date(2026, 11, 23), date(2026, 11, 24)):
        F.LessonFactory(assignment=world.assignment, date=day, bell=world.lessons[0].bell)
    report = journal_print.journal_pages(world.assignment, quarter(world, 2))
    facts = [b for b in report.parts[1].blocks if b.block == "facts"][0]
    assert dict(facts.items)["Проведено уроков"] == 3


# --- the form -------------------------------------------------------------------------------


def test_the_form_takes_the_deputy_to_the_chosen_file_and_remembers_the_choice(world, client_for, school_day):
    klass = eight_a(world)
    client = client_for(world.deputy)
    q1 = quarter(world, 1)
    choice = {"year": world.year.pk, "report": "summary_marks", "klass": klass.pk, "period": q1.pk, "format": "pdf"}
    resp = client.get(reverse("reports:choose"), choice)
    assert resp.status_code == 302
    assert resp["Location"] == f"/reports/class/{klass.pk}/summary_marks.pdf?period={q1.pk}"
    download = client.get(resp["Location"])
    assert download["Content-Disposition"].startswith('attachment; filename="svodnaya-vedomost_8A_1-chetvert')
    page = client.get(reverse("reports:index"))
    form = page.context["form"]
    assert form["report"].value() == "summary_marks" and form["klass"].value() == str(klass.pk)
    assert form["format"].value() == "pdf"
    html = page.content.decode()
    assert "Недавние документы" in html and "svodnaya-vedomost_8A_1-chetvert_2026-11-20.pdf" in html
    assert '<optgroup label="По классу">' in html and '<optgroup label="По школе">' in html


def test_the_form_sends_school_and_subject_reports_to_their_pages(world, client_for, school_day):
    client = client_for(world.deputy)
    resp = client.get(
        reverse("reports:choose"),
        {"year": world.year.pk, "report": "class_sizes", "date": "2026-11-02", "format": "xlsx"},
    )
    assert resp["Location"] == f"/reports/school/class_sizes.xlsx?date=2026-11-02&year={world.year.pk}"
    resp = client.get(
        reverse("reports:choose"),
        {"year": world.year.pk, "report": "journal_pages", "journal": world.assignment.pk, "format": "html"},
    )
    assert resp["Location"] == f"/reports/subject/{world.assignment.pk}/journal_pages/"
    # A long report goes to its page, where it is ordered as a job, in the format chosen.
    resp = client.get(
        reverse("reports:choose"), {"year": world.year.pk, "report": "control", "period": "", "format": "xlsx"}
    )
    assert resp["Location"] == f"/reports/school/control/?format=xlsx&year={world.year.pk}"
    page = client.get(resp["Location"])
    assert '<option value="xlsx" selected>' in page.content.decode()


def test_a_wrong_choice_is_the_form_again_with_a_russian_message(world, client_for, school_day):
    client = client_for(world.deputy)
    resp = client.get(reverse("reports:choose"), {"year": world.year.pk, "report": "summary_marks", "format": "pdf"})
    assert resp.status_code == 400
    assert "Выберите класс: этот отчёт строится по классу." in resp.content.decode()
    assert resp.context["form"]["report"].value() == "summary_marks"  # the input kept
    resp = client.get(
        reverse("reports:choose"),
        {"year": world.year.pk, "report": "school_summaries", "format": "xlsx"},
    )
    assert "Этот отчёт выгружается только в PDF." in resp.content.decode()


def test_with_script_the_form_shows_only_what_the_report_reads(world, client_for, school_day):
    client = client_for(world.deputy)
    plain = client.get(reverse("reports:index")).content.decode()
    assert "hidden>" not in plain  # without script every field is there
    query = {"year": world.year.pk, "report": "class_sizes", "klass": world.klass.pk, "format": "xlsx"}
    html = client.get(reverse("reports:index"), query, HTTP_HX_REQUEST="true").content.decode()
    shown = set(re.findall(r'<div class="field field-(\w+)">', html))
    assert shown == {"report", "date", "format"}
    assert '<option value="xlsx" selected>' in html  # what was chosen stays


def test_a_teacher_chooses_only_among_her_own_journals(world, client_for, school_day):
    client = client_for(world.teacher)
    form = client.get(reverse("reports:index")).context["form"]
    assert set(form.kinds) == {k.code for k in KINDS.values() if k.scope == "assignment"}
    assert list(form.journals) == [str(world.assignment.pk)]
    resp = client.get(
        reverse("reports:choose"),
        {"year": world.year.pk, "report": "subject_results", "journal": world.other_assignment.pk, "format": "html"},
    )
    assert resp.status_code == 400  # another teacher's journal is no choice of hers
    resp = client.get(
        reverse("reports:choose"),
        {"year": world.year.pk, "report": "movement_dynamics", "format": "html"},
    )
    assert resp.status_code == 400


# --- jobs: the control report, progress, estimate, notice -----------------------------------


def test_the_control_report_is_a_job_and_its_page_orders_it(world, client_for, school_day):
    client = client_for(world.deputy)
    page = client.get(reverse("reports:school_report", args=["control"]), {"period": quarter(world, 1).pk})
    assert "Сформировать" in page.content.decode() and page.context["report"] is None
    assert KINDS["control"].long


def test_a_job_reports_through_the_render_and_tells_its_owner(world, client_for, settings, tmp_path, school_day):
    settings.MEDIA_ROOT = str(tmp_path)
    world.deputy.email = "deputy@school.test"
    world.deputy.save()
    client = client_for(world.deputy)
    client.post(reverse("reports:job_create"), {"kind": "school_summaries"})
    job = ReportJob.objects.get()
    seen = []
    original = jobs._set_progress

    def spy(job_id, done, total, **kw):
        original(job_id, done, total, **kw)
        seen.append(ReportJob.objects.get(pk=job_id).progress)

    jobs._set_progress = spy
    try:
        jobs.run_job(job.pk)
    finally:
        jobs._set_progress = original
    assert any(50 < p < 95 for p in seen), seen  # the render moves the bar past the build's half
    assert seen == sorted(seen)
    job.refresh_from_db()
    assert job.status == "done" and job.params["filename"] == "svodnye-vedomosti_2026-2027_2026-11-20.pdf"
    # The menu says it is ready until the file is downloaded.
    nav = client.get(reverse("home")).content.decode()
    assert 'class="badge nav-ready"' in nav
    client.get(reverse("reports:job_detail", args=[job.pk]))
    assert 'class="badge nav-ready"' in client.get(reverse("home")).content.decode()
    client.get(reverse("reports:job_file", args=[job.pk]))
    assert 'class="badge nav-ready"' not in client.get(reverse("home")).content.decode()
    # One e-mail, however often the task runs.
    assert jobs.notify_done(job.pk) and not jobs.notify_done(job.pk)
    (letter,) = mail.outbox
    assert letter.to == ["deputy@school.test"] and letter.subject.startswith("Документ готов: ")
    assert f"/reports/jobs/{job.pk}/" in letter.body


def test_the_estimate_stretches_the_elapsed_time_over_what_is_left(world):
    from django.utils import timezone

    now = timezone.now()
    job = ReportJob(status="running", progress=50, started_at=now - timedelta(seconds=20))
    assert job.remaining_seconds(now) == 20  # half of 5 → 95 % in 20 s: 20 s more
    job.progress = 5
    assert job.remaining_seconds(now) is None  # nothing to go by yet
    assert parse(KINDS["summary_marks"], {}, year=world.year, scheme="quarter")[0] == {"period": None}
