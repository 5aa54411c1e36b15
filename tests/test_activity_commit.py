"""Issue 14 (speed): the per-request activity upsert commits without waiting for the WAL
flush (accounts/activity.py), and only that one transaction does: the counts land, and the
connection's other commits stay synchronous."""

import pytest
from django.db import connection, transaction

from accounts import activity
from accounts.models import DailyActivity

from . import factories as F


def synchronous_commit():
    with connection.cursor() as cur:
        cur.execute("SHOW synchronous_commit")
        return cur.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_counter_lands_and_the_connection_stays_synchronous():
    user = F.UserFactory()
    assert not connection.in_atomic_block
    activity.count_request(user)
    activity.count_request(user)
    activity.count_diary_view(user)
    row = DailyActivity.objects.get(user=user)
    assert (row.requests, row.diary_views) == (2, 1)
    assert synchronous_commit() == "on"


@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_the_commit_is_the_callers():
    user = F.UserFactory()
    with transaction.atomic():
        activity.count_request(user)
        assert synchronous_commit() == "on"
    assert DailyActivity.objects.get(user=user).requests == 1
