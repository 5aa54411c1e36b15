"""journal/rules.py is the one home of the regulation's rules: each SQL twin there agrees
with its Python function on the same data, and the other modules call the rules."""

from datetime import date, time, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from journal import rules
from journal.models import Attendance, PeriodMark, StudyPeriod, Subject

from . import factories as F

DAYS = [date(2026, 11, 2) + timedelta(days=n) for n in range(0, 70, 3)]


def sql_value(expr, **params):
    with connection.cursor() as cur:
        cur.execute(f"SELECT {expr}", {"tz": settings.TIME_ZONE, **params})
        return cur.fetchone()[0]


@pytest.fixture
def school(db):
    return F.SchoolFactory(entry_cutoff=time(17, 30), test_marks_days=2, lock_after_days=5)


def test_deadlines_sql_agree_with_python(school):
    params = rules.sql_params(school)
    for day in DAYS:
        lesson = SimpleNamespace(date=day)
        assert sql_value(rules.entry_deadline_sql("%(day)s::date"), day=day, **params) == rules.entry_deadline(
            lesson, school
        )
        assert sql_value(rules.test_marks_deadline_sql("%(day)s::date"), day=day, **params) == (
            rules.test_marks_deadline(lesson, school)
        )
        assert sql_value(rules.lock_moment_sql("%(day)s::date"), day=day, **params) == rules.lock_moment(lesson, school)


@pytest.mark.parametrize("grade1_marks, grade1_homework", [(False, False), (True, False), (False, True)])
def test_grade1_sql_agrees_with_python(db, grade1_marks, grade1_homework):
    school = F.SchoolFactory(grade1_marks=grade1_marks, grade1_homework=grade1_homework)
    year = F.YearFactory(school=school, periods=False)
    params = rules.sql_params(school)
    for grade in (1, 2, 5, 11):
        klass = F.ClassFactory(year=year, grade=grade)
        where = "FROM journal_schoolclass c WHERE c.id = %(c)s"
        assert sql_value(f"{rules.marks_allowed_sql('c')} {where}", c=klass.pk, **params) is rules.marks_allowed(klass)
        assert sql_value(f"{rules.homework_allowed_sql('c')} {where}", c=klass.pk, **params) is (
            rules.homework_allowed(klass)
        )
        assert klass.has_marks is rules.marks_allowed(klass)


def test_grade1_has_one_home(db):
    """SchoolClass.has_marks and the diary ask journal.rules, so a school's setting reaches all."""
    from diary.week import has_marks

    school = F.SchoolFactory(grade1_marks=False)
    klass = F.ClassFactory(year=F.YearFactory(school=school, periods=False), grade=1)
    assert (klass.has_marks, has_marks(klass), rules.marks_allowed(klass)) == (False, False, False)
    school.grade1_marks = True
    assert (klass.has_marks, has_marks(klass), rules.marks_allowed(klass)) == (True, True, True)


def test_period_window_sql_agrees_with_python(db):
    year = F.YearFactory()
    q2 = StudyPeriod.objects.get(year=year, scheme="quarter", number=2)
    q3 = StudyPeriod.objects.get(year=year, scheme="quarter", number=3)
    q3.marks_deadline = q3.end + timedelta(days=4)  # by school order, after the end
    q3.save()
    params = rules.sql_params(year.school)
    for period in (q2, q3):
        first, last = rules.period_marks_window(period)
        for n in range(-12, 8):
            today = period.end + timedelta(days=n)
            sql = f"{rules.period_window_sql('p')} FROM journal_studyperiod p WHERE p.id = %(p)s"
            assert sql_value(sql, p=period.pk, today=today, **params) is (first <= today <= last), (period, today)
        deadline = sql_value(f"{rules.period_deadline_sql('p')} FROM journal_studyperiod p WHERE p.id = %(p)s", p=q3.pk)
        assert deadline == q3.deadline
    # Exam and final marks run to 30 June of the year.
    whole = StudyPeriod.objects.get(year=year, scheme="year")
    assert rules.period_marks_window(whole, PeriodMark.Kind.EXAM)[1] == date(2027, 6, 30)
    assert rules.period_marks_window(whole, PeriodMark.Kind.YEAR)[1] == whole.end


@pytest.mark.django_db
def test_absence_sql_agrees_with_python():
    for code in Attendance.Code.values:
        assert sql_value(rules.is_absence_sql("a") + " FROM (SELECT %(code)s AS code) a", code=code) is (
            code in rules.absence_codes()
        )
        assert Attendance(code=code).is_absence is (code in rules.absence_codes())
    assert set(rules.absence_codes()) == {"н", "б", "уп", "нп"}
    assert set(rules.reason_codes()) == {"уп", "нп", "б"}


def test_allowed_values_one_home(db):
    from journal.services import entries, period_marks

    school = F.SchoolFactory(allow_mark_one=False)
    numeric = F.SubjectFactory(school=school)
    pass_fail = F.SubjectFactory(school=school, assessment=Subject.Assessment.PASS_FAIL)
    assert rules.mark_values(numeric, school) == {"5", "4", "3", "2"}
    assert rules.mark_values(pass_fail, school) == {"зач", "незач"}
    assert rules.period_mark_values(numeric, school) == ["5", "4", "3", "2", "н/а", "осв"]
    assert rules.period_mark_values(pass_fail, school) == ["зач", "незач", "н/а", "осв"]
    school.allow_mark_one = True
    assert "1" in rules.mark_values(numeric, school) and "1" in rules.period_mark_values(numeric, school)
    assert entries.allowed_mark_values is rules.mark_values
    assert period_marks.allowed_values is rules.period_mark_values
    assert period_marks.window is rules.period_marks_window


@pytest.mark.parametrize(
    "typed, code",
    [
        ("н", "н"),
        ("n", "н"),
        ("y", "н"),  # the Russian layout's «н» key
        ("b", "б"),
        ("УП", "уп"),
        ("up", "уп"),
        ("eg", "уп"),
        ("np", "нп"),
        ("yg", "нп"),
        ("op", "оп"),
        ("jg", "оп"),
        (" Оп ", "оп"),
    ],
)
def test_parse_attendance_reads_both_key_tables(typed, code):
    assert rules.parse_attendance(typed) == code


def test_the_grid_gets_codes_and_aliases_from_the_rules(world, client_for, school_day):
    html = (
        client_for(world.teacher)
        .get(reverse("journal:grid", kwargs={"pk": world.assignment.pk}), follow=True)
        .content.decode()
    )
    assert '<script id="grid-config" type="application/json">' in html
    config = rules.grid_config()
    assert config["attendance_codes"] == ["н", "б", "уп", "нп", "оп"]
    assert all(rules.parse_attendance(k) == v for k, v in config["key_aliases"].items())
    import json
    import re

    payload = re.search(r'<script id="grid-config" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(payload) == config


def test_grid_js_has_no_table_of_its_own():
    js = (Path(settings.BASE_DIR) / "static" / "js" / "grid.js").read_text(encoding="utf-8")
    assert "grid-config" in js
    assert '["н", "б", "уп", "нп", "оп"]' not in js
    assert 'n: "н"' not in js
