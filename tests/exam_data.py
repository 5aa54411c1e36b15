"""A class with exams for the exam and final marks tests (built only through tests/factories.py).

9А of the `world`'s 2026/2027 year, class teacher Зайцева; Русский язык (order 1, taught by
Зайцева) and Математика (the world's subject, order 2, taught by Соколов). The marks of the
whole year (the year period), set in June:

    pupil            Русский язык         Математика
                     год  экз  итог       год  экз  итог
    Акимов Павел      4    3    4          4    5    5
    Борисова Юлия     5    5    5          3    3    3

Final marks by pupil: Акимов 4, 5 → хорошист; Борисова 5, 3 → с одной «3».
Final marks by subject: русский 4, 5 → успеваемость 100,0, качество 100,0, средний 4,50;
математика 5, 3 → 100,0, 50,0, 4,00. Акимов's mother is Акимова Вера.
"""

from dataclasses import dataclass

from journal.models import PeriodMark, StudyPeriod

from . import factories as F

MARKS = {
    # pupil: ((russian year, exam, final), (maths year, exam, final))
    "akimov": (("4", "3", "4"), ("4", "5", "5")),
    "borisova": (("5", "5", "5"), ("3", "3", "3")),
}
KINDS = (PeriodMark.Kind.YEAR, PeriodMark.Kind.EXAM, PeriodMark.Kind.FINAL)


@dataclass
class ExamClass:
    klass: object
    year_period: object
    maths: object  # assignment
    russian: object  # assignment
    pupils: dict
    parent: object
    class_teacher: object


def build_exam_class(world) -> ExamClass:
    school = world.school
    teacher = F.UserFactory(
        username="zaitseva", last_name="Зайцева", first_name="Ольга", patronymic="Петровна", school=school
    )
    klass = F.ClassFactory(year=world.year, grade=9, letter="А", class_teacher=teacher)
    world.subject.order = 2
    world.subject.save()
    russian_subject = F.SubjectFactory(school=school, name="Русский язык", short_name="Рус.", order=1)
    maths = F.AssignmentFactory(school_class=klass, subject=world.subject, teacher=world.teacher)
    russian = F.AssignmentFactory(school_class=klass, subject=russian_subject, teacher=teacher)

    def pupil(username, last, first, sex="m"):
        p = F.UserFactory(username=username, last_name=last, first_name=first, patronymic="", sex=sex, school=school)
        F.EnrollmentFactory(school_class=klass, pupil=p)
        return p

    pupils = {"akimov": pupil("akimov.p", "Акимов", "Павел"), "borisova": pupil("borisova.y", "Борисова", "Юлия", "f")}
    parent = F.UserFactory(
        username="akimova.v", last_name="Акимова", first_name="Вера", patronymic="", sex="f", school=school
    )
    F.GuardianshipFactory(parent=parent, child=pupils["akimov"])
    year_period = world.year.periods.get(scheme=StudyPeriod.Scheme.YEAR)
    for key, (rus, mat) in MARKS.items():
        for assignment, values in ((russian, rus), (maths, mat)):
            for kind, value in zip(KINDS, values, strict=True):
                F.PeriodMarkFactory(
                    assignment=assignment, pupil=pupils[key], period=year_period, kind=kind, value=value
                )
    return ExamClass(
        klass=klass,
        year_period=year_period,
        maths=maths,
        russian=russian,
        pupils=pupils,
        parent=parent,
        class_teacher=teacher,
    )
