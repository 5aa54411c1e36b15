"""Issue 14 (speed): the queries every signed-in page runs (the menu's roles, the unread
counters) are compiled once per process (ejournal/prepared.py) and run with each user's
values. They must answer exactly what the ORM answers for every persona and shape."""

import pytest
from django.utils import timezone

from accounts.models import User
from diary import services as diary_services
from diary.access import _unread, unread_counts
from ejournal import prepared
from journal import roles as R
from journal.models import Notification

from . import factories as F

PERSONAS = ("teacher", "class_teacher", "pupil", "parent", "deputy", "director", "admin", "outsider")


def fresh(user):
    """The user as a new request loads it: nothing memoised."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def mail(world):
    """Unread things for several personas: a parent's thread with the teacher, a notice."""
    thread = diary_services.start_thread(
        world.parent, pupil_id=world.pupil.pk, to=f"teacher:{world.teacher.pk}", subject="Контрольная", body="Когда?"
    )
    diary_services.reply(world.teacher, thread, "В четверг.")
    diary_services.reply(world.teacher, thread, "И линейку.")
    for user in (world.teacher, world.deputy, world.teacher):
        Notification.objects.create(
            user=user, school=world.school, title="Нарушение", body="Тема не указана", created_at=timezone.now()
        )
    return thread


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_roles_row_is_the_orms(world, mail, persona):
    user = fresh(getattr(world, persona))
    now = timezone.now()
    expected = R._facts(user=user.pk, school=user.school_id, now=now).first()
    assert prepared.first_row("journal.roles", R._facts, user=user.pk, school=user.school_id, now=now) == expected
    assert R.user_roles(user) == fresh_roles(expected)


def fresh_roles(row):
    roles = set(row["assigned"])
    for flag, role in (("teaches", R.TEACHER), ("led", R.CLASS_TEACHER), ("guards", R.PARENT), ("enrolled", R.STUDENT)):
        if row[flag]:
            roles.add(role)
    return frozenset(roles)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_unread_counts_are_the_orms(world, mail, persona):
    user = fresh(getattr(world, persona))
    whole = bool(R.user_roles(user) & R.WHOLE_SCHOOL_READERS)
    row = _unread(user.pk, user.school_id, whole_school=whole).first()
    assert unread_counts(user) == {"messages": row["unread_messages"], "notifications": row["unread_notifications"]}


def test_the_counts_are_this_users_and_follow_new_records(world, mail):
    """One compiled query serves every user: each gets own figures, and new ones at once."""
    assert unread_counts(fresh(world.parent)) == {"messages": 2, "notifications": 0}
    assert unread_counts(fresh(world.teacher)) == {"messages": 1, "notifications": 2}
    assert unread_counts(fresh(world.deputy)) == {"messages": 0, "notifications": 1}
    Notification.objects.create(
        user=world.parent, school=world.school, title="Новое", body="…", created_at=timezone.now()
    )
    assert unread_counts(fresh(world.parent)) == {"messages": 2, "notifications": 1}
    assert R.TEACHER not in R.user_roles(fresh(world.other_pupil))
    F.AssignmentFactory(
        school_class=world.klass, subject=F.SubjectFactory(school=world.school), teacher=world.other_pupil
    )
    assert R.TEACHER in R.user_roles(fresh(world.other_pupil))


def test_a_user_without_a_school_is_its_own_shape(world):
    """`school_id IS NULL` is not `= NULL`: None values compile a query of their own."""
    nobody = F.UserFactory(school=None)
    now = timezone.now()
    expected = R._facts(user=nobody.pk, school=None, now=now).first()
    assert prepared.first_row("journal.roles", R._facts, user=nobody.pk, school=None, now=now) == expected
    assert R.user_roles(fresh(world.teacher)) == frozenset({R.TEACHER})


def test_a_value_written_into_the_sql_fails_loudly(world):
    def literal(user):
        return User.objects.extra(where=[f"id = {user}"]).values("pk")

    with pytest.raises(ValueError, match="written into the SQL"):
        prepared.first_row("test.literal", literal, user=world.teacher.pk)


# --- model instances (prepared.objects): the access helpers, the session's user, the pupils --


def _same(a, b):
    """Same rows, same loaded fields and same select_related objects."""
    assert type(a) is type(b)
    assert a.__dict__.keys() - {"_state"} == b.__dict__.keys() - {"_state"}
    for k, v in a.__dict__.items():
        if k != "_state":
            assert v == b.__dict__[k], k
    assert a._state.fields_cache.keys() == b._state.fields_cache.keys()
    for k, v in a._state.fields_cache.items():
        if v is not None:
            _same(v, b._state.fields_cache[k])


@pytest.mark.parametrize("persona", ("teacher", "class_teacher", "deputy", "outsider"))
def test_the_journal_and_lesson_helpers_read_what_the_orm_reads(world, persona):
    from journal.access import core

    user = fresh(getattr(world, persona))
    for pk in (world.assignment.pk, world.other_assignment.pk, world.foreign_assignment.pk):
        orm = core._assignment_query(pk, user.pk, user.school_id).first()
        got = prepared.first_object(
            "journal.access.assignment", core._assignment_query, pk=pk, user=user.pk, school=user.school_id
        )
        assert (got is None) == (orm is None)
        if orm is not None:
            _same(got, orm)
            assert got.own_journal == orm.own_journal == (persona == "teacher" and pk == world.assignment.pk)
    for lesson in (*world.lessons, world.foreign_lesson):
        orm = core._lesson_query(lesson.pk, user.pk, user.school_id).first()
        got = prepared.first_object(
            "journal.access.lesson", core._lesson_query, pk=lesson.pk, user=user.pk, school=user.school_id
        )
        assert (got is None) == (orm is None)
        if orm is not None:
            _same(got, orm)


