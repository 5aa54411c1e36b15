"""A hand-computed fixture class for the report tests (built only through tests/factories.py).

5А of the `world`, first quarter (01.09–24.10.2026), period marks:

    pupil              Математика  Русский язык   standing
    Иванова Мария          5           5           отличник
    Петров Дмитрий         4           5           хорошист
    Смирнов Иван           3           4           с одной «3»
    Кузнецов Сергей        2          н/а          не аттестован
    Левин Олег (left 01.10) 5          —           not counted

Математика:   N=4, 5/4/3/2/н/а = 1/1/1/1/0, успеваемость 75,0, качество 50,0,
              СОУ (1+0,64+0,36+0,16)/4 = 54,0, средний балл 3,50
Русский язык: N=4, 5/4/3/2/н/а = 2/1/0/0/1, успеваемость 75,0, качество 75,0,
              СОУ (2+0,64+0,07)/4 = 67,75 → 67,8, средний балл 14/3 = 4,67
Класс:        успеваемость 3/4 = 75,0, качество 2/4 = 50,0,
              СОУ over 8 marks 4,87/8 = 60,875 → 60,9, средний балл 28/7 = 4,00

Attendance, November 2026 (lessons: математика 9, 10, 11.11 (1st); русский 9.11 (2nd)):
    Иванова 9.11 Б, Б (whole day, illness); 10.11 НП (whole day)
    Смирнов 9.11 УП at mathematics only; Петров 11.11 ОП (late)
    → Иванова: days 2 (ill 1), lessons 3 (Б 2, НП 1); Смирнов: lessons 1 (УП 1); Петров: late 1
    → totals: days 2, ill days 1, lessons 4, Б 2, УП 1, НП 1, Н 0, late 1
"""

from dataclasses import dataclass
from datetime import date

from journal.models import StudyPeriod

from . import factories as F


@dataclass
class ReportClass:
    klass: object
    q1: object
    maths: object  # assignment
    russian: object  # assignment
    pupils: dict


def build_report_class(world) -> ReportClass:
    school, klass = world.school, world.klass
    q1 = world.year.periods.get(scheme=StudyPeriod.Scheme.QUARTER, number=1)
    maths = world.assignment
    russian = F.AssignmentFactory(
        school_class=klass, subject=F.SubjectFactory(school=school, name="Русский язык", order=1)
    )
    world.subject.order = 2
    world.subject.save()

    def pupil(username, last, first, sex="m", **kw):
        p = F.UserFactory(username=username, last_name=last, first_name=first, patronymic="", sex=sex, school=school)
        F.EnrollmentFactory(school_class=klass, pupil=p, **kw)
        return p

    pupils = {
        "ivanova": world.pupil,
        "petrov": pupil("petrov.d", "Петров", "Дмитрий"),
        "smirnov": pupil("smirnov.i", "Смирнов", "Иван"),
        "kuznetsov": pupil("kuznetsov.s", "Кузнецов", "Сергей"),
        "levin": pupil("levin.o", "Левин", "Олег", end=date(2026, 10, 1), end_reason="left", end_order="44-у"),
    }
    marks = {
        "ivanova": ("5", "5"),
        "petrov": ("4", "5"),
        "smirnov": ("3", "4"),
        "kuznetsov": ("2", "н/а"),
        "levin": ("5", None),
    }
    for key, (m, r) in marks.items():
        F.PeriodMarkFactory(assignment=maths, pupil=pupils[key], period=q1, value=m)
        if r:
            F.PeriodMarkFactory(assignment=russian, pupil=pupils[key], period=q1, value=r)

    bell2 = F.BellFactory(school=school, number=2)
    rus_lesson = F.LessonFactory(assignment=russian, date=date(2026, 11, 9), bell=bell2)
    m9, m10, m11 = world.lessons
    for lesson, key, code in (
        (m9, "ivanova", "б"),
        (rus_lesson, "ivanova", "б"),
        (m10, "ivanova", "нп"),
        (m9, "smirnov", "уп"),
        (m11, "petrov", "оп"),
    ):
        F.AttendanceFactory(lesson=lesson, pupil=pupils[key], code=code)
    return ReportClass(klass=klass, q1=q1, maths=maths, russian=russian, pupils=pupils)
