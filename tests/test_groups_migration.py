"""Migration journal 0009 (issue 15, point 4): memberships that had no dates become dated
ones, from the pupil's first enrollment in the group's class (the year's start without
one), open-ended; and the database keeps each membership's split equal to its group's."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from journal.models import GroupMembership

from . import factories as F

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("journal", "0008_input_limits")]
AFTER = [("journal", "0009_group_memberships_dated")]


def _migrate(target=None):
    """Migrate to `target`; without one, to the latest migrations (where the suite's other
    tests expect the schema: 0009 is not the last one)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def test_undated_memberships_start_at_the_enrollment_or_the_year():
    klass = F.ClassFactory(year=F.YearFactory(school=F.SchoolFactory()))
    arrived, unenrolled = F.UserFactory(school=klass.year.school), F.UserFactory(school=klass.year.school)
    F.EnrollmentFactory(school_class=klass, pupil=arrived, start=date(2026, 10, 5))
    group = F.GroupFactory(school_class=klass)
    for pupil in (arrived, unenrolled):
        F.GroupMembershipFactory(group=group, pupil=pupil, start=date(2026, 12, 1))
    try:
        _migrate(BEFORE)  # the dates go, the rows stay
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM journal_groupmembership")
            assert cur.fetchone() == (2,)
        _migrate(AFTER)
    finally:
        _migrate()
    rows = dict(GroupMembership.objects.values_list("pupil_id", "start"))
    assert rows == {arrived.pk: date(2026, 10, 5), unenrolled.pk: date(2026, 9, 1)}
    assert not GroupMembership.objects.exclude(end=None).exists()
    # the membership's split follows its group's (the trigger of the migration)
    split = F.GroupSplitFactory(school_class=klass, name="англ.")
    group.split = split
    group.save()
    assert set(GroupMembership.objects.values_list("split_id", flat=True)) == {split.pk}
