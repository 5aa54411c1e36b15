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
