from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.utils import timezone

from accounts.audit import verify_chain
from accounts.models import AuditEvent, Guardianship, RoleAssignment, User
from demo import seeding as demo
from demo.logins import demo_accounts
from demo.names import female_surname, patronymic
from journal.models import (
    Attendance,
    Bell,
    CurriculumLine,
    Enrollment,
    Group,
    GroupMembership,
    Homework,
    Lesson,
    Mark,
    SchoolClass,
    StudyPeriod,
    TimetableEntry,
    WorkType,
)

from .conftest import SCHOOL_DAY

TODAY = SCHOOL_DAY  # a Friday in the second quarter, the day the shared demo is seeded for


@pytest.fixture
def small(db, small_demo):
    """The small demo, seeded once for this module (tests/conftest.py)."""
    return small_demo


def test_small_school_structure(small):
    assert small.name == "МБОУ СОШ № 1"
    year = small.years.get()
    assert (year.start, year.end, year.name) == (date(2026, 9, 1), date(2027, 5, 31), "2026/2027")
    schemes = Counter(year.periods.values_list("scheme", flat=True))
    assert schemes == {StudyPeriod.Scheme.QUARTER: 4, StudyPeriod.Scheme.HALF: 2, StudyPeriod.Scheme.YEAR: 1}
    assert year.holidays.filter(start__month=10).exists() and year.holidays.filter(grades="1").exists()
    classes = list(SchoolClass.objects.filter(year=year).order_by("grade"))
    assert [c.grade for c in classes] == [1, 5, 11]
    assert all(c.class_teacher_id for c in classes)
    assert {c.period_scheme for c in classes if c.grade >= 10} == {StudyPeriod.Scheme.HALF}
    bells = list(Bell.objects.filter(school=small).order_by("number"))
    assert bells[0].starts == time(8, 30) and bells[0].ends == time(9, 15)
    weights = {w.code: (str(w.weight), w.is_test) for w in WorkType.objects.filter(school=small)}
    assert weights["oral"] == ("1.0", False) and weights["test"] == ("2.0", True)
    assert weights["dictation"] == ("2.0", True) and weights["essay"] == ("2.0", True)
    assert len(weights) == 9
    teachers = User.objects.filter(assignments__school_class__year=year).distinct().count()
    assert 3 <= teachers <= 10
    roles = Counter(RoleAssignment.objects.filter(school=small).values_list("role", flat=True))
    assert roles == {"director": 1, "deputy": 1, "admin": 1}


def test_names_have_matching_gender_forms_and_ages_fit_grades(small):
    boys_endings, girls_endings = ("вич", "ич"), ("вна", "чна")
    for link in Guardianship.objects.select_related("parent", "child"):
        child, parent = link.child, link.parent
        assert child.patronymic.endswith(boys_endings if child.sex == "m" else girls_endings), child.full_name
        if link.relation == Guardianship.Relation.FATHER:
            assert parent.sex == "m"
            expected = parent.last_name if child.sex == "m" else female_surname(parent.last_name)
            assert child.last_name == expected, (parent.full_name, child.full_name)
            assert child.patronymic == patronymic(parent.first_name, child.sex)
        else:
            assert parent.sex == "f"
            assert parent.last_name == (female_surname(child.last_name) if child.sex == "m" else child.last_name)
    assert Guardianship.objects.values("parent").annotate(n=Count("child")).filter(n__gte=2).exists()
    for e in Enrollment.objects.select_related("pupil", "school_class"):
        age = (date(2026, 9, 1) - e.pupil.birth_date).days / 365.25
        assert e.school_class.grade + 5.4 <= age <= e.school_class.grade + 7.6, (e.pupil.full_name, age)


