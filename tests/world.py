"""The named personas of docs/ARCHITECTURE.md ("Tests") in one small, fully linked school.

School «МБОУ СОШ № 1» (2026/2027, quarters), class 5А with class teacher Орлова,
mathematics taught in 5А by Соколов (`teacher`), pupil Мария Иванова in 5А whose
mother is `parent`; `other_parent` is the mother of Пётр Сидоров in 5Б. `deputy`,
`director` and `admin` hold their roles there. `outsider` is a deputy of another school
with its own class, pupil and lesson (`foreign_*`), which nobody here may see.

`add_teacher_parent(world)` adds one more persona on demand (kept out of the default
world so class sizes and staff counts elsewhere stay as they are).
"""

from dataclasses import dataclass
from datetime import date

from accounts.models import RoleAssignment

from . import factories as F


@dataclass
class World:
    school: object
    year: object
    klass: object  # 5А
    other_class: object  # 5Б
    subject: object
    assignment: object  # teacher × 5А × mathematics
    other_assignment: object  # another teacher × 5Б × mathematics
    lessons: list
    work_type: object
    teacher: object
    class_teacher: object
    pupil: object
    other_pupil: object
    parent: object
    other_parent: object
    deputy: object
    director: object
    admin: object
    outsider: object
    foreign_school: object
    foreign_class: object
    foreign_pupil: object
    foreign_assignment: object
    foreign_lesson: object

    @property
    def personas(self):
        return {
            "teacher": self.teacher,
            "class_teacher": self.class_teacher,
            "parent": self.parent,
            "other_parent": self.other_parent,
            "pupil": self.pupil,
            "deputy": self.deputy,
            "director": self.director,
            "admin": self.admin,
            "outsider": self.outsider,
        }


def build_world() -> World:
    school = F.SchoolFactory(name="МБОУ СОШ № 1")
    year = F.YearFactory(school=school)

    def person(username, last, first, patronymic, sex="f", **kw):
        return F.UserFactory(
            username=username,
            last_name=last,
            first_name=first,
            patronymic=patronymic,
            sex=sex,
            school=kw.pop("school", school),
            **kw,
        )

    teacher = person("sokolov", "Соколов", "Андрей", "Викторович", "m")
    class_teacher = person("orlova", "Орлова", "Елена", "Сергеевна")
    other_teacher = person("volkova", "Волкова", "Ирина", "Павловна")
    pupil = person("ivanova.m", "Иванова", "Мария", "Алексеевна")
    other_pupil = person("sidorov.p", "Сидоров", "Пётр", "Игоревич", "m")
    parent = person("ivanova.a", "Иванова", "Анна", "Петровна", email="ivanova@example.ru")
    other_parent = person("sidorova.o", "Сидорова", "Ольга", "Ивановна", email="sidorova@example.ru")
    deputy = person("zavuch", "Кравцова", "Наталья", "Борисовна")
    director = person("director", "Белов", "Геннадий", "Юрьевич", "m")
    admin = person("admin1", "Лебедев", "Олег", "Романович", "m")
    for user, role in ((deputy, "deputy"), (director, "director"), (admin, "admin")):
        F.RoleFactory(user=user, school=school, role=getattr(RoleAssignment.Role, role.upper()))

    klass = F.ClassFactory(year=year, grade=5, letter="А", class_teacher=class_teacher)
    other_class = F.ClassFactory(year=year, grade=5, letter="Б")
    F.EnrollmentFactory(school_class=klass, pupil=pupil)
    F.EnrollmentFactory(school_class=other_class, pupil=other_pupil)
    F.GuardianshipFactory(parent=parent, child=pupil)
    F.GuardianshipFactory(parent=other_parent, child=other_pupil)

    subject = F.SubjectFactory(school=school, name="Математика")
    work_type = F.WorkTypeFactory(school=school)
    bell1 = F.BellFactory(school=school, number=1)
    assignment = F.AssignmentFactory(school_class=klass, subject=subject, teacher=teacher)
    other_assignment = F.AssignmentFactory(school_class=other_class, subject=subject, teacher=other_teacher)
    lessons = [
        F.LessonFactory(assignment=assignment, date=d, bell=bell1)
        for d in (date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 11))
    ]
    F.LessonFactory(assignment=other_assignment, date=date(2026, 11, 9), bell=bell1)

    foreign_school = F.SchoolFactory(name="МБОУ СОШ № 2")
    foreign_year = F.YearFactory(school=foreign_school)
    outsider = person("outsider", "Чужой", "Виктор", "Львович", "m", school=foreign_school)
    F.RoleFactory(user=outsider, school=foreign_school, role=RoleAssignment.Role.DEPUTY)
    foreign_class = F.ClassFactory(year=foreign_year, grade=5, letter="А")
    foreign_pupil = person("foreign.pupil", "Далёкий", "Роман", "Ильич", "m", school=foreign_school)
    F.EnrollmentFactory(school_class=foreign_class, pupil=foreign_pupil)
    foreign_assignment = F.AssignmentFactory(school_class=foreign_class)
    foreign_lesson = F.LessonFactory(assignment=foreign_assignment, date=date(2026, 11, 9))

    return World(
        school=school,
        year=year,
        klass=klass,
        other_class=other_class,
        subject=subject,
        assignment=assignment,
        other_assignment=other_assignment,
        lessons=lessons,
        work_type=work_type,
        teacher=teacher,
        class_teacher=class_teacher,
        pupil=pupil,
        other_pupil=other_pupil,
        parent=parent,
        other_parent=other_parent,
        deputy=deputy,
        director=director,
        admin=admin,
        outsider=outsider,
        foreign_school=foreign_school,
        foreign_class=foreign_class,
        foreign_pupil=foreign_pupil,
        foreign_assignment=foreign_assignment,
        foreign_lesson=foreign_lesson,
    )


