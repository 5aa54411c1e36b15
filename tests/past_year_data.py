"""A past school year of the `world`'s school (built only through tests/factories.py).

2025/2026 (01.09.2025–31.05.2026): class 4А (class teacher Орлова), mathematics taught by
Соколов. Мария Иванова was in 4А and was promoted to 5А on 31.05.2026; Глеб Титов was in
4А and left the school with the year. Their marks of that year:

    pupil            1 четверть   год
    Иванова Мария        4         5
    Титов Глеб           3         4

The current year (2026/2027) has no 4А: the past year's reports show the class as it was.
"""

from dataclasses import dataclass
from datetime import date

from journal.models import PeriodMark, StudyPeriod

from . import factories as F


@dataclass
class PastYear:
    year: object
    klass: object  # 4А of 2025/2026
    maths: object  # assignment
    leaver: object  # Титов Глеб


def build_past_year(world) -> PastYear:
    school = world.school
    year = F.YearFactory(school=school, name="2025/2026", start=date(2025, 9, 1), end=date(2026, 5, 31))
    klass = F.ClassFactory(year=year, grade=4, letter="А", class_teacher=world.class_teacher)
    maths = F.AssignmentFactory(school_class=klass, subject=world.subject, teacher=world.teacher)
    F.EnrollmentFactory(
        school_class=klass,
        pupil=world.pupil,
        end=date(2026, 5, 31),
        end_reason="promoted",
        end_order="51-у",
        end_order_date=date(2026, 5, 29),
    )
    leaver = F.UserFactory(
        username="titov.g", last_name="Титов", first_name="Глеб", patronymic="", sex="m", school=school
    )
    F.EnrollmentFactory(
        school_class=klass,
        pupil=leaver,
        end=date(2026, 5, 31),
        end_reason="left",
        end_order="52-у",
        end_order_date=date(2026, 5, 29),
    )
    q1 = year.periods.get(scheme=StudyPeriod.Scheme.QUARTER, number=1)
    whole = year.periods.get(scheme=StudyPeriod.Scheme.YEAR)
    for pupil, q, y in ((world.pupil, "4", "5"), (leaver, "3", "4")):
        F.PeriodMarkFactory(assignment=maths, pupil=pupil, period=q1, value=q)
        F.PeriodMarkFactory(assignment=maths, pupil=pupil, period=whole, kind=PeriodMark.Kind.YEAR, value=y)
    return PastYear(year=year, klass=klass, maths=maths, leaver=leaver)