def test_timetable_follows_curriculum_without_teacher_conflicts(small):
    per_slot = (
        TimetableEntry.objects.values("assignment__teacher", "weekday", "bell").annotate(n=Count("id")).filter(n__gt=1)
    )
    assert not per_slot.exists()
    lessons_per_slot = Lesson.objects.values("assignment__teacher", "date", "bell").annotate(n=Count("id"))
    assert not lessons_per_slot.filter(n__gt=1).exists()
    weekly = Counter(
        TimetableEntry.objects.filter(assignment__group__isnull=True).values_list(
            "assignment__school_class", "assignment__subject"
        )
    )
    for group in Group.objects.all():
        weekly.update(
            TimetableEntry.objects.filter(assignment__group=group).values_list(
                "assignment__school_class", "assignment__subject"
            )
        )
    for line in CurriculumLine.objects.all():
        group_count = max(1, line.school_class.groups.filter(assignments__subject=line.subject).count())
        assert weekly[(line.school_class_id, line.subject_id)] == line.hours_per_week * group_count, line
    for klass in SchoolClass.objects.filter(grade__gte=2):
        groups = list(klass.groups.prefetch_related("assignments"))
        assert len(groups) == 2
        teachers = {a.teacher_id for g in groups for a in g.assignments.all()}
        assert len(teachers) == 2
        members = GroupMembership.objects.filter(group__school_class=klass).values_list("pupil", flat=True)
        assert set(members) == set(klass.enrollments.values_list("pupil", flat=True))
    # One pupil moves from group 1 to group 2 during the year (dated memberships): his old
    # group's row ends the day before the new one begins.
    moved = [
        list(GroupMembership.objects.filter(pupil=p).order_by("start").values_list("group__name", "start", "end"))
        for p in GroupMembership.objects.values("pupil")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("pupil", flat=True)
    ]
    assert len(moved) == 1
    (old, start, end), (new, since, until) = moved[0]
    assert (old, new, until) == ("1 группа (англ.)", "2 группа (англ.)", None)
    assert start < since and (since - end).days == 1


def test_records_up_to_yesterday_with_realistic_marks(small):
    past = Lesson.objects.filter(date__lt=TODAY)
    assert past.exists() and not past.filter(topic="").exists()
    assert Lesson.objects.filter(date__gte=TODAY).exists()  # the coming days are in the timetable
    assert not Lesson.objects.filter(date__gte=TODAY).exclude(topic="").exists()
    assert not Mark.objects.filter(assessment__lesson__date__gte=TODAY).exists()
    assert not Attendance.objects.filter(lesson__date__gte=TODAY).exists()
    grade1 = {"assessment__lesson__assignment__school_class__grade": 1}
    assert not Mark.objects.filter(**grade1).exists()
    assert not Homework.objects.filter(lesson__assignment__school_class__grade=1).exists()
    assert Attendance.objects.filter(lesson__assignment__school_class__grade=1).exists()
    assert Homework.objects.filter(lesson__assignment__school_class__grade=5).exists()
    values = Counter(Mark.objects.values_list("value", flat=True))
    numeric = sum(values[v] for v in "2345")
    assert (values["4"] + values["5"]) / numeric > 0.65
    assert 0 < values["2"] / numeric < 0.08 and values["3"] > values["2"]
    codes = Counter(Attendance.objects.values_list("code", flat=True))
    # A school's usual absence rate: a few per cent of pupil-lessons (a group lesson is
    # counted with its whole class here, which only lowers the rate).
    sizes = dict(Enrollment.objects.values_list("school_class").annotate(n=Count("pk")).order_by())
    pupil_lessons = sum(sizes.get(c, 0) for c in past.values_list("assignment__school_class", flat=True))
    assert 0.01 < sum(codes.values()) / pupil_lessons < 0.12
    assert codes["н"] + codes["б"] > codes["оп"] > 0
    # Marks only for pupils who were there.
    absent = Attendance.objects.exclude(code=Attendance.Code.LATE)
    marked_while_absent = Mark.objects.filter(
        pupil__attendance__in=absent, pupil__attendance__lesson=F("assessment__lesson")
    )
    assert not marked_while_absent.exists()


