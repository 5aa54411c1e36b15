"""Dated rows: `on`, `overlapping`, `current` on the boundary days, and the SQL twin
of the journal roster agreeing with its Python twin on the same rows."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection

from journal.models import AcademicYear, Enrollment, StudyPeriod
from journal.models.dated import ROSTER, covers, on_sql, overlaps

from . import factories as F

START, END = date(2026, 10, 5), date(2026, 11, 20)


@pytest.fixture
def stays(db):
    """One class: a closed stay [START, END], an open-ended one from START, one that starts later."""
    klass = F.ClassFactory()
    closed = F.EnrollmentFactory(school_class=klass, start=START, end=END)
    open_ = F.EnrollmentFactory(school_class=klass, start=START)
    later = F.EnrollmentFactory(school_class=klass, start=END + timedelta(days=1))
    return klass, closed, open_, later


def ids(qs):
    return set(qs.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "day, expected",
    [
        (START - timedelta(days=1), set()),
        (START, {"closed", "open"}),
        (END, {"closed", "open"}),
        (END + timedelta(days=1), {"open", "later"}),
        (date(2027, 5, 31), {"open", "later"}),
    ],
)
def test_on_boundary_days(stays, day, expected):
    _klass, closed, open_, later = stays
    names = {closed.pk: "closed", open_.pk: "open", later.pk: "later"}
    got = {names[pk] for pk in ids(Enrollment.objects.on(day))}
    assert got == expected
    # The in-memory twin says the same for each row.
    assert {names[e.pk] for e in (closed, open_, later) if e.covers(day)} == expected


@pytest.mark.parametrize(
    "lo, hi, expected",
    [
        (START - timedelta(days=10), START - timedelta(days=1), set()),
        (START - timedelta(days=10), START, {"closed", "open"}),
        (END, END, {"closed", "open"}),
        (END + timedelta(days=1), END + timedelta(days=3), {"open", "later"}),
        (START, END + timedelta(days=1), {"closed", "open", "later"}),
    ],
)
def test_overlapping_boundaries(stays, lo, hi, expected):
    _klass, closed, open_, later = stays
    names = {closed.pk: "closed", open_.pk: "open", later.pk: "later"}
    assert {names[pk] for pk in ids(Enrollment.objects.overlapping(lo, hi))} == expected
    assert {names[e.pk] for e in (closed, open_, later) if e.overlaps(lo, hi)} == expected


def test_current_is_on_today(stays):
    _klass, closed, open_, _later = stays
    with time_machine.travel(date(2026, 11, 21)):
        assert ids(Enrollment.objects.current()) == {open_.pk, _later.pk}
    with time_machine.travel(END):
        assert ids(Enrollment.objects.current()) == {closed.pk, open_.pk}


def test_on_q_through_a_relation(stays):
    klass, *_ = stays
    from django.db.models import Count

    row = (
        type(klass)
        .objects.filter(pk=klass.pk)
        .annotate(n=Count("enrollments", filter=Enrollment.objects.on_q(END, "enrollments__")))
        .get()
    )
    assert row.n == 2


def test_years_and_periods_use_the_same_rule(db):
    year = F.YearFactory()
    assert list(AcademicYear.objects.on(year.start)) == [year]
    assert list(AcademicYear.objects.on(year.start - timedelta(days=1))) == []
    q1 = StudyPeriod.objects.get(year=year, scheme="quarter", number=1)
    assert q1 in StudyPeriod.objects.on(q1.end)
    assert q1 not in StudyPeriod.objects.on(q1.end + timedelta(days=1))
    assert q1 in StudyPeriod.objects.overlapping(q1.end, q1.end + timedelta(days=30))


def test_plain_functions():
    assert covers(START, None, START) and covers(START, END, END)
    assert not covers(START, END, END + timedelta(days=1)) and not covers(START, None, START - timedelta(days=1))
    assert overlaps(START, END, END, END + timedelta(days=5)) and not overlaps(START, END, END + timedelta(days=1), END)


def _sql_roster(assignment, day):
    sql = f"SELECT e.pupil_id FROM journal_teachingassignment a CROSS JOIN LATERAL (SELECT e.pupil_id FROM {ROSTER.format(day='%(day)s')}) e WHERE a.id = %(a)s"
    with connection.cursor() as cur:
        cur.execute(sql, {"a": assignment.pk, "day": day})
        return {r[0] for r in cur.fetchall()}


def _sql_on(day):
    with connection.cursor() as cur:
        cur.execute(f"SELECT e.id FROM journal_enrollment e WHERE {on_sql('e', '%(day)s')}", {"day": day})
        return {r[0] for r in cur.fetchall()}


def test_roster_sql_and_python_agree(stays):
    """ROSTER (raw SQL of the deadline checks) and Enrollment.objects.roster() give the same pupils."""
    klass, closed, open_, later = stays
    # A pupil who left and came back, and a group with two of the pupils.
    back = F.EnrollmentFactory(school_class=klass, start=START, end=START + timedelta(days=3))
    F.EnrollmentFactory(school_class=klass, pupil=back.pupil, start=START + timedelta(days=10))
    group = F.GroupFactory(school_class=klass)
    F.GroupMembershipFactory(group=group, pupil=closed.pupil)
    F.GroupMembershipFactory(group=group, pupil=back.pupil)
    whole = F.AssignmentFactory(school_class=klass)
    grouped = F.AssignmentFactory(school_class=klass, group=group, subject=whole.subject)
    days = [START + timedelta(days=n) for n in range(-1, (END - START).days + 3)]
    for assignment in (whole, grouped):
        for day in days:
            python = set(Enrollment.objects.roster(assignment, day).values_list("pupil_id", flat=True))
            assert _sql_roster(assignment, day) == python, (assignment, day)
    for day in days:
        assert _sql_on(day) == ids(Enrollment.objects.on(day)), day
    assert _sql_roster(grouped, START + timedelta(days=5)) == {closed.pupil_id}


def test_movement_over_a_range_adds_up(stays):
    """On the first day + arrived − left = on the last day, for any range."""
    klass, closed, open_, later = stays
    rows = [closed, open_, later]
    for lo, hi in [(START, END), (START - timedelta(days=1), END + timedelta(days=1)), (END, END + timedelta(days=5))]:
        arrived = sum(e.arrived_within(lo, hi) for e in rows)
        left = sum(e.left_within(lo, hi) for e in rows)
        assert sum(e.covers(lo) for e in rows) + arrived - left == sum(e.covers(hi) for e in rows), (lo, hi)
    assert later.arrived_within(END, END + timedelta(days=1)) and not later.arrived_within(START, END)
    assert closed.left_within(START, END + timedelta(days=1)) and not closed.left_within(START, END)
