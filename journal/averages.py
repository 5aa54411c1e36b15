"""Weighted average of marks and the suggested period mark (docs/DESIGN.md §3.14).

Boundaries 2.5 → 3, 3.5 → 4, 4.5 → 5 (3.49 → 3, 3.50 → 4): ordinary half-up
rounding, done in Decimal so that 3.5 is exactly 3.5. One implementation for the
journal, the diary and the reports.
"""

from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def weighted_average(marks) -> Decimal | None:
    """`marks`: iterable of (value, weight); non-numeric values (зачёт) are ignored.

    Returns the average rounded to 2 decimals, or None when there is no numeric mark.
    """
    total = Decimal(0)
    weights = Decimal(0)
    for value, weight in marks:
        if isinstance(value, str):
            if not value.isdigit():
                continue
            value = int(value)
        w = Decimal(weight)
        total += Decimal(value) * w
        weights += w
    if not weights:
        return None
    return (total / weights).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def suggested_mark(average: Decimal | None) -> int | None:
    """The period mark the boundaries suggest for a (2-decimal) average."""
    if average is None:
        return None
    return int(Decimal(average).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def marks_needed_for(target: int, marks, weight=Decimal(1), limit=30) -> int | None:
    """How many more marks `target` (with `weight`) lift the suggestion to `target`.

    0 when already there, None when unreachable within `limit` marks. Used for the
    forecast in words ("для «5» нужно ещё …").
    """
    marks = list(marks)
    for extra in range(limit + 1):
        avg = weighted_average(marks + [(target, weight)] * extra)
        if avg is not None and suggested_mark(avg) >= target:
            return extra
    return None
