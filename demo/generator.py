"""The demo school generator behind `manage.py seed_demo`.

Deterministic for (seed, today): every random choice comes from one
`random.Random` per school, iteration follows lists built here (never sets or
database ids), and the timestamps of records derive from the lesson dates. Bulk
rows (lessons' topics, homework, assessments, marks, attendance) go in with
PostgreSQL COPY: they bypass the journal services, so each school gets one
"demo.seed" audit event instead.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import Guardianship, RoleAssignment, School, User
from journal import models as M

from . import curriculum as C
from . import names as N
from .calendar import academic_year_bounds, school_calendar
from .groups import GroupsMixin
from .records import RecordsMixin
from .schedule import ClassWeek, Unit
from .schedule import build as build_schedule

DEMO_PASSWORD = "Demo-2026-journal"
EMAIL_DOMAIN = "example.com"  # reserved for examples (RFC 2606): digests never reach real people
MIN_LOAD = 8  # a subject with fewer hours in the school is taught by a teacher of several subjects

SIZES = {
    # grade -> number of letters (None: 2 or 3 at random); pupils per class (min, max)
    # small: a primary class, a middle one and an exam class (11th: exam and final marks,
    # graduates at the year's end), so tests meet every kind of class.
    "small": {"schools": 1, "letters": {1: 1, 5: 1, 11: 1}, "pupils": (7, 9)},
    "school": {"schools": 1, "letters": None, "pupils": (23, 28)},
    "district": {"schools": 12, "letters": None, "pupils": (23, 28)},
}
LETTERS = "АБВГ"
TOWN = "г. Краснозёрск"
STREETS = ["ул. Ленина", "ул. Гагарина", "ул. Школьная", "ул. Мира", "пр. Победы", "ул. Садовая", "ул. Молодёжная",
           "ул. Лесная", "ул. Советская", "ул. Пушкина", "ул. Строителей", "ул. Центральная"]  # fmt: skip


@dataclass
class Person:
    user: User
    ability: float = 4.0


@dataclass
class ClassPlan:
    grade: int
    letter: str
    obj: M.SchoolClass | None = None
    pupils: list = field(default_factory=list)  # [(User, start, end, ability)]
    primary_teacher: "Teacher | None" = None
    class_teacher: "Teacher | None" = None
    groups: list = field(default_factory=list)  # [Group, Group] for English
    group_pupils: list = field(default_factory=list)  # [[(User, start, end)], …] dated memberships per group
    teacher_hours: dict = field(default_factory=dict)  # teacher index -> hours in this class

    @property
    def hours(self):
        return C.HOURS[self.grade]

    @property
    def name(self):
        return f"{self.grade}{self.letter}"


@dataclass
class Teacher:
    index: int
    user: User
    room: M.Room | None = None
    specialties: list = field(default_factory=list)
    load: int = 0
    room_name: str = ""


@dataclass
class Journal:
    """A teaching assignment as the generator knows it."""

    plan: ClassPlan
    subject: str
    teacher: Teacher
    group_no: int | None = None  # 0/1 for subgroups
    obj: M.TeachingAssignment | None = None


class SchoolSeeder(GroupsMixin, RecordsMixin):
    def __init__(self, *, rng, number, today, spec, used_usernames, password_hash, log):
        self.rng = rng
        self.number = number
        self.today = today
        self.spec = spec
        self.used = used_usernames
        self.password_hash = password_hash
        self.log = log
        self.counts: dict = {}

    # --- people ---------------------------------------------------------------------

    def _username(self, last, first, patronymic):
        base = f"{N.translit(last)}.{N.translit(first)[:1]}{N.translit(patronymic)[:1]}"
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}{n}"
        self.used.add(name)
        return name

    def _user(self, *, last, first, patronymic, sex, birth, email=False, phone=False):
        rng = self.rng
        username = self._username(last, first, patronymic)
        return User(
            username=username,
            last_name=last,
            first_name=first,
            patronymic=patronymic,
            sex=sex,
            birth_date=birth,
            email=f"{username}@{EMAIL_DOMAIN}" if email else "",
            phone=f"+7 9{rng.randint(0, 99):02d} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
            if phone
            else "",
            school=self.school,
            password=self.password_hash,
            must_change_password=False,
        )

    def _adult(self, sex, born_from, born_to, email=True):
        rng = self.rng
        male_surname = rng.choice(N.SURNAMES)
        first = rng.choice(N.MEN if sex == "m" else N.WOMEN)
        father = rng.choice(N.MEN)
        birth = born_from + timedelta(days=rng.randint(0, (born_to - born_from).days))
        return self._user(
            last=N.surname(male_surname, sex),
            first=first,
            patronymic=N.patronymic(father, sex),
            sex=sex,
            birth=birth,
            email=email,
            phone=True,
        )

    # --- structure ------------------------------------------------------------------

    def build_school(self):
        n = self.number
        rng = self.rng
        self.school = School.objects.create(
            name=f"МБОУ СОШ № {n}",
            full_name=f"Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № {n}»",
            address=f"{TOWN}, {rng.choice(STREETS)}, д. {rng.randint(1, 60)}",
        )
        start, end = academic_year_bounds(self.today)
        self.year = M.AcademicYear.objects.create(
            school=self.school, name=f"{start.year}/{start.year + 1}", start=start, end=end
        )
        quarters, halves, holidays = school_calendar(start)
        S = M.StudyPeriod.Scheme
        periods = [M.StudyPeriod(year=self.year, scheme=S.QUARTER, number=i, start=s, end=e) for i, (s, e) in
                   enumerate(quarters, 1)]  # fmt: skip
        periods += [M.StudyPeriod(year=self.year, scheme=S.HALF, number=i, start=s, end=e) for i, (s, e) in
                    enumerate(halves, 1)]  # fmt: skip
        periods.append(M.StudyPeriod(year=self.year, scheme=S.YEAR, number=1, start=start, end=end))
        M.StudyPeriod.objects.bulk_create(periods)
        M.Holidays.objects.bulk_create(
            [M.Holidays(year=self.year, name=name, start=s, end=e, grades=g) for name, s, e, g in holidays]
        )
        self.bells = M.Bell.objects.bulk_create(
            [M.Bell(school=self.school, number=i, starts=s, ends=e) for i, (s, e) in enumerate(C.BELLS, 1)]
        )
        self.subjects = {}
        for code, (name, short, order, pass_fail) in C.SUBJECTS.items():
            self.subjects[code] = M.Subject(
                school=self.school,
                name=name,
                short_name=short,
                order=order,
                assessment=M.Subject.Assessment.PASS_FAIL if pass_fail else M.Subject.Assessment.NUMERIC,
            )
        M.Subject.objects.bulk_create(list(self.subjects.values()))
        self.work_types = {}
        for code, (name, weight, is_test, order) in C.WORK_TYPES.items():
            self.work_types[code] = M.WorkType(
                school=self.school, name=name, code=code, weight=weight, is_test=is_test, order=order
            )
        M.WorkType.objects.bulk_create(list(self.work_types.values()))

    def plan_classes(self):
        rng = self.rng
        self.plans = []
        letters = self.spec["letters"]
        for grade in range(1, 12):
            count = letters.get(grade, 0) if letters is not None else rng.choice((2, 3, 3) if grade <= 5 else (2, 2, 3))
            for i in range(count):
                self.plans.append(ClassPlan(grade=grade, letter=LETTERS[i]))

    def plan_teachers(self):
        """Primary teachers for grades 1–4, then subject teachers sized by the hours to teach."""
        rng = self.rng
        self.teachers: list[Teacher] = []
        self.journals: list[Journal] = []

        def hire(specialties):
            sex = "m" if rng.random() < 0.15 else "f"
            user = self._adult(sex, date(1962, 1, 1), date(1999, 12, 31))
            t = Teacher(index=len(self.teachers), user=user, specialties=list(specialties))
            self.teachers.append(t)
            return t

        for plan in self.plans:
            if plan.grade <= 4:
                t = hire(["Начальные классы"])
                plan.primary_teacher = t
                for code in C.PRIMARY_TEACHER_SUBJECTS:
                    if code in plan.hours:
                        self._assign(plan, code, t)

        # Bundles: (plan, subject codes, hours, group_no) per specialty.
        specialty_bundles = []
        for spec_name, codes, room_name in C.SPECIALTIES:
            bundles = []
            for plan in self.plans:
                mine = [
                    c for c in codes if c in plan.hours and not (plan.grade <= 4 and c in C.PRIMARY_TEACHER_SUBJECTS)
                ]
                if not mine:
                    continue
                hours = sum(plan.hours[c] for c in mine)
                if "eng" in mine:
                    bundles += [(plan, mine, hours, 0), (plan, mine, hours, 1)]
                else:
                    bundles.append((plan, mine, hours, None))
            if bundles:
                specialty_bundles.append((spec_name, room_name, bundles))

        combined: list[Teacher] = []  # teachers of several small subjects
        for spec_name, room_name, bundles in specialty_bundles:
            total = sum(b[2] for b in bundles)
            is_split = bundles[0][3] is not None
            if total < MIN_LOAD and not is_split:
                # Fill a teacher of several subjects up to a full load.
                if not combined or combined[-1].load + total > C.MAX_LOAD:
                    t = hire([])
                    t.room_name = room_name
                    combined.append(t)
                t = combined[-1]
                t.specialties.append(spec_name)
                for plan, codes, hours, _ in bundles:
                    for code in codes:
                        self._assign(plan, code, t)
                    t.load += hours
                continue
            n = max(2 if is_split else 1, math.ceil(total / C.MAX_LOAD))
            staff = [hire([spec_name]) for _ in range(n)]
            for t in staff:
                t.room_name = room_name
            for plan, codes, hours, group_no in sorted(bundles, key=lambda b: (b[0].grade, b[0].letter, b[3] or 0)):
                candidates = staff
                if group_no == 1:
                    first = next(j.teacher for j in self.journals if j.plan is plan and j.group_no == 0)
                    candidates = [t for t in staff if t is not first]
                t = min(candidates, key=lambda t: (t.load, t.index))
                for code in codes:
                    self._assign(plan, code, t, group_no)
                t.load += hours

        # Class teachers of grades 5–11: the teacher with most hours in the class who has no class yet.
        leading: set = set()
        for plan in self.plans:
            if plan.grade <= 4:
                plan.class_teacher = plan.primary_teacher
            else:
                ranked = sorted(plan.teacher_hours.items(), key=lambda kv: (-kv[1], kv[0]))
                choice = next((i for i, _ in ranked if i not in leading), None)
                if choice is None:
                    choice = next(
                        t.index
                        for t in self.teachers
                        if t.index not in leading and t.specialties[0] != "Начальные классы"
                    )
                plan.class_teacher = self.teachers[choice]
            leading.add(plan.class_teacher.index)

    def _assign(self, plan, code, teacher, group_no=None):
        self.journals.append(Journal(plan=plan, subject=code, teacher=teacher, group_no=group_no))
        plan.teacher_hours[teacher.index] = plan.teacher_hours.get(teacher.index, 0) + plan.hours[code]

    def build_staff(self):
        """Users and rooms of the staff; director, deputy and administrator are not teachers here."""
        rng = self.rng
        self.director = self._adult("m" if rng.random() < 0.4 else "f", date(1963, 1, 1), date(1980, 12, 31))
        self.deputy = self._adult("f" if rng.random() < 0.8 else "m", date(1968, 1, 1), date(1988, 12, 31))
        self.admin = self._adult("m" if rng.random() < 0.5 else "f", date(1980, 1, 1), date(1996, 12, 31))
        self.admin.is_staff = True
        staff = [self.director, self.deputy, self.admin] + [t.user for t in self.teachers]
        User.objects.bulk_create(staff, batch_size=1000)
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(user=self.director, school=self.school, role=RoleAssignment.Role.DIRECTOR),
                RoleAssignment(user=self.deputy, school=self.school, role=RoleAssignment.Role.DEPUTY),
                RoleAssignment(user=self.admin, school=self.school, role=RoleAssignment.Role.ADMIN),
            ]
        )
        rooms = []
        primary_no, other_no, gym_no = 101, 201, 1
        for t in self.teachers:
            if t.specialties and t.specialties[0] == "Начальные классы":
                number, name = str(primary_no), "Кабинет начальных классов"
                primary_no += 1
            elif t.room_name == "Спортивный зал":
                number, name = f"СЗ-{gym_no}", "Спортивный зал"
                gym_no += 1
            else:
                number, name = str(other_no), t.room_name
                other_no += 1
                if other_no % 100 > 30:
                    other_no = (other_no // 100 + 1) * 100 + 1
            t.room = M.Room(school=self.school, number=number, name=name)
            rooms.append(t.room)
        M.Room.objects.bulk_create(rooms)

    def build_classes(self):
        for plan in self.plans:
            room = plan.class_teacher.room if plan.grade <= 4 else None
            plan.obj = M.SchoolClass(
                year=self.year,
                grade=plan.grade,
                letter=plan.letter,
                class_teacher=plan.class_teacher.user,
                period_scheme=M.StudyPeriod.Scheme.HALF if plan.grade >= 10 else M.StudyPeriod.Scheme.QUARTER,
                room=room,
            )
        M.SchoolClass.objects.bulk_create([p.obj for p in self.plans])
        # Homerooms of grades 5–11: the class teacher's room.
        for plan in self.plans:
            if plan.grade > 4:
                plan.obj.room = plan.class_teacher.room
        M.SchoolClass.objects.bulk_update([p.obj for p in self.plans if p.grade > 4], ["room"])

    def build_pupils(self):
        """Families fill the classes: most with one child here, some with two or three in different grades."""
        rng = self.rng
        lo, hi = self.spec["pupils"]
        seats = {id(p): rng.randint(lo, hi) for p in self.plans}
        by_grade: dict = {}
        for p in self.plans:
            by_grade.setdefault(p.grade, []).append(p)
        start = self.year.start
        users, links = [], []
        families = 0
        while True:
            open_grades = sorted(g for g, ps in by_grade.items() if any(seats[id(p)] for p in ps))
            if not open_grades:
                break
            kids = 1 if rng.random() < 0.8 else (2 if rng.random() < 0.8 else 3)
            grades = rng.sample(open_grades, min(kids, len(open_grades)))
            families += 1
            father_surname = rng.choice(N.SURNAMES)
            father_name = rng.choice(N.MEN)
            youngest_birth = None
            children = []
            for g in sorted(grades):
                plan = rng.choice([p for p in by_grade[g] if seats[id(p)]])
                seats[id(plan)] -= 1
                sex = rng.choice("mf")
                born_from = date(start.year - 6 - g, 3, 1)
                birth = born_from + timedelta(days=rng.randint(0, 364))
                youngest_birth = max(youngest_birth or birth, birth)
                child = self._user(
                    last=N.surname(father_surname, sex),
                    first=rng.choice(N.BOYS if sex == "m" else N.GIRLS),
                    patronymic=N.patronymic(father_name, sex),
                    sex=sex,
                    birth=birth,
                    email=g >= 5 and rng.random() < 0.5,
                    phone=g >= 5 and rng.random() < 0.7,
                )
                ability = min(5.0, max(2.7, rng.gauss(4.1, 0.55)))
                plan.pupils.append([child, start, None, ability])
                children.append(child)
            users += children
            oldest_parent = youngest_birth.year - 20
            shape = rng.random()
            parents = []
            if shape < 0.95:
                mother = self._user(
                    last=N.female_surname(father_surname),
                    first=rng.choice(N.WOMEN),
                    patronymic=N.patronymic(rng.choice(N.MEN), "f"),
                    sex="f",
                    birth=date(oldest_parent - rng.randint(2, 18), rng.randint(1, 12), rng.randint(1, 28)),
                    email=True,
                    phone=True,
                )
                parents.append((mother, Guardianship.Relation.MOTHER))
            if shape < 0.65 or shape >= 0.95:
                father = self._user(
                    last=father_surname,
                    first=father_name,
                    patronymic=N.patronymic(rng.choice(N.MEN), "m"),
                    sex="m",
                    birth=date(oldest_parent - rng.randint(3, 22), rng.randint(1, 12), rng.randint(1, 28)),
                    email=rng.random() < 0.7,
                    phone=True,
                )
                parents.append((father, Guardianship.Relation.FATHER))
            users += [p for p, _ in parents]
            links += [(p, c, rel) for p, rel in parents for c in children]
        User.objects.bulk_create(users, batch_size=2000)
        Guardianship.objects.bulk_create(
            [Guardianship(parent=p, child=c, relation=rel) for p, c, rel in links], batch_size=2000
        )
        for plan in self.plans:
            plan.pupils.sort(key=lambda row: (row[0].last_name, row[0].first_name, row[0].patronymic, row[0].username))
        self.counts["families"] = families
        self._movements()
        enrollments = []
        for plan in self.plans:
            for pupil, s, e, _ in plan.pupils:
                promoted = plan.grade > 1 and s == start
                enrollments.append(
                    M.Enrollment(
                        pupil=pupil,
                        school_class=plan.obj,
                        start=s,
                        start_reason=M.Enrollment.Movement.PROMOTED if promoted else M.Enrollment.Movement.ADMITTED,
                        start_order=f"{rng.randint(20, 140)}-у",
                        start_order_date=date(start.year, 5, 30)
                        if promoted
                        else min(s, date(start.year, 8, 28))
                        if s == start
                        else s - timedelta(days=1),
                        end=e,
                        end_reason=M.Enrollment.Movement.LEFT if e else "",
                        end_order=f"{rng.randint(140, 200)}-у" if e else "",
                        end_order_date=e if e else None,
                        destination=f"МБОУ СОШ № {rng.randint(13, 40)}, {rng.choice(['г. Казань', 'г. Тверь', 'г. Пермь'])}"
                        if e
                        else "",
                    )
                )
        M.Enrollment.objects.bulk_create(enrollments, batch_size=2000)

    def _movements(self):
        """A few pupils left or arrived during the year (pupil movement reports need them)."""
        rng = self.rng
        start = self.year.start
        span = (min(self.today, self.year.end) - start).days
        if span < 40 or len(self.plans) < 4:
            return
        candidates = [p for p in self.plans if p.grade >= 2]
        for _ in range(2):
            plan = rng.choice(candidates)
            row = rng.choice(plan.pupils)
            row[2] = start + timedelta(days=rng.randint(14, span - 7))  # left
            plan = rng.choice(candidates)
            row = rng.choice([r for r in plan.pupils if r[2] is None])
            row[1] = start + timedelta(days=rng.randint(14, span - 7))  # arrived

    def build_assignments(self):
        for j in self.journals:
            j.obj = M.TeachingAssignment(
                teacher=j.teacher.user,
                school_class=j.plan.obj,
                group=j.plan.groups[j.group_no] if j.group_no is not None else None,
                subject=self.subjects[j.subject],
            )
        M.TeachingAssignment.objects.bulk_create([j.obj for j in self.journals], batch_size=2000)
        M.CurriculumLine.objects.bulk_create(
            [
                M.CurriculumLine(
                    school_class=plan.obj,
                    subject=self.subjects[code],
                    hours_per_week=hours,
                    hours_per_year=hours * C.year_weeks(plan.grade),
                )
                for plan in self.plans
                for code, hours in plan.hours.items()
            ]
        )

    def build_timetable(self):
        by_plan: dict = {}
        for j in self.journals:
            by_plan.setdefault(id(j.plan), []).append(j)
        weeks = []
        for plan in self.plans:
            units = []
            js = by_plan[id(plan)]
            for code, hours in plan.hours.items():
                mine = [j for j in js if j.subject == code]
                teachers = tuple(j.teacher.index for j in mine)
                units += [Unit(code, teachers, tuple(mine))] * hours
            weeks.append(ClassWeek(C.MAX_LESSONS_PER_DAY[plan.grade], units))
        result = build_schedule(self.rng, weeks)
        entries = []
        for week in result:
            for (weekday, bell), unit in week.items():
                for j in unit.payload:
                    entries.append(
                        M.TimetableEntry(
                            assignment=j.obj,
                            weekday=weekday,
                            bell=self.bells[bell - 1],
                            room=j.teacher.room,
                            valid_from=self.year.start,
                        )
                    )
        M.TimetableEntry.objects.bulk_create(entries, batch_size=2000)
        self.counts["timetable_entries"] = len(entries)

    # --- run ------------------------------------------------------------------------

    def run(self):
        self.build_school()
        # The school is new in this transaction: its audit chain is held from here on.
        with audit.new_chain(self.school.pk):
            self.plan_classes()
            self.plan_teachers()
            self.build_staff()
            self.build_classes()
            self.build_pupils()
            self.build_groups()
            self.build_assignments()
            self.build_timetable()
            self.build_lessons_and_records()
            self.counts.update(
                classes=len(self.plans),
                teachers=len(self.teachers),
                pupils=sum(len(p.pupils) for p in self.plans),
            )
            audit.record(
                actor=None,
                action="demo.seed",
                obj=self.school,
                school=self.school,
                after={"today": self.today.isoformat(), **self.counts},
                reason="Демонстрационные данные",
            )
        return self.school


def seed(size="school", seed=1, today=None, log=None, schools: int | None = None) -> list[School]:
    """Write the demo data; returns the schools created. `schools` overrides the size's number of schools."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}")
    spec = SIZES[size]
    today = today or timezone.localdate()
    log = log or (lambda msg: None)
    password_hash = make_password(DEMO_PASSWORD)
    used = set(User.objects.values_list("username", flat=True))
    count = schools or spec["schools"]
    schools = []
    for number in range(1, count + 1):
        rng = random.Random(f"ejournal-demo/{seed}/{number}")
        with transaction.atomic():
            seeder = SchoolSeeder(
                rng=rng,
                number=number,
                today=today,
                spec=spec,
                used_usernames=used,
                password_hash=password_hash,
                log=log,
            )
            school = seeder.run()
        log(f"{school.name}: " + ", ".join(f"{k} {v}" for k, v in seeder.counts.items()))
        schools.append(school)
    from .seeding import after_seed

    after_seed(schools)
    return schools
