"""Weighted averages and the suggested mark, property-tested against a plain reference."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from journal.averages import marks_needed_for, suggested_mark, weighted_average

marks = st.sampled_from(["2", "3", "4", "5"])
weights = st.sampled_from([Decimal(x) / 10 for x in range(1, 100)])
mark_lists = st.lists(st.tuples(marks, weights), min_size=1, max_size=40)


def reference_average(pairs):
    """Exact rational arithmetic, then rounding half up to hundredths by hand."""
    total = sum(Fraction(int(v)) * Fraction(w) for v, w in pairs)
    avg = total / sum(Fraction(w) for _, w in pairs)
    hundredths = avg * 100
    whole = hundredths.numerator // hundredths.denominator
    if hundredths - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 100)


def reference_suggestion(avg: Fraction):
    """The school's boundaries, literally: below 2.5 → 2, below 3.5 → 3, below 4.5 → 4, else 5."""
    if avg < Fraction(5, 2):
        return 2
    if avg < Fraction(7, 2):
        return 3
    if avg < Fraction(9, 2):
        return 4
    return 5


@given(mark_lists)
def test_weighted_average_matches_the_exact_reference(pairs):
    assert Fraction(weighted_average(pairs)) == reference_average(pairs)


@given(mark_lists)
def test_suggested_mark_follows_the_boundaries(pairs):
    avg = weighted_average(pairs)
    assert suggested_mark(avg) == reference_suggestion(Fraction(avg))


@given(mark_lists, st.lists(st.sampled_from(["зач", "незач", "н"]), max_size=5))
def test_non_numeric_marks_do_not_count(pairs, others):
    assert weighted_average(pairs + [(o, Decimal(3)) for o in others]) == weighted_average(pairs)


@given(mark_lists, st.sampled_from([3, 4, 5]))
def test_marks_needed_reaches_the_target_and_no_fewer_would(pairs, target):
    n = marks_needed_for(target, pairs, limit=30)
    if n is None:  # unreachable within the limit: even 30 more marks fall short
        assert suggested_mark(weighted_average(pairs + [(target, 1)] * 30)) < target
        return
    assert suggested_mark(weighted_average(pairs + [(target, 1)] * n)) >= target
    if n:
        assert suggested_mark(weighted_average(pairs + [(target, 1)] * (n - 1))) < target


def test_the_boundaries_of_design_section_3():
    assert suggested_mark(Decimal("3.49")) == 3
    assert suggested_mark(Decimal("3.50")) == 4
    assert suggested_mark(Decimal("4.5")) == 5
    assert suggested_mark(Decimal("4.49")) == 4
    assert suggested_mark(Decimal("2.5")) == 3
    assert suggested_mark(Decimal("2.49")) == 2
    assert suggested_mark(None) is None


def test_weights_change_the_average():
    # 5 in a test (weight 2) and 3 in an oral answer (weight 1): (10 + 3) / 3 = 4.33 → 4
    assert weighted_average([("5", Decimal(2)), ("3", Decimal(1))]) == Decimal("4.33")
    # the same marks, equal weights: 4.00
    assert weighted_average([("5", 1), ("3", 1)]) == Decimal("4.00")
    # 3.495 rounds to 3.50 first, which suggests 4 (two decimals are what the teacher sees)
    assert weighted_average([("3", Decimal("0.1"))] * 101 + [("4", Decimal("0.1"))] * 99) == Decimal("3.50")
    assert weighted_average([("зач", 1)]) is None
