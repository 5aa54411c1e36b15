import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from accounts import audit
from accounts.models import AuditEvent


def test_events_are_chained_per_school(world):
    with transaction.atomic():
        first = audit.record(actor=world.teacher, action="mark.create", obj=world.lessons[0], after={"value": "5"})
        second = audit.record(
            actor=world.teacher, action="mark.update", obj=world.lessons[0], before={"value": "5"}, after={"value": "4"}
        )
    assert first.prev_hash == audit.GENESIS
    assert second.prev_hash == first.hash
    assert audit.verify_chain(world.school.pk) == []


@pytest.mark.parametrize("sql", ["UPDATE accounts_auditevent SET reason = 'x'", "DELETE FROM accounts_auditevent"])
def test_database_rejects_update_and_delete(world, sql):
    with transaction.atomic():
        audit.record(actor=world.teacher, action="mark.create", obj=world.lessons[0])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert AuditEvent.objects.count() == 1
