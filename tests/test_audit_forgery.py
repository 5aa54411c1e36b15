"""A keyed chain and its anchors: edits, re-chained forgeries and a deleted tail are all
found by verify_audit, and the nightly check tells the administrator and the director
(docs/ARCHIVE.md "Audit chain")."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from accounts import anchors, audit
from accounts.models import AuditEvent
from journal.models import Notification
from maintenance import integrity


def _events(world, n=4):
    with transaction.atomic():
        return [
            audit.record(actor=world.teacher, action="mark.create", obj=world.lessons[0], after={"value": str(v)})
            for v in range(n)
        ]


def _as_owner_behind_the_trigger(sql, params=()):
    """What someone holding the owner role (or the database files) could do."""
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_append_only")
        cur.execute(sql, params)
        cur.execute("ALTER TABLE accounts_auditevent ENABLE TRIGGER accounts_auditevent_append_only")


def _rechain_without_the_key(from_event, *, version):
    """Recompute every hash from `from_event` on, the way the code does, but without the key."""
    rows = list(AuditEvent.objects.filter(school_id=from_event.school_id).order_by("id"))
    prev = audit.GENESIS
    for ev in rows:
        if ev.pk >= from_event.pk:
            ev.prev_hash = prev
            ev.chain_version = version
            payload_hash = audit.event_hash(
                prev_hash=prev,
                school_id=ev.school_id,
                actor_id=ev.actor_id,
                action=ev.action,
                object_type=ev.object_type,
                object_id=ev.object_id,
                before=ev.before,
                after=ev.after,
                reason=ev.reason,
                ip=ev.ip,
                created_at=ev.created_at,
                version=audit.UNKEYED,  # plain SHA-256: all one can compute without the key
            )
            ev.hash = payload_hash if version == audit.UNKEYED else hashlib.sha256(payload_hash.encode()).hexdigest()
            _as_owner_behind_the_trigger(
                "UPDATE accounts_auditevent SET prev_hash = %s, hash = %s, chain_version = %s WHERE id = %s",
                [ev.prev_hash, ev.hash, ev.chain_version, ev.pk],
            )
        prev = ev.hash


def test_new_events_are_keyed_and_verify(world):
    events = _events(world)
    assert {e.chain_version for e in events} == {audit.KEYED}
    assert audit.verify_chain(world.school.pk) == []
    call_command("verify_audit", stdout=StringIO())


def test_old_unkeyed_events_still_verify_before_the_keyed_ones(world):
    """The upgrade path: rows written before the keyed chain (version 1) keep verifying."""
    events = _events(world, 2)
    _rechain_without_the_key(events[0], version=audit.UNKEYED)  # as migration 0008 found them
    with transaction.atomic():
        audit.record(actor=world.teacher, action="mark.update", obj=world.lessons[0])
    assert list(AuditEvent.objects.order_by("id").values_list("chain_version", flat=True)) == [1, 1, 2]
    assert audit.verify_chain(world.school.pk) == []


@pytest.mark.parametrize("version", [audit.KEYED, audit.UNKEYED])
def test_a_rechained_forgery_is_found(world, version):
    events = _events(world)
    _as_owner_behind_the_trigger(
        'UPDATE accounts_auditevent SET after = \'{"value": "5"}\' WHERE id = %s', [events[1].pk]
    )
    _rechain_without_the_key(events[1], version=version)
    why = "content does not match its hash" if version == audit.KEYED else "unkeyed event after keyed ones"
    assert audit.verify_chain(world.school.pk) == [(world.school.pk, events[1].pk, why)]
    err = StringIO()
    with pytest.raises(CommandError, match="damaged in 1 chain"):
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    assert f"chain broken at audit event #{events[1].pk}" in err.getvalue()


def test_a_whole_chain_rewritten_unkeyed_is_found_by_the_anchor(world):
    events = _events(world)
    anchors.append()
    _as_owner_behind_the_trigger(
        'UPDATE accounts_auditevent SET after = \'{"value": "5"}\' WHERE id = %s', [events[1].pk]
    )
    _rechain_without_the_key(events[0], version=audit.UNKEYED)
    assert audit.verify_chain(world.school.pk) == []  # a consistent unkeyed chain…
    problems = anchors.check()  # …whose head is not the one anchored
    assert problems == [(world.school.pk, events[-1].pk, problems[0][2])]
    assert "another hash" in problems[0][2]


def test_a_deleted_tail_is_found_and_announced(world):
    events = _events(world)
    anchors.append()
    call_command("verify_audit", stdout=StringIO())
    _as_owner_behind_the_trigger("DELETE FROM accounts_auditevent WHERE id >= %s", [events[2].pk])
    assert audit.verify_chain(world.school.pk) == []  # what is left is a valid chain

    err = StringIO()
    with pytest.raises(CommandError, match="anchor problem"):
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    assert f"anchor check failed at audit event #{events[-1].pk}: anchored event is missing" in err.getvalue()

    problems = integrity.verify_audit()
    assert {p[0] for p in problems} == {world.school.pk}
    told = set(Notification.objects.filter(title__contains="аудита").values_list("user_id", flat=True))
    assert told == {world.admin.pk, world.director.pk}


def test_the_anchor_file_is_signed_and_linked(world, settings):
    _events(world, 2)
    anchors.append()
    with transaction.atomic():
        audit.record(actor=world.teacher, action="mark.update", obj=world.lessons[0])
    anchors.append()
    path = anchors.anchor_path()
    assert anchors.read()[1] == [] and len(anchors.read()[0]) == 2
    lines = path.read_text().splitlines()
    path.write_text(lines[1] + "\n")  # the first line removed
    assert "removed or changed" in anchors.read()[1][0]
    path.write_text(lines[0].replace('"count": 2', '"count": 1') + "\n")
    assert "bad signature" in anchors.read()[1][0]


def test_nothing_is_announced_when_intact(world):
    _events(world)
    anchors.append()
    assert integrity.verify_audit() == []
    assert not Notification.objects.exists()
