"""ejournal/params.py: the one reader of ids, numbers, dates and text from a request
(docs/DESIGN.md §3.24). Plain functions: no database."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from ejournal import params

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        ("007", 7),
        (str(params.MAX_ID), params.MAX_ID),
        (17, 17),
        # Python's isdigit() and int() accept these; a database id is none of them
        ("²", None),
        ("³", None),
        ("３", None),
        ("١٢", None),
        ("१२", None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        ("1e3", None),
        ("1.0", None),
        ("1_000", None),
        ("1\x00", None),
        ("", None),
        (None, None),
        (str(params.MAX_ID + 1), None),
        ("9" * 300, None),
        (True, None),
        (0, None),
        ([1], None),
    ],
)
def test_parse_id_takes_ascii_digits_of_a_bigint(raw, expected):
    assert params.parse_id(raw) == expected


def test_parse_id_default_and_404():
    assert params.parse_id("²", default=0) == 0
    assert params.id_or_404("12") == 12
    with pytest.raises(Http404):
        params.id_or_404("１２")


def test_parse_ids_keeps_the_good_ones_once_in_order_up_to_the_limit():
    assert params.parse_ids(["3", "²", "1", "3", "", "x", "99999999999999999999999"]) == [3, 1]
    assert params.parse_ids([str(i) for i in range(1, 5000)], limit=10) == list(range(1, 11))


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        ("5", {}, 5),
        ("-5", {}, -5),
        ("-5", {"min_value": 0}, None),
        (str(params.MAX_INT), {}, params.MAX_INT),
        (str(params.MAX_INT + 1), {}, None),
        ("12", {"max_value": 10}, None),
        ("²", {}, None),
        ("--1", {}, None),
        ("nan", {}, None),
        ("inf", {}, None),
    ],
)
def test_parse_int_checks_digits_and_range(raw, kwargs, expected):
    assert params.parse_int(raw, **kwargs) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        (" 2026-11-20 ", date(2026, 11, 20)),
        ("1900-01-01", date(1900, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
        ("1899-12-31", None),
        ("2101-01-01", None),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2026-02-30", None),
        ("２０２６-１１-２０", None),
        ("2026-11-20T10:00", None),
        ("20261120", None),  # date.fromisoformat takes it; the forms never send it
        ("2026-W47-5", None),
        ("2026-11-20\x00", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date_takes_iso_dates_within_1900_to_2100(raw, expected):
    assert params.parse_date(raw) == expected


def test_parse_date_default_and_404():
    today = date(2026, 11, 20)
    assert params.parse_date("9999-12-31", today) == today
    assert params.date_or_404("2026-11-09") == date(2026, 11, 9)
    with pytest.raises(Http404):
        params.date_or_404("0001-01-01")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11", date(2026, 11, 1)),
        ("2026-13", None),
        ("2026-00", None),
        ("0001-01", None),
        ("9999-12", None),
        ("²０２６-11", None),
        ("2026-1", None),
    ],
)
def test_parse_month(raw, expected):
    assert params.parse_month(raw) == expected


def test_parse_text_refuses_nul_and_overlong_text_in_russian():
    assert params.parse_text("  Дроби  ", max_length=10) == "Дроби"
    assert params.parse_text(None, max_length=10) == ""
    with pytest.raises(params.BadValue) as e:
        params.parse_text("a\x00b", max_length=10, field="Тема")
    assert e.value.message == "В поле «Тема» недопустимый символ (NUL)."
    with pytest.raises(params.BadValue) as e:
        params.parse_text("я" * 11, max_length=10, field="Тема")
    assert e.value.message == "Поле «Тема» длиннее 10 символов (сейчас 11)."


def test_search_text_searches_for_nothing_and_says_why():
    assert params.search_text("Иванова") == ("Иванова", None)
    text, problem = params.search_text("Ива\x00нова")
    assert text == "" and "недопустимый символ" in problem
    text, problem = params.search_text("я" * 101)
    assert text == "" and "длиннее 100" in problem


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (datetime(2026, 11, 20, 10, tzinfo=MOSCOW), True),
        (datetime(1900, 1, 1, 0, 0, tzinfo=MOSCOW), True),
        (datetime(1, 1, 1, 0, 0, tzinfo=MOSCOW), False),
        (datetime(9999, 12, 31, 23, 59, tzinfo=MOSCOW), False),
        (date(2100, 12, 31), True),
        (date(2101, 1, 1), False),
    ],
)
def test_in_range(moment, inside):
    assert params.in_range(moment) is inside


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_the_date_field_refuses_years_outside_the_calendar(value):
    field = params.DateField()
    with pytest.raises(ValidationError) as e:
        field.clean(value)
    assert e.value.messages == ["Укажите дату между 1900 и 2100 годом."]
    assert field.clean("2026-11-20") == date(2026, 11, 20)


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "01.01.0001 00:00"])
def test_the_datetime_field_refuses_years_outside_the_calendar_before_the_time_zone(value):
    field = params.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"])
    with pytest.raises(ValidationError) as e:
        field.clean(value)
    assert e.value.messages == ["Укажите дату между 1900 и 2100 годом."]
    assert field.clean("2026-11-20T10:00").year == 2026


def test_the_split_datetime_field_of_the_admin_refuses_year_1():
    field = params.SplitDateTimeField()
    with pytest.raises(ValidationError):
        field.clean(["0001-01-01", "00:00"])
    assert field.clean(["2026-11-20", "10:00"]).year == 2026


@pytest.mark.parametrize("value", ["²", "３", "0", "-1", "9" * 30, "1\x00"])
def test_the_id_field_refuses_what_is_not_an_id(value):
    with pytest.raises(ValidationError) as e:
        params.IdField().clean(value)
    assert e.value.messages == ["Неверный идентификатор: обновите страницу."]
    assert params.IdField().clean("12") == 12
    assert params.IdField(required=False).clean("") is None
