"""Bad input to the journal gives a Russian message, never a 500."""

import csv
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from journal import services
from journal.models import Assessment, PlanItem, TeachingAssignment
from journal.rules import at
from journal.services import plans, temp_journal
from journal.services.errors import ServiceError
from journal.services.plan_import import parse_plan_file
from journal.tabular import read_table

from . import factories as F

DAY = date(2026, 11, 9)  # world.lessons[0]


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True):
        yield


def csv_file(text, name="table.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# --- (a) work weight ---------------------------------------------------------------------


@pytest.mark.parametrize("weight", ["nan", "NaN", "snan", "inf", "-Infinity"])
def test_a_non_finite_work_weight_is_refused_with_a_russian_message(world, weight):
    lesson = world.lessons[0]
    with pytest.raises(ServiceError) as e:
        services.add_assessment(
            world.teacher,
            lesson_id=lesson.pk,
            work_type_id=world.work_type.pk,
            weight=weight,
            now=at(DAY, time(10)),
        )
    assert e.value.code == "bad_weight"
    assert "не число" in e.value.message
    assert not Assessment.objects.filter(lesson=lesson).exists()


def test_changing_a_work_to_a_nan_weight_keeps_the_old_weight(world):
    work = F.AssessmentFactory(lesson=world.lessons[0], work_type=world.work_type)
    with pytest.raises(ServiceError, match="не число"):
        services.change_assessment(
            world.teacher, assessment_id=work.pk, work_type_id=world.work_type.pk, weight="nan", now=at(DAY, time(10))
        )
    work.refresh_from_db()
    assert work.weight == world.work_type.weight


# --- (b) temporary journal lesson number ---------------------------------------------------


def test_an_infinite_lesson_number_in_the_temporary_journal_is_a_row_error(world, clock):
    outage = F.OutageFactory(
        school=world.school, start=at(DAY, time(7)), end=at(DAY, time(20)), created_by=world.deputy
    )
    text = (
        "Урок;Предмет;Ученик;ID;Посещаемость;Отметка\n"
        "inf;Математика;Иванова Мария Алексеевна;;н;\n"
        "1e999;Математика;Иванова Мария Алексеевна;;н;\n"
        "nan;Математика;Иванова Мария Алексеевна;;н;\n"
        "1;Математика;Иванова Мария Алексеевна;;н;\n"
    )
    parsed = temp_journal.parse_temp_file(
        world.teacher, csv_file(text), outage=outage, school_class=world.klass, paper_date=DAY
    )
    assert parsed.errors == [
        "Строка 2: «inf» — не номер урока.",
        "Строка 3: «1e999» — не номер урока.",
        "Строка 4: «nan» — не номер урока.",
    ]
    assert [(e.row, e.pupil_id, e.attendance) for e in parsed.entries] == [(5, world.pupil.pk, "н")]


# --- (c) CSV reading -----------------------------------------------------------------------


def test_a_csv_field_over_the_size_limit_is_a_russian_error(world):
    huge = "x" * (csv.field_size_limit() + 10)
    with pytest.raises(ServiceError) as e:
        read_table(csv_file(f'Тема;Часы\n"{huge}";2\n'))
    assert e.value.code == "bad_csv"
    assert "в ячейке больше" in e.value.message
    with pytest.raises(ServiceError, match="Файл CSV не читается"):
        parse_plan_file(csv_file(f'Тема;Часы\n"{huge}";2\n', "ktp.csv"), world.school)


def test_a_csv_import_through_the_page_shows_the_error_instead_of_failing(world, client_for):
    huge = "x" * (csv.field_size_limit() + 10)
    url = reverse("journal:plan_import", args=[world.assignment.pk])
    response = client_for(world.teacher).post(url, {"file": csv_file(f'Тема;Часы\n"{huge}";2\n', "ktp.csv")})
    assert response.status_code == 200
    assert "Файл CSV не читается" in response.content.decode()


def test_reading_a_csv_leaves_the_shared_excel_dialect_alone(world):
    # One column: the sniffer finds no delimiter and the reader falls back to ';'.
    rows = read_table(csv_file("Тема\nАлгебра\nГеометрия\n"))
    assert [cells for _, cells in rows] == [["Тема"], ["Алгебра"], ["Геометрия"]]
    assert csv.excel.delimiter == ","
    assert list(csv.reader(["a,b;c"])) == [["a", "b;c"]]
    rows = read_table(csv_file("Тема,Часы\nДроби,3\n"))
    assert [cells for _, cells in rows] == [["Тема", "Часы"], ["Дроби", "3"]]


# --- (d) КТП row move and delete -------------------------------------------------------------


@pytest.fixture
def stale_writer(world):
    """The journal passed to another teacher by a bulk update: the former teacher still
    holds the object permission until the rebuild, the service refuses him."""
    first = plans.add_item(world.teacher, assignment_id=world.assignment.pk, topic="Натуральные числа", hours=2)
    second = plans.add_item(world.teacher, assignment_id=world.assignment.pk, topic="Дроби", hours=3)
    new_teacher = F.UserFactory(school=world.school)
    TeachingAssignment.objects.filter(pk=world.assignment.pk).update(teacher=new_teacher)
    return first, second


def test_moving_a_plan_row_refused_by_the_service_shows_a_message(world, client_for, stale_writer):
    first, second = stale_writer
    client = client_for(world.teacher)
    response = client.post(reverse("journal:plan_item_move", args=[first.pk]), {"dir": "down"}, follow=True)
    assert response.status_code == 200
    assert "Строка 1: КТП ведёт учитель этого журнала." in response.content.decode()
    assert list(PlanItem.objects.order_by("position").values_list("pk", flat=True)) == [first.pk, second.pk]


def test_deleting_a_plan_row_refused_by_the_service_shows_a_message(world, client_for, stale_writer):
    first, second = stale_writer
    client = client_for(world.teacher)
    response = client.post(reverse("journal:plan_item_delete", args=[second.pk]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Строка 2: КТП ведёт учитель этого журнала." in page
    assert "Тема удалена." not in page
    assert PlanItem.objects.filter(pk=second.pk).exists()
