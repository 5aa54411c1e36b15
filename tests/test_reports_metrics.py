"""The metrics of DESIGN §3 against numbers computed by hand (reports.metrics)."""

from decimal import Decimal as D

from reports.metrics import Category, class_metrics, pupil_category, subject_metrics


def test_subject_metrics_with_na_and_an_exempt_pupil():
    # 6 enrolled, one «осв» → N = 5; marks 5, 4, 3, 2, н/а
    m = subject_metrics(["5", "4", "3", "2", "н/а", "осв"])
    assert (m.n, m.n5, m.n4, m.n3, m.n2, m.n_na, m.n_exempt) == (5, 1, 1, 1, 1, 1, 1)
    assert m.pass_rate == D("60.0")  # 3 of 5 without «2»/«н/а»
    assert m.quality == D("40.0")  # 2 of 5 with only «4»/«5»
    assert m.sou == D("44.6")  # (1 + 0.64 + 0.36 + 0.16 + 0.07) / 5 = 0.446
    assert m.average == D("3.50")  # (5 + 4 + 3 + 2) / 4, «н/а» is not a number


def test_a_pupil_without_a_mark_counts_in_n_only():
    m = subject_metrics(["5", "5", None])
    assert m.n == 3 and m.n_missing == 1
    assert m.pass_rate == D("66.7")  # 2/3 = 66.67
    assert m.quality == D("66.7")
    assert m.sou == D("66.7")
    assert m.average == D("5.00")


def test_rounding_is_half_up_not_to_even():
    # average (3 + 7 × 2) / 8 = 2.125 → 2.13 (to even would give 2.12)
    assert subject_metrics(["3"] + ["2"] * 7).average == D("2.13")
    # pass rate 1 / 16 = 6.25 % → 6.3 (to even would give 6.2)
    assert subject_metrics(["3"] + ["2"] * 15).pass_rate == D("6.3")
    # СОУ (0.36 + 7 × 0.16) / 8 = 1.48 / 8 = 18.5 %
    assert subject_metrics(["3"] + ["2"] * 7).sou == D("18.5")


def test_empty_class_and_nothing_graded_give_no_figures():
    for marks in ([], [None, None], ["осв", "осв"]):
        m = subject_metrics(marks)
        assert (m.pass_rate, m.quality, m.sou, m.average) == (None, None, None, None), marks
    c = class_metrics({}, [])
    assert (c.n, c.pass_rate, c.quality, c.sou, c.average) == (0, None, None, None, None)
    c = class_metrics({"a": [None, None], "b": [None, None]}, ["a", "b"])
    assert (c.pass_rate, c.quality, c.sou, c.average) == (None, None, None, None)


def test_pass_fail_subject():
    m = subject_metrics(["зач", "зач", "незач", "осв"], pass_fail=True)
    assert m.n == 3 and m.n_pass == 2 and m.n_fail == 1
    assert m.pass_rate == D("66.7")
    assert (m.quality, m.sou, m.average) == (None, None, None)


def test_pupil_categories():
    assert pupil_category(["5", "5", "осв"]) == Category.EXCELLENT
    assert pupil_category(["5", "4"]) == Category.GOOD
    assert pupil_category(["5", "3", "4"]) == Category.ONE_THREE
    assert pupil_category(["3", "3", "5"]) == Category.SATISFACTORY
    assert pupil_category(["5", "2"]) == Category.FAILING
    assert pupil_category(["5", "незач"]) == Category.FAILING
    assert pupil_category(["5", "н/а"]) == Category.NOT_ATTESTED
    assert pupil_category(["5", None]) == Category.NOT_ATTESTED
    assert pupil_category(["осв"]) == Category.NO_MARKS


def test_class_metrics_count_pupils():
    marks = {
        "a": ["5", "5"],  # excellent
        "b": ["4", "5"],  # good
        "c": ["3", "4"],  # one «3»
        "d": ["2", "н/а"],  # not attested (н/а wins over the «2»)
    }
    c = class_metrics(marks, ["a", "b", "c", "d"])
    assert c.n == 4
    assert c.pass_rate == D("75.0")  # a, b, c
    assert c.quality == D("50.0")  # a, b
    # over the 8 subject marks: (3 × 1 + 2 × 0.64 + 0.36 + 0.16 + 0.07) / 8 = 4.87 / 8 = 0.60875
    assert c.sou == D("60.9")
    assert c.average == D("4.00")  # 28 / 7
