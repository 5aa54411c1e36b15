"""The thematic plan's hours against the curriculum: a violation from 1 September until they match."""

from datetime import datetime

from django.utils import timezone

from journal.control import CHECKS, GROUPS, plans
from journal.models import CurriculumLine, Violation
from journal.services import plans as plan_service

from . import factories as F

K = Violation.Kind


def at(y, mo, d, h=0, mi=0):
    return timezone.make_aware(datetime(y, mo, d, h, mi))


def open_plans():
    return Violation.objects.filter(kind=K.PLAN_HOURS, resolved_at__isnull=True)


def test_plan_hours_fire_from_1_september_once_and_close_when_the_plan_is_fixed(world):
    F.CurriculumFactory(school_class=world.klass, subject=world.subject, hours_per_year=68)
    rows = [{"topic": "Натуральные числа", "hours": 34}, {"topic": "Дроби", "hours": 32}]
    plan_service.replace_plan(world.teacher, assignment_id=world.assignment.pk, rows=rows)

    # The latest year is already the moment's year in August, but the plan is not due yet.
    assert plans.plan_hours(world.school, at(2026, 8, 31, 23, 59)).opened == 0
    assert not open_plans().exists()

    out = plans.plan_hours(world.school, at(2026, 9, 1))
    assert (out.opened, out.open) == (1, 1)
    v = open_plans().get()
    assert (v.assignment, v.responsible, v.school_class) == (world.assignment, world.teacher, world.klass)
    assert v.details == {"plan_hours": 66, "curriculum_hours": 68}
    assert v.since == at(2026, 9, 1)
    # 5Б's mathematics has no curriculum line: nothing to compare with.
    assert not Violation.objects.filter(assignment=world.other_assignment).exists()

    again = plans.plan_hours(world.school, at(2026, 9, 2, 6, 30))
    assert (again.opened, again.resolved) == (0, 0)
    assert Violation.objects.filter(kind=K.PLAN_HOURS).count() == 1

    # A 1-hour topic added: still short by one, the same violation with fresh figures.
    plan_service.add_item(world.teacher, assignment_id=world.assignment.pk, topic="Повторение", hours=1)
    plans.plan_hours(world.school, at(2026, 9, 3, 6, 30))
    v.refresh_from_db()
    assert v.resolved_at is None and v.details == {"plan_hours": 67, "curriculum_hours": 68}

    plan_service.add_item(world.teacher, assignment_id=world.assignment.pk, topic="Итоговое повторение", hours=1)
    out = plans.plan_hours(world.school, at(2026, 9, 4, 6, 30))
    assert out.resolved == 1
    v.refresh_from_db()
    assert (v.resolved_at, v.resolution) == (at(2026, 9, 4, 6, 30), Violation.Resolution.FIXED)
    assert not open_plans().exists()


def test_a_journal_without_a_plan_counts_as_zero_hours_and_a_changed_curriculum_closes_it(world):
    line = F.CurriculumFactory(school_class=world.other_class, subject=world.subject, hours_per_year=136)
    plans.plan_hours(world.school, at(2026, 10, 1, 6, 30))
    v = open_plans().get()
    assert (v.assignment, v.details) == (world.other_assignment, {"plan_hours": 0, "curriculum_hours": 136})
    assert v.responsible == world.other_assignment.teacher

    plan_service.replace_plan(
        world.other_assignment.teacher,
        assignment_id=world.other_assignment.pk,
        rows=[{"topic": "Тема", "hours": 34}],
    )
    CurriculumLine.objects.filter(pk=line.pk).update(hours_per_year=34)
    assert plans.plan_hours(world.school, at(2026, 10, 2, 6, 30)).resolved == 1
    assert not open_plans().exists()
    # Another school's journals are never judged by this school's run.
    assert not Violation.objects.filter(school=world.foreign_school).exists()


def test_the_check_runs_with_the_morning_checks():
    assert CHECKS["plan_hours"] is plans.plan_hours
    assert "plan_hours" in GROUPS["morning"] and "plan_hours" not in GROUPS["daytime"]
