"""The standard class metrics of docs/DESIGN.md §3.19, the one implementation every report uses.

N is the number of pupils to be attested: the pupils enrolled on the period's dates
(the caller decides which, see builders.common.enrolled_on) minus the exempt («осв»).
A pupil enrolled but without a period mark counts in N and in none of the numerators:
not having a mark is not being attested.

- Успеваемость = pupils with no «2»/«н/а» ÷ N × 100 %   («1» and «незач» fail like «2»)
- Качество     = pupils with only «4» and «5» ÷ N × 100 %
- СОУ          = (n5·1 + n4·0.64 + n3·0.36 + n2·0.16 + n_na·0.07) ÷ N × 100 %
                 («1» is weighted with the unsatisfactory «2»)
- Средний балл = mean of the numeric marks

Percentages are rounded half-up to one decimal, the average to two; an empty class
gives None (printed «—»), never a division by zero.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from journal.models import PeriodMark

# The period-mark values as stored (plain strings: they key Counters of database values).
NA = PeriodMark.Value.NOT_ATTESTED.value
EXEMPT = PeriodMark.Value.EXEMPT.value
PASS = PeriodMark.Value.PASS.value
FAIL = PeriodMark.Value.FAIL.value
NUMERIC = ("5", "4", "3", "2", "1")
FAILING = frozenset({"2", "1", FAIL})
GOOD = frozenset({"5", "4"})
SOU_WEIGHTS = {"5": Decimal(1), "4": Decimal("0.64"), "3": Decimal("0.36"), "2": Decimal("0.16"), "1": Decimal("0.16")}
SOU_NA = Decimal("0.07")
ONE = Decimal("0.1")
TWO = Decimal("0.01")


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE, rounding=ROUND_HALF_UP)


def mean(values: Iterable[int]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(TWO, rounding=ROUND_HALF_UP)


def _norm(value):
    return None if value in (None, "") else str(value)


@dataclass(frozen=True)
class SubjectMetrics:
    """A subject's period marks in a class: counts and the four metrics."""

    enrolled: int
    n5: int
    n4: int
    n3: int
    n2: int  # «2» and «1»
    n_na: int
    n_pass: int  # «зач»
    n_fail: int  # «незач»
    n_exempt: int
    n_missing: int  # enrolled, no mark yet
    pass_rate: Decimal | None
    quality: Decimal | None
    sou: Decimal | None
    average: Decimal | None

    @property
    def n(self) -> int:
        """N: pupils to be attested."""
        return self.enrolled - self.n_exempt


def subject_metrics(marks: Iterable, *, pass_fail: bool = False) -> SubjectMetrics:
    """`marks`: one value per enrolled pupil (None when the pupil has no mark).

    When no pupil has a mark yet, N is taken as 0 and every figure is None.

    For a pass/fail subject quality, СОУ and the average do not apply (None).
    """
    marks = [_norm(m) for m in marks]
    c = Counter(marks)
    enrolled = len(marks)
    n = enrolled - c[EXEMPT]
    n2 = c["2"] + c["1"]
    passed = c["5"] + c["4"] + c["3"] + c[PASS]
    numeric = [int(m) for m in marks if m in NUMERIC]
    if c[None] == enrolled:
        # Nothing graded yet (a period still ahead): no figures rather than 0 %.
        n = 0
    if pass_fail:
        quality = sou = average = None
    else:
        quality = percent(c["5"] + c["4"], n)
        sou_sum = sum((SOU_WEIGHTS[m] * c[m] for m in NUMERIC), Decimal(0)) + SOU_NA * c[NA]
        sou = percent(sou_sum, n) if n else None
        average = mean(numeric)
    return SubjectMetrics(
        enrolled=enrolled,
        n5=c["5"],
        n4=c["4"],
        n3=c["3"],
        n2=n2,
        n_na=c[NA],
        n_pass=c[PASS],
        n_fail=c[FAIL],
        n_exempt=c[EXEMPT],
        n_missing=c[None],
        pass_rate=percent(passed, n),
        quality=quality,
        sou=sou,
        average=average,
    )


class Category(models.TextChoices):
    """A pupil's standing for the period over all subjects (class reports); reports show `.label`."""

    EXCELLENT = "excellent", _("отличник")  # only «5»
    GOOD = "good", _("хорошист")  # only «4» and «5», at least one «4»
    ONE_THREE = "one_three", _("с одной «3»")  # one «3», the rest «4»/«5»
    SATISFACTORY = "satisfactory", _("успевает")  # passes, with «3»
    FAILING = "failing", _("неуспевающий")  # a «2», «1» or «незач»
    NOT_ATTESTED = "not_attested", _("не аттестован")  # an «н/а» or a missing mark
    NO_MARKS = "no_marks", _("без отметок")  # nothing to judge (all exempt, or no subjects)


def pupil_category(marks: Iterable) -> Category:
    """`marks`: the pupil's period marks, one per subject (None = no mark)."""
    marks = [_norm(m) for m in marks]
    judged = [m for m in marks if m != EXEMPT]
    if not judged:
        return Category.NO_MARKS
    if any(m is None or m == NA for m in judged):
        return Category.NOT_ATTESTED
    if any(m in FAILING for m in judged):
        return Category.FAILING
    numeric = [m for m in judged if m in NUMERIC]
    if not numeric:
        return Category.SATISFACTORY  # only «зач»
    threes = numeric.count("3")
    if threes == 0:
        return Category.EXCELLENT if all(m == "5" for m in numeric) else Category.GOOD
    return Category.ONE_THREE if threes == 1 else Category.SATISFACTORY


@dataclass(frozen=True)
class ClassMetrics:
    """The class over all subjects: a pupil passes when no subject fails him."""

    enrolled: int
    n: int
    categories: dict  # Category → number of pupils
    pass_rate: Decimal | None
    quality: Decimal | None
    sou: Decimal | None
    average: Decimal | None


def class_metrics(marks_by_pupil: dict, pupils: Iterable) -> ClassMetrics:
    """`marks_by_pupil`: pupil → list of marks (one per subject). `pupils`: the enrolled.

    Pass rate and quality count pupils (docs/DESIGN.md §3.19); СОУ and the average run over
    all the pupils' subject marks, which is how the class-wide СОУ is read.
    """
    pupils = list(pupils)
    cats = Counter(pupil_category(marks_by_pupil.get(p, [])) for p in pupils)
    n = len(pupils) - cats[Category.NO_MARKS]
    if all(m is None for p in pupils for m in marks_by_pupil.get(p, [])):
        n = 0  # nothing graded yet: no figures rather than 0 %
    passed = cats[Category.EXCELLENT] + cats[Category.GOOD] + cats[Category.ONE_THREE] + cats[Category.SATISFACTORY]
    good = cats[Category.EXCELLENT] + cats[Category.GOOD]
    all_marks = [_norm(m) for p in pupils for m in marks_by_pupil.get(p, [])]
    judged = [m for m in all_marks if m not in (EXEMPT, PASS, FAIL)]
    sou_sum = sum((SOU_WEIGHTS.get(m, Decimal(0)) for m in judged), Decimal(0)) + SOU_NA * judged.count(NA)
    return ClassMetrics(
        enrolled=len(pupils),
        n=n,
        categories=dict(cats),
        pass_rate=percent(passed, n),
        quality=percent(good, n),
        sou=percent(sou_sum, len(judged)) if judged and n else None,
        average=mean(int(m) for m in judged if m in NUMERIC),
    )