def test_accounts_ready_to_log_in_with_audit_event(small):
    users = User.objects.filter(school=small)
    assert not users.filter(must_change_password=True).exists()
    pupil = users.filter(enrollments__isnull=False).first()
    assert pupil.check_password(demo.DEMO_PASSWORD)
    admin = users.get(roles__role=RoleAssignment.Role.ADMIN)
    assert admin.is_staff and not admin.is_superuser
    assert admin.has_perm("journal.change_schoolclass") and admin.has_perm("journal.add_timetableentry")
    assert not admin.has_perm("journal.change_mark")
    assert not users.exclude(pk=admin.pk).filter(is_staff=True).exists()
    event = AuditEvent.objects.get(school=small, action="demo.seed")
    assert event.after["marks"] == Mark.objects.count()
    assert verify_chain(small.pk) == []


def test_if_empty_keeps_data_and_a_second_seed_is_refused(small):
    before = (User.objects.count(), Mark.objects.count())
    call_command("seed_demo", "--if-empty", verbosity=0)
    assert (User.objects.count(), Mark.objects.count()) == before
    with pytest.raises(CommandError, match="уже есть школы"):
        call_command("seed_demo", "--size", "small", verbosity=0)


def test_demo_logins_print_a_real_user_per_role(small, capsys):
    call_command("demo_logins")
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines] == [
        "admin",
        "director",
        "deputy",
        "class_teacher",
        "teacher",
        "parent",
        "student",
    ]
    accounts = dict(demo_accounts())
    for line in lines:
        role, login, password = line.split()[:3]
        assert password == demo.DEMO_PASSWORD
        assert accounts[role].username == login
        assert User.objects.get(username=login).check_password(password)
    parent, student = accounts["parent"], accounts["student"]
    assert parent.children_links.count() >= 2
    assert parent.children_links.filter(child=student).exists()
    assert accounts["class_teacher"].led_classes.exists()
    assert accounts["teacher"].assignments.exists() and not accounts["teacher"].led_classes.exists()


def test_school_calendar_skips_holidays_in_generated_lessons(small):
    year = small.years.get()
    autumn = year.holidays.get(name="Осенние каникулы")
    assert not Lesson.objects.filter(date__range=(autumn.start, autumn.end)).exists()
    assert not Lesson.objects.filter(date=date(2026, 11, 4)).exists()  # День народного единства
    assert Lesson.objects.filter(date=autumn.end + timedelta(days=1)).exists()


def test_object_permissions_follow_the_seeded_links(small):
    """The seed bulk-creates links (signals skipped); after_seed derives the guardian rows."""
    from journal import access, permissions

    assert permissions.actual_state() == permissions.expected_state()
    lesson = Lesson.objects.filter(assignment__school_class__grade=5).select_related("assignment__teacher").first()
    teacher = lesson.assignment.teacher
    assert access.get_lesson_for_user(teacher, lesson.pk) == (lesson, True)


def test_every_journal_has_a_thematic_plan_matching_the_curriculum(small):
    from journal.control.plans import plan_hours
    from journal.models import ThematicPlan, Violation

    lines = {(c.school_class_id, c.subject_id): c.hours_per_year for c in CurriculumLine.objects.all()}
    plans = ThematicPlan.objects.select_related("assignment")
    assert plans.count() == small.years.get().classes.aggregate(n=Count("assignments"))["n"]
    for plan in plans:
        a = plan.assignment
        assert sum(plan.items.values_list("hours", flat=True)) == lines[a.school_class_id, a.subject_id]
        # the plan's topics are the ones the lessons took, in order
        first = plan.items.order_by("position").first()
        lesson = a.lessons.filter(topic__gt="").order_by("date", "bell__number").first()
        assert first.topic in lesson.topic
    plan_hours(small, timezone.make_aware(datetime.combine(TODAY, time(9))))
    assert not Violation.objects.filter(kind=Violation.Kind.PLAN_HOURS).exists()
