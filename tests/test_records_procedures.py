"""Records procedures as behaviour: the temporary (paper) journal of an outage,
substitutions, and absence reasons set by the class teacher."""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import AuditEvent
from journal import services
from journal.models import Attendance, Lesson, Mark, Substitution, TempJournalImport
from journal.rules import at
from journal.services import NotAllowed, ServiceError, absences, substitutions, temp_journal

from . import factories as F

MON = date(2026, 11, 9)  # world.lessons[0]: 5А mathematics, 1st lesson
TUE = date(2026, 11, 10)


@pytest.fixture(autouse=True)
def clock():
    """Friday 20 November 2026, noon, whatever the real date."""
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True):
        yield


def csv_file(text, name="vremennyi.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# --- temporary journal ---------------------------------------------------------------------


@pytest.fixture
def outage(world):
    """Monday 07:00 to Tuesday 16:00: transfers are due by Thursday (2 working days)."""
    return F.OutageFactory(school=world.school, start=at(MON, time(7)), end=at(TUE, time(16)), created_by=world.deputy)


@pytest.fixture
def kuznetsov(world):
    pupil = F.UserFactory(school=world.school, last_name="Кузнецов", first_name="Иван", patronymic="Петрович")
    F.EnrollmentFactory(school_class=world.klass, pupil=pupil)
    return pupil


HEADER = "Урок;Предмет;Ученик;ID;Посещаемость;Отметка;Тема;Домашнее задание\n"


def parse(world, outage, text, paper_date=MON):
    return temp_journal.parse_temp_file(
        world.teacher, csv_file(text), outage=outage, school_class=world.klass, paper_date=paper_date
    )


def test_parse_lists_each_bad_row_and_keeps_the_good_ones(world, outage, kuznetsov):
    parsed = parse(
        world,
        outage,
        HEADER
        + "1;Математика;;;;;Сложение дробей;№ 12\n"  # 2: the lesson's topic and homework
        + "1;Математика;Иванова Мария Алексеевна;;н;;;\n"  # 3
        + f"1;Математика;Кузнецов И. П.;{kuznetsov.pk};;5;;\n"  # 4
        + "1;Математика;Петров Пётр;;;4;;\n"  # 5: not in the class
        + "1;Математика;Иванова Мария Алексеевна;;х;;;\n"  # 6: no such attendance code
        + "1;Математика;Иванова Мария Алексеевна;;;7;;\n"  # 7: no such mark
        + "2;Математика;Иванова Мария Алексеевна;;н;;;\n"  # 8: no 2nd lesson that day
        + "1;Русский язык;Иванова Мария Алексеевна;;н;;;\n"  # 9: another subject
        + "1;Математика;;;;;Вычитание дробей;\n",  # 10: a second, different topic
    )
    assert [(e.row, e.pupil_id, e.attendance, e.mark, e.topic, e.homework) for e in parsed.entries] == [
        (2, None, "", "", "Сложение дробей", "№ 12"),
        (3, world.pupil.pk, "н", "", "", ""),
        (4, kuznetsov.pk, "", "5", "", ""),
    ]
    assert [e.split(":")[0] for e in parsed.errors] == [f"Строка {n}" for n in (5, 6, 7, 8, 9, 10)]
    assert "ученик «Петров Пётр» не найден в списке урока" in parsed.errors[0]
    assert "«х» — посещаемость: Н, Б, УП, НП или ОП" in parsed.errors[1]
    assert "«7» — недопустимая отметка" in parsed.errors[2]
    assert "у класса нет урока № 2" in parsed.errors[3]
    assert "это Математика, а не «Русский язык»" in parsed.errors[4]
    assert "другая тема, чем в строке 2" in parsed.errors[5]
    # nothing is written by the preview
    assert not Attendance.objects.exists() and not Mark.objects.exists()


def test_the_paper_date_must_be_a_day_of_the_outage_and_not_in_the_future(world, outage):
    with pytest.raises(ServiceError) as e:
        parse(world, outage, HEADER, paper_date=date(2026, 11, 11))
    assert e.value.code == "bad_paper_date"
    assert "вне сбоя (09.11.2026–10.11.2026)" in e.value.message
    ongoing = F.OutageFactory(school=world.school, start=at(date(2026, 11, 19), time(8)), end=None)
    with pytest.raises(ServiceError, match="вне сбоя"):
        parse(world, ongoing, HEADER, paper_date=date(2026, 11, 23))
    closes_later = F.OutageFactory(
        school=world.school, start=at(date(2026, 11, 19), time(8)), end=at(date(2026, 11, 25), time(8))
    )
    with pytest.raises(ServiceError, match="не может быть в будущем"):
        parse(world, closes_later, HEADER, paper_date=date(2026, 11, 23))
    with pytest.raises(ServiceError, match="вне сбоя"):
        temp_journal.apply_import(
            world.teacher,
            outage_id=outage.pk,
            school_class_id=world.klass.pk,
            paper_date=date(2026, 11, 11),
            entries=[{"lesson_id": world.lessons[2].pk, "pupil_id": world.pupil.pk, "attendance": "н"}],
        )


def _import(world, outage, now, entries=None):
    parsed = parse(world, outage, HEADER + "1;Математика;Иванова Мария Алексеевна;;н;5;;\n")
    assert not parsed.errors
    return temp_journal.apply_import(
        world.teacher,
        outage_id=outage.pk,
        school_class_id=world.klass.pk,
        paper_date=MON,
        entries=parsed.as_session(),
        file_name="vremennyi.csv",
        now=now,
    )


def test_a_transfer_later_than_two_working_days_after_the_outage_is_flagged(world, outage):
    assert temp_journal.transfer_due_date(outage, world.year) == date(2026, 11, 12)  # Thursday
    on_time = _import(world, outage, at(date(2026, 11, 12), time(17)))
    assert on_time.is_late is False
    late = _import(world, outage, at(date(2026, 11, 13), time(9)))
    assert late.is_late is True
    assert Attendance.objects.get(lesson=world.lessons[0], pupil=world.pupil).code == "н"
    assert Mark.objects.get(assessment__lesson=world.lessons[0], pupil=world.pupil).value == "5"
    audit = AuditEvent.objects.filter(action="temp_journal.import").order_by("pk")
    assert [e.after["is_late"] for e in audit] == [False, True]


def test_a_transfer_during_an_ongoing_outage_is_not_late(world, outage):
    outage.end = None
    outage.save()
    imp = _import(world, outage, at(date(2026, 11, 20), time(11)))
    assert imp.is_late is False
    assert TempJournalImport.objects.get().is_late is False


def test_the_blank_form_downloads_as_xlsx_and_pdf(world, client_for, kuznetsov):
    client = client_for(world.class_teacher)
    response = client.get(reverse("journal:day_blank_xlsx", args=[world.klass.pk, MON.isoformat()]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert rows[0] == temp_journal.HEADERS
    assert [r[:4] for r in rows[1:]] == [
        [1, "Математика", None, None],
        [1, "Математика", world.pupil.full_name, world.pupil.pk],
        [1, "Математика", kuznetsov.full_name, kuznetsov.pk],
    ]

    response = client.get(reverse("journal:day_blank_pdf", args=[world.klass.pk, MON.isoformat()]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Временный журнал" in text
    assert world.pupil.full_name in text and kuznetsov.full_name in text


def test_the_filled_blank_is_accepted_by_the_import(world, outage, client_for):
    blank = client_for(world.teacher).get(reverse("journal:day_blank_xlsx", args=[world.klass.pk, MON.isoformat()]))
    wb = load_workbook(io.BytesIO(blank.content))
    ws = wb.active
    ws.cell(row=3, column=5, value="Б")
    buf = io.BytesIO()
    wb.save(buf)
    parsed = temp_journal.parse_temp_file(
        world.teacher,
        SimpleUploadedFile("blank.xlsx", buf.getvalue()),
        outage=outage,
        school_class=world.klass,
        paper_date=MON,
    )
    assert parsed.errors == []
    assert [(e.pupil_id, e.attendance) for e in parsed.entries] == [(world.pupil.pk, "б")]


def test_the_blank_in_english_reads_back_and_errors_come_in_english(world, outage):
    """The blank's headers are translated; the import still finds them, and says what is wrong in English."""
    from django.utils import translation

    with translation.override("en"):
        ws = load_workbook(io.BytesIO(temp_journal.blank_xlsx(world.klass, MON))).active
        assert [c.value for c in ws[1]] == [
            "Lesson", "Subject", "Pupil", "ID", "Attendance", "Mark", "Topic", "Homework"
        ]  # fmt: skip
        ws.cell(row=3, column=5, value="Б")
        ws.cell(row=3, column=6, value="7")
        buf = io.BytesIO()
        ws.parent.save(buf)
        parsed = temp_journal.parse_temp_file(
            world.teacher,
            SimpleUploadedFile("blank.xlsx", buf.getvalue()),
            outage=outage,
            school_class=world.klass,
            paper_date=MON,
        )
    assert len(parsed.errors) == 1
    assert parsed.errors[0].startswith("Row 3: “7” is not a valid mark (allowed: ")


# --- substitutions ------------------------------------------------------------------------------


@pytest.fixture
def week(world):
    """Two open lessons of the journal: Wednesday 18 and Thursday 19 November, each with a work."""
    bell = world.lessons[0].bell
    lessons = [F.LessonFactory(assignment=world.assignment, date=date(2026, 11, d), bell=bell) for d in (18, 19)]
    works = [F.AssessmentFactory(lesson=lesson, work_type=world.work_type) for lesson in lessons]
    return lessons, works


@pytest.fixture
def volkova(world):
    return world.other_assignment.teacher  # teaches 5Б: eligible to substitute


def mark_as(user, world, work, value="5"):
    return services.set_mark(user, assessment_id=work.pk, pupil_id=world.pupil.pk, value=value)


def test_the_substitute_fills_only_the_lessons_given(world, week, volkova):
    (wed, thu), (wed_work, thu_work) = week
    with pytest.raises(NotAllowed):
        substitutions.assign(
            world.teacher, assignment_id=world.assignment.pk, substitute_id=volkova.pk, date_from=thu.date,
            reason="Больничный",
        )  # fmt: skip
    with pytest.raises(NotAllowed):
        mark_as(volkova, world, thu_work)

    created = substitutions.assign(
        world.deputy,
        assignment_id=world.assignment.pk,
        substitute_id=volkova.pk,
        date_from=wed.date,
        date_to=thu.date,
        reason="Больничный Соколова А. В.",
        lesson_ids=[thu.pk],
    )
    assert [s.lesson_id for s in created] == [thu.pk]
    assert mark_as(volkova, world, thu_work).value == "5"
    services.set_attendance(volkova, lesson_id=thu.pk, pupil_id=world.pupil.pk, code="оп")
    with pytest.raises(NotAllowed):
        mark_as(volkova, world, wed_work)
    with pytest.raises(NotAllowed):
        services.set_attendance(volkova, lesson_id=wed.pk, pupil_id=world.pupil.pk, code="н")
    # the journal's own teacher keeps his rights
    assert mark_as(world.teacher, world, wed_work, "4").value == "4"


def test_revoking_ends_the_right_and_the_log_keeps_the_row(world, week, volkova, client_for):
    (_, thu), (_, thu_work) = week
    (sub,) = substitutions.assign(
        world.deputy, assignment_id=world.assignment.pk, substitute_id=volkova.pk, date_from=thu.date,
        reason="Курсы повышения квалификации",
    )  # fmt: skip
    substitutions.revoke(world.deputy, substitution_id=sub.pk, reason="Учитель вышел на работу")

    with pytest.raises(NotAllowed):
        mark_as(volkova, world, thu_work)
    sub.refresh_from_db()
    assert sub.revoked_at is not None and sub.revoked_by == world.deputy
    assert list(AuditEvent.objects.filter(action__startswith="substitution.").values_list("action", flat=True)) == [
        "substitution.assign",
        "substitution.revoke",
    ]
    with pytest.raises(ServiceError, match="уже отменена"):
        substitutions.revoke(world.deputy, substitution_id=sub.pk)
    log = client_for(world.deputy).get(reverse("journal:substitutions")).content.decode()
    assert "Курсы повышения квалификации" in log and "отменена" in log


def test_reassigning_cancels_the_previous_substitute(world, week, volkova):
    (_, thu), (_, thu_work) = week
    second = F.AssignmentFactory(
        school_class=world.other_class, subject=F.SubjectFactory(school=world.school, name="История")
    ).teacher
    (first_sub,) = substitutions.assign(
        world.deputy, assignment_id=world.assignment.pk, substitute_id=volkova.pk, date_from=thu.date,
        reason="Больничный",
    )  # fmt: skip
    (second_sub,) = substitutions.assign(
        world.deputy, assignment_id=world.assignment.pk, substitute_id=second.pk, date_from=thu.date,
        reason="Волкова на олимпиаде",
    )  # fmt: skip

    first_sub.refresh_from_db()
    assert first_sub.revoked_at is not None
    revoke_event = AuditEvent.objects.get(action="substitution.revoke")
    assert revoke_event.object_id == str(first_sub.pk)
    assert revoke_event.reason == "Новая замена: Волкова на олимпиаде"
    with pytest.raises(NotAllowed):
        mark_as(volkova, world, thu_work)
    assert mark_as(second, world, thu_work).value == "5"
    # the log keeps both rows, one active
    assert list(Substitution.objects.filter(lesson=thu).order_by("pk").values_list("substitute_id", "revoked_at")) == [
        (volkova.pk, first_sub.revoked_at),
        (second.pk, None),
    ]
    assert second_sub.is_active()


# --- absence reasons ------------------------------------------------------------------------------


@pytest.fixture
def absent(world, week):
    """Иванова absent («Н») on Wednesday and Thursday."""
    lessons, _ = week
    return [F.AttendanceFactory(lesson=lesson, pupil=world.pupil, code="н") for lesson in lessons]


def set_reason(user, world, code, document="", klass=None, pupil=None):
    return absences.set_reason(
        user,
        school_class_id=(klass or world.klass).pk,
        pupil_id=(pupil or world.pupil).pk,
        code=code,
        document=document,
        date_from=date(2026, 11, 18),
        date_to=date(2026, 11, 19),
    )


def test_the_class_teacher_sets_a_reason_with_its_document_and_it_is_audited(world, absent):
    assert set_reason(world.class_teacher, world, "УП", "Заявление родителей от 17.11.2026") == 2
    for att in absent:
        att.refresh_from_db()
        assert (att.code, att.reason_document, att.reason_set_by) == (
            "уп",
            "Заявление родителей от 17.11.2026",
            world.class_teacher,
        )
        assert att.version == 2
    events = AuditEvent.objects.filter(action="attendance.reason").order_by("pk")
    assert [(e.before["code"], e.after["code"], e.after["reason_document"]) for e in events] == [
        ("н", "уп", "Заявление родителей от 17.11.2026"),
        ("н", "уп", "Заявление родителей от 17.11.2026"),
    ]
    assert {e.actor_id for e in events} == {world.class_teacher.pk}


@pytest.mark.parametrize("code", ["уп", "б"])
def test_an_excused_or_illness_reason_needs_a_document(world, absent, code):
    with pytest.raises(ServiceError) as e:
        set_reason(world.class_teacher, world, code, "  ")
    assert e.value.code == "no_doc"
    assert "укажите документ" in e.value.message
    assert set(Attendance.objects.values_list("code", flat=True)) == {"н"}
    assert not AuditEvent.objects.filter(action="attendance.reason").exists()


def test_illness_with_a_certificate_and_unexcused_without_one(world, absent):
    assert set_reason(world.class_teacher, world, "б", "Справка № 1542 от 20.11.2026") == 2
    assert set(Attendance.objects.values_list("code", flat=True)) == {"б"}
    assert set_reason(world.class_teacher, world, "нп") == 2
    assert set(Attendance.objects.values_list("code", "reason_document")) == {("нп", "")}


def test_only_the_class_teacher_of_the_pupils_class_sets_reasons(world, absent):
    for user in (world.teacher, world.deputy, world.director, world.parent):
        with pytest.raises(NotAllowed, match="классный руководитель"):
            set_reason(user, world, "нп")
    world.other_class.class_teacher = world.other_assignment.teacher
    world.other_class.save()
    with pytest.raises(NotAllowed):
        # the class teacher of 5Б about 5А
        set_reason(world.other_assignment.teacher, world, "нп")
    with pytest.raises(ServiceError, match="нет пропусков"):
        # ... nor through her own class: the absences are 5А's
        set_reason(world.other_assignment.teacher, world, "нп", klass=world.other_class)
    with pytest.raises(ServiceError, match="нет пропусков"):
        # 5А's class teacher cannot reach a 5Б pupil through her own class
        set_reason(world.class_teacher, world, "нп", pupil=world.other_pupil)
    with pytest.raises(ServiceError) as e:
        set_reason(world.class_teacher, world, "н")
    assert e.value.code == "bad_code"
    assert set(Attendance.objects.values_list("code", flat=True)) == {"н"}
    assert not AuditEvent.objects.filter(action="attendance.reason").exists()


def test_a_reason_touches_only_the_chosen_absences(world, absent):
    wed_att, thu_att = absent
    n = absences.set_reason(
        world.class_teacher, school_class_id=world.klass.pk, pupil_id=world.pupil.pk, code="б",
        document="Справка", attendance_ids=[thu_att.pk],
    )  # fmt: skip
    assert n == 1
    assert dict(Attendance.objects.values_list("lesson_id", "code")) == {wed_att.lesson_id: "н", thu_att.lesson_id: "б"}
    assert Lesson.objects.get(pk=thu_att.lesson_id).date == date(2026, 11, 19)