def add_teacher_parent(world: World):
    """`teacher_parent`: Петрова, who teaches Russian in 5Б and is the mother of Коля
    Петров, a pupil of Орлова's 5А. Орлова must not manage her account (she is staff);
    as a mother she still reads her son's diary. Created once per world."""
    existing = getattr(world, "_teacher_parent", None)
    # A shared world (conftest `shared_world`) outlives the savepoint that made her.
    if existing is not None and type(existing).objects.filter(pk=existing.pk).exists():
        return existing
    school = world.school
    teacher_parent = F.UserFactory(
        username="petrova.s", last_name="Петрова", first_name="Светлана", patronymic="Игоревна", sex="f", school=school
    )
    son = F.UserFactory(
        username="petrov.k", last_name="Петров", first_name="Николай", patronymic="Олегович", sex="m", school=school
    )
    F.EnrollmentFactory(school_class=world.klass, pupil=son)
    F.GuardianshipFactory(parent=teacher_parent, child=son)
    russian = F.SubjectFactory(school=school, name="Русский язык")
    F.AssignmentFactory(school_class=world.other_class, subject=russian, teacher=teacher_parent)
    world._teacher_parent = teacher_parent
    return teacher_parent


@dataclass
class Groups:
    split: object
    first: object  # «1 группа (англ.)»: Мария Иванова from the year's start; Соколов's English journal
    second: object  # «2 группа (англ.)»: nobody yet
    journal: object


def add_groups(world: World) -> Groups:
    """5А split for English into two groups; Соколов (`teacher`) keeps group 1's journal,
    so he is a group's teacher of the class. Created once per world (see add_teacher_parent)."""
    existing = getattr(world, "_groups", None)
    if existing is not None and type(existing.split).objects.filter(pk=existing.split.pk).exists():
        return existing
    split = F.GroupSplitFactory(school_class=world.klass, name="англ.")
    first = F.GroupFactory(school_class=world.klass, split=split, name="1 группа (англ.)")
    second = F.GroupFactory(school_class=world.klass, split=split, name="2 группа (англ.)")
    F.GroupMembershipFactory(group=first, pupil=world.pupil)
    english = F.SubjectFactory(school=world.school, name="Английский язык")
    journal = F.AssignmentFactory(school_class=world.klass, group=first, subject=english, teacher=world.teacher)
    world._groups = Groups(split=split, first=first, second=second, journal=journal)
    return world._groups
