from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
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


def test_verify_audit_names_the_first_row_changed_behind_its_back(world):
    with transaction.atomic():
        events = [
            audit.record(actor=world.teacher, action="mark.create", obj=world.lessons[0], after={"value": str(v)})
            for v in (5, 4, 3)
        ]
    call_command("verify_audit", stdout=StringIO())  # intact: no error

    # Someone with database access edits a mark's trail, bypassing the trigger.
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending deferred FK checks
        cur.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_append_only")
        cur.execute('UPDATE accounts_auditevent SET after = \'{"value": "5"}\' WHERE id = %s', [events[1].pk])
        cur.execute("ALTER TABLE accounts_auditevent ENABLE TRIGGER accounts_auditevent_append_only")

    err = StringIO()
    with pytest.raises(CommandError, match="damaged in 1 chain"):
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    assert f"chain broken at audit event #{events[1].pk}: content does not match its hash" in err.getvalue()
    assert audit.verify_chain(world.school.pk) == [(world.school.pk, events[1].pk, "content does not match its hash")]
