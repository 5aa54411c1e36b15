"""The standard class metrics (docs/DESIGN.md §3.19) against hand-computed figures.

Успеваемость = pupils with no «2»/«н/а» ÷ N × 100 %; Качество = pupils with only «4»/«5» ÷ N × 100 %;
СОУ = (n5·1 + n4·0,64 + n3·0,36 + n2·0,16 + n_na·0,07) ÷ N × 100 %; Средний балл = mean of numeric
marks. Percentages are rounded half-up to one decimal, the average to two.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from reports import metrics as M
from reports.builders import marks as B

from . import factories as F
from .reports_data import build_report_class


def figures(m):
    return (m.pass_rate, m.quality, m.sou, m.average)


# --- one subject -------------------------------------------------------------------------


def test_mathematics_of_the_fixture_class():
    m = M.subject_metrics(["5", "4", "3", "2"])
    assert (m.n, m.n5, m.n4, m.n3, m.n2, m.n_na) == (4, 1, 1, 1, 1, 0)
    # pass 3/4 = 75,0; quality 2/4 = 50,0; СОУ (1 + 0,64 + 0,36 + 0,16)/4 = 2,16/4 = 54,0;
    # average (5 + 4 + 3 + 2)/4 = 3,50
    assert figures(m) == (D("75.0"), D("50.0"), D("54.0"), D("3.50"))


def test_not_assessed_counts_in_n_fails_and_weighs_007():
    m = M.subject_metrics(["5", "5", "4", "н/а"])
    assert (m.n, m.n_na) == (4, 1)
    # pass 3/4 = 75,0 (н/а fails); quality 3/4 = 75,0;
    # СОУ (1 + 1 + 0,64 + 0,07)/4 = 2,71/4 = 67,75 → 67,8 (half up);
    # average over the numeric marks only: 14/3 = 4,666… → 4,67
    assert figures(m) == (D("75.0"), D("75.0"), D("67.8"), D("4.67"))


def test_only_not_assessed_gives_zero_pass_rate_and_no_average():
    m = M.subject_metrics(["н/а", "н/а"])
    # pass 0/2, quality 0/2, СОУ 2·0,07/2 = 7,0; no numeric mark → no average
    assert figures(m) == (D("0.0"), D("0.0"), D("7.0"), None)


def test_exempt_pupils_leave_n():
    m = M.subject_metrics(["5", "осв", "3"])
    assert (m.enrolled, m.n_exempt, m.n) == (3, 1, 2)
    # N = 3 − 1 = 2: pass 2/2 = 100,0; quality 1/2 = 50,0; СОУ (1 + 0,36)/2 = 68,0; average 8/2 = 4,00
    assert figures(m) == (D("100.0"), D("50.0"), D("68.0"), D("4.00"))


def test_pupil_without_a_mark_counts_in_n_only():
    m = M.subject_metrics(["5", None, "4"])
    assert (m.n, m.n_missing) == (3, 1)
    # pass 2/3 = 66,66… → 66,7; quality 66,7; СОУ 1,64/3 = 54,66… → 54,7; average 9/2 = 4,50
    assert figures(m) == (D("66.7"), D("66.7"), D("54.7"), D("4.50"))


def test_one_fails_and_weighs_like_two():
    m = M.subject_metrics(["1", "5"])
    assert m.n2 == 1
    # pass 1/2 = 50,0; quality 1/2 = 50,0; СОУ (0,16 + 1)/2 = 58,0; average 6/2 = 3,00
    assert figures(m) == (D("50.0"), D("50.0"), D("58.0"), D("3.00"))


def test_rounding_is_half_up_not_bankers():
    m = M.subject_metrics(["5"] + ["3"] * 15)
    # quality 1/16 = 6,25 → 6,3 (banker's rounding would give 6,2);
    # СОУ (1 + 15·0,36)/16 = 6,4/16 = 40,0; average 50/16 = 3,125 → 3,13 (not 3,12)
    assert figures(m) == (D("100.0"), D("6.3"), D("40.0"), D("3.13"))


def test_pass_fail_subject_has_pass_rate_only():
    m = M.subject_metrics(["зач", "зач", "незач", "осв"], pass_fail=True)
    assert (m.n, m.n_pass, m.n_fail) == (3, 2, 1)
    # pass 2/3 = 66,7; quality, СОУ and the average do not apply
    assert figures(m) == (D("66.7"), None, None, None)


@pytest.mark.parametrize(
    "values",
    [
        [],  # an empty class
        [None, None, None],  # nothing graded yet (a period still ahead)
        ["осв", "осв"],  # everybody exempt: N = 0
    ],
)
def test_no_pupils_to_attest_gives_no_figures_and_no_division_by_zero(values):
    m = M.subject_metrics(values)
    assert figures(m) == (None, None, None, None)


def test_percent_and_mean_of_nothing_are_none():
    assert M.percent(0, 0) is None
    assert M.percent(3, 0) is None
    assert M.mean([]) is None


# --- a pupil's standing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marks", "category"),
    [
        (["5", "5"], M.Category.EXCELLENT),
        (["4", "5"], M.Category.GOOD),
        (["3", "4", "5"], M.Category.ONE_THREE),
        (["3", "3", "5"], M.Category.SATISFACTORY),
        (["зач", "зач"], M.Category.SATISFACTORY),
        (["2", "5"], M.Category.FAILING),
        (["1", "5"], M.Category.FAILING),
        (["незач", "5"], M.Category.FAILING),
        (["2", "н/а"], M.Category.NOT_ATTESTED),
        (["5", None], M.Category.NOT_ATTESTED),
        (["5", "осв"], M.Category.EXCELLENT),
        (["осв", "осв"], M.Category.NO_MARKS),
        ([], M.Category.NO_MARKS),
    ],
)
def test_pupil_category(marks, category):
    assert M.pupil_category(marks) == category


# --- the class over all subjects ----------------------------------------------------------

FIXTURE_PUPILS = {
    "ivanova": ["5", "5"],  # mathematics, Russian
    "petrov": ["4", "5"],
    "smirnov": ["3", "4"],
    "kuznetsov": ["2", "н/а"],
}


def test_class_metrics_of_the_fixture_class():
    cm = M.class_metrics(FIXTURE_PUPILS, FIXTURE_PUPILS.keys())
    assert (cm.enrolled, cm.n) == (4, 4)
    assert cm.categories == {
        M.Category.EXCELLENT: 1,
        M.Category.GOOD: 1,
        M.Category.ONE_THREE: 1,
        M.Category.NOT_ATTESTED: 1,
    }
    # pass: 3 of 4 pupils without «2»/«н/а» = 75,0; quality: Иванова and Петров = 2/4 = 50,0;
    # СОУ over the 8 marks 5,5,4,5,3,4,2,н/а: (1+1+0,64+1+0,36+0,64+0,16+0,07)/8 = 4,87/8 = 60,875 → 60,9;
    # average over the 7 numeric marks: 28/7 = 4,00
    assert figures(cm) == (D("75.0"), D("50.0"), D("60.9"), D("4.00"))


def test_class_metrics_leave_out_pupils_exempt_from_everything():
    cm = M.class_metrics({"a": ["5", "4"], "b": ["осв", "осв"]}, ["a", "b"])
    # N = 2 − 1 (no marks to judge) = 1: pass 1/1, quality 1/1; СОУ (1 + 0,64)/2 = 82,0; average 9/2 = 4,50
    assert cm.n == 1
    assert figures(cm) == (D("100.0"), D("100.0"), D("82.0"), D("4.50"))


def test_class_metrics_of_an_empty_class():
    cm = M.class_metrics({}, [])
    assert (cm.enrolled, cm.n) == (0, 0)
    assert figures(cm) == (None, None, None, None)


def test_class_metrics_before_anything_is_graded_show_no_figures():
    # A period still ahead: four pupils, two subjects, no marks. No figure at all — an СОУ of
    # 0,0 % next to «—» for pass rate and quality would read as a class that failed everything.
    marks = {p: [None, None] for p in FIXTURE_PUPILS}
    cm = M.class_metrics(marks, marks.keys())
    assert cm.n == 0
    assert figures(cm) == (None, None, None, None)


# --- the builders count the right pupils (real database) ----------------------------------


def test_period_columns_count_the_pupils_enrolled_at_the_period_end(world):
    rc = build_report_class(world)
    data = B.ClassMarks([rc.klass], rc.q1.start, rc.q1.end)
    # On 24.10 Левин (left 01.10, «5» in mathematics, no Russian mark) is no longer counted.
    maths = data.column_metrics(rc.klass, rc.maths.subject, rc.q1, rc.q1.end)
    russian = data.column_metrics(rc.klass, rc.russian.subject, rc.q1, rc.q1.end)
    assert figures(maths) == (D("75.0"), D("50.0"), D("54.0"), D("3.50"))
    assert figures(russian) == (D("75.0"), D("75.0"), D("67.8"), D("4.67"))


def test_class_results_while_the_period_runs_count_a_pupil_still_enrolled(world):
    rc = build_report_class(world)
    # Built on 15.09.2026: Левин is still in the class and counts in N of both subjects.
    report = B.class_results(rc.klass, rc.q1, today=date(2026, 9, 15))
    rows = {r.values[0]: r.values for r in report.parts[0].blocks[0].rows}
    # Математика 5,4,3,2,5: N 5; pass 4/5 = 80,0; quality 3/5 = 60,0;
    # СОУ (2·1 + 0,64 + 0,36 + 0,16)/5 = 3,16/5 = 63,2; average 19/5 = 3,80
    assert rows["Математика"][2] == 5
    assert rows["Математика"][9:] == [D("80.0"), D("60.0"), D("63.2"), D("3.80")]
    # Русский язык 5,5,4,н/а and Левин without a mark: N 5; pass 3/5 = 60,0; quality 3/5 = 60,0;
    # СОУ 2,71/5 = 54,2; average 14/3 = 4,67
    assert rows["Русский язык"][2] == 5
    assert rows["Русский язык"][9:] == [D("60.0"), D("60.0"), D("54.2"), D("4.67")]


def test_class_results_of_an_empty_class(world):
    empty = F.ClassFactory(year=world.year, grade=6, letter="В")
    F.AssignmentFactory(school_class=empty, subject=world.subject)
    q1 = world.year.periods.get(scheme="quarter", number=1)
    report = B.class_results(empty, q1, today=date(2026, 11, 23))
    table = report.parts[0].blocks[0]
    (maths,) = table.rows
    assert maths.values[0] == "Математика"
    assert maths.values[2:9] == [0, 0, 0, 0, 0, 0, 0]  # pupils; 5, 4, 3, 2, н/а, осв
    assert maths.values[9:] == [None, None, None, None]
    (total,) = table.foot
    assert total.values[2] == 0 and total.values[9:] == [None, None, None, None]