def test_a_journal_asked_by_text_or_beyond_bigint_is_nobodys(world):
    from django.http import Http404

    from journal import access

    teacher = fresh(world.teacher)
    assert access.get_assignment_for_user(teacher, str(world.assignment.pk)) == (world.assignment, True)
    assert access.get_lesson_for_user(teacher, str(world.lessons[0].pk))[0] == world.lessons[0]
    for bad in (2**63, -(2**63) - 1, "12a"):
        with pytest.raises(Http404):
            access.get_assignment_for_user(teacher, bad)
        with pytest.raises(Http404):
            access.get_lesson_for_user(teacher, bad)


def test_the_session_user_comes_with_the_school_and_the_facts_of_its_roles(world, django_assert_num_queries):

    from accounts.backends import SchoolModelBackend

    user = SchoolModelBackend().get_user(world.teacher.pk)
    orm = (
        User.objects.select_related("school").annotate(**R.session_user_facts(timezone.now())).get(pk=world.teacher.pk)
    )
    _same(user, orm)
    with django_assert_num_queries(0):  # the menu's roles need no query of their own
        assert R.user_roles(user) == frozenset({R.TEACHER})
    assert SchoolModelBackend().get_user(world.teacher.pk + 10_000) is None
    assert SchoolModelBackend().get_user(str(world.teacher.pk)) == world.teacher


def test_the_pupils_of_a_group_journal_are_the_orms(world):
    """Group or not is a shape of its own; the pupils and their stays are the ORM's."""
    from datetime import date

    from journal import grid
    from journal.models import Enrollment

    group = F.GroupFactory(school_class=world.klass)
    F.GroupMembershipFactory(group=group, pupil=world.pupil, start=date(2026, 9, 1), end=date(2026, 10, 15))
    group_journal = F.AssignmentFactory(
        school_class=world.klass, group=group, subject=world.subject, teacher=world.teacher
    )
    start, end = date(2026, 9, 1), date(2026, 12, 31)
    for journal in (world.assignment, group_journal):
        orm = list(
            Enrollment.objects.of_journal(journal, start, end)
            .overlapping(start, end)
            .select_related("pupil")
            .order_by("pupil__last_name", "pupil__first_name", "pupil__patronymic", "pupil_id", "stay_start")
        )
        got = prepared.objects(
            "journal.pupils_of", grid._journal_enrollments, klass=journal.school_class_id, group=journal.group_id,
            start=start, end=end,
        )  # fmt: skip
        assert len(got) == len(orm) == 1
        for g, o in zip(got, orm, strict=True):
            _same(g, o)
            assert (g.stay_start, g.stay_end) == (o.stay_start, o.stay_end)
    assert [r.ranges for r in grid.pupils_of(group_journal, start, end)] == [[(date(2026, 9, 1), date(2026, 10, 15))]]


def test_the_next_plan_item_is_the_orms(world):
    from journal.models import PlanItem, ThematicPlan
    from journal.services.plans import _next_plan_item, next_plan_item

    plan = ThematicPlan.objects.create(assignment=world.assignment, updated_by=world.teacher)
    PlanItem.objects.create(plan=plan, position=1, topic="Натуральные числа", hours=1)
    PlanItem.objects.create(plan=plan, position=2, topic="Сложение дробей", hours=2)
    lesson = world.lessons[0]
    orm = _next_plan_item(world.assignment.pk, lesson.pk).first()
    got = next_plan_item(lesson)
    _same(got, orm)
    assert got.topic == "Натуральные числа"
    assert next_plan_item(world.lessons[0].__class__.objects.get(pk=world.foreign_lesson.pk)) is None


def test_a_value_the_orm_does_not_pass_as_a_parameter_fails_loudly(world):
    def unused(user):
        return User.objects.filter(pk=1)

    with pytest.raises(ValueError, match="not among the SQL's parameters"):
        prepared.objects("test.unused", unused, user=world.teacher.pk)


def test_the_lesson_access_query_is_planned_once_per_connection(world):
    """Its nine-table join took 2.7 ms to plan and 0.2 ms to run: bound on the server, the
    same text every time, psycopg prepares it and PostgreSQL keeps the plan."""
    from django.db import connection

    from journal import access

    lesson = world.lessons[0]
    for _ in range(6):
        found, may_write = access.get_lesson_for_user(fresh(world.teacher), lesson.pk)
        assert (found.pk, may_write) == (lesson.pk, True)
    for _ in range(4):
        access.get_lesson_for_user(fresh(world.teacher), lesson.pk)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE NOT from_sql AND statement LIKE %s",
            ['%"journal_lesson"."id" = $%'],
        )
        # One plan for every run (plan_cache_mode, ejournal/settings/databases.py): by default
        # PostgreSQL plans each run afresh while it judges a custom plan cheaper.
        ((generic, custom),) = cur.fetchall()
        assert generic >= 5 and custom == 0
