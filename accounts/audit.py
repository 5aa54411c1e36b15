"""The append-only audit trail.

Other apps call `record()` inside the transaction of their change, so the change
and its trail row commit or roll back together.
"""

import contextvars
import hashlib
import hmac
import json
import logging
from contextlib import contextmanager
from datetime import UTC

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from . import audit_keys
from .models import AuditEvent

GENESIS = "0" * 64
CHAIN_LOCK = 7301  # pg_advisory_xact_lock(CHAIN_LOCK, school_id): the writers of one school's chain
log = logging.getLogger(__name__)
# Chain versions: 1 = plain SHA-256 (events written before issue 17, still verified as
# they were); 2 = HMAC-SHA-256 with the audit key (audit_keys.py). Once a school's chain
# has a version-2 event, a version-1 event after it is a forgery.
UNKEYED, KEYED = 1, 2
CURRENT_VERSION = KEYED
# The IP of the current request, set by accounts.middleware.ActivityMiddleware.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_ip", default=None)


def _normalize(value):
    """JSON round trip, so the hashed form equals what jsonb gives back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def event_hash(
    *,
    prev_hash,
    school_id,
    actor_id,
    action,
    object_type,
    object_id,
    before,
    after,
    reason,
    ip,
    created_at,
    version=UNKEYED,
):
    payload = json.dumps(
        [
            prev_hash,
            school_id,
            actor_id,
            action,
            object_type,
            str(object_id),
            before,
            after,
            reason,
            ip,
            created_at.astimezone(UTC).isoformat(),
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    if version == KEYED:
        return hmac.new(audit_keys.derived_key("audit-event"), payload.encode(), hashlib.sha256).hexdigest()
    return hashlib.sha256(payload.encode()).hexdigest()


def _hash_of(ev: AuditEvent, prev_hash: str) -> str:
    return event_hash(
        prev_hash=prev_hash,
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
        version=ev.chain_version,
    )


def object_label(obj) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


class LockOrderError(RuntimeError):
    """A transaction locked or wrote rows before it took its school's chain lock."""


# --- the lock order (docs/ARCHITECTURE.md, "The audit trail") ------------------------------
# A transaction that records takes its school's chain lock FIRST, before any row lock
# (SELECT … FOR UPDATE, an UPDATE, or an INSERT, whose foreign keys lock the rows they
# point to). Taken later, it deadlocks: a request holding the chain lock waits for a row
# that another request locked before it queued for the chain lock.


def _chain_held():
    return getattr(connection, "_ej_chain_school", None)


def lock_chain(school_id):
    """Take the school's chain lock in the current transaction (a no-op if already held)."""
    if not connection.in_atomic_block:
        raise LockOrderError("lock_chain() needs a transaction (transaction.atomic).")
    school_id = school_id or 0
    if _chain_held() == school_id:
        return
    _check_order(school_id)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CHAIN_LOCK, school_id])


@contextmanager
def chain(school_id):
    """A write transaction of the school's chain: atomic, and the chain lock is its first lock.

    with audit.chain(lesson_school_id):
        row = Model.objects.select_for_update().get(...)
        ...
        audit.record(...)
    """
    school_id = school_id or 0
    outer = _chain_held()
    # Nested in a chain of the same school (a service calling another): no savepoint of
    # its own. A caller that continues after an inner service's error opens its own
    # transaction.atomic() around the call (journal/services/lessons.py save_pupil_notes).
    with transaction.atomic(savepoint=outer != school_id):
        lock_chain(school_id)
        connection._ej_chain_school = school_id
        try:
            yield
        finally:
            connection._ej_chain_school = outer


@contextmanager
def new_chain(school_id):
    """The chain of a school created in the current transaction (the demo seeder).

    No other transaction can write that chain before this one commits, so the lock cannot
    be out of order: it is taken without the order check, and held for the block as
    `chain()` holds it (records inside take no second lock)."""
    if not connection.in_atomic_block:
        raise LockOrderError("new_chain() needs a transaction (transaction.atomic).")
    outer = _chain_held()
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CHAIN_LOCK, school_id])
    connection._ej_chain_school = school_id
    try:
        yield
    finally:
        connection._ej_chain_school = outer


def _check_order(school_id):
    """Taking the chain lock after this transaction locked or wrote a row breaks the order.

    PostgreSQL assigns a transaction id at its first row lock or write; a transaction that
    has one and does not hold the chain lock yet is out of order. Checked where
    settings.AUDIT_LOCK_ORDER_CHECK is on (the test suite raises, see ejournal/settings/test.py).
    """
    mode = getattr(settings, "AUDIT_LOCK_ORDER_CHECK", "")
    # Inside a test case's own transaction (the `db` fixture) the factories' rows already
    # gave it an id; the check speaks for real transactions (transactional tests, servers).
    if not mode or any(getattr(b, "_from_testcase", False) for b in connection.atomic_blocks):
        return
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_current_xact_id_if_assigned() IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            " AND classid = %s AND objid = %s AND objsubid = 2 AND granted)",
            [CHAIN_LOCK, school_id],
        )
        (late,) = cur.fetchone()
    if late:
        message = f"The audit chain lock of school {school_id} was taken after a row lock: take it first (audit.chain)."
        if mode == "raise":
            raise LockOrderError(message)
        log.warning(message)


def record(
    *,
    actor,
    action: str,
    obj=None,
    object_type: str = "",
    object_id="",
    school=None,
    before=None,
    after=None,
    reason: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the school's chain. Must run inside the caller's transaction."""
    if obj is not None:
        object_type, object_id = object_label(obj)
    school_id = getattr(school, "pk", school)
    if school_id is None and actor is not None:
        school_id = actor.school_id
    # No savepoint: the event belongs to the caller's transaction and fails with it.
    with transaction.atomic(savepoint=False):
        # Serialise writers of one chain; other schools' chains stay independent.
        lock_chain(school_id)
        last = AuditEvent.objects.filter(school_id=school_id).order_by("-id").values_list("hash", flat=True).first()
        ev = AuditEvent(
            school_id=school_id,
            actor_id=getattr(actor, "pk", actor),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            before=_normalize(before),
            after=_normalize(after),
            reason=reason or "",
            ip=ip if ip is not None else current_ip.get(),
            created_at=timezone.now(),
            prev_hash=last or GENESIS,
            chain_version=CURRENT_VERSION,
        )
        ev.hash = _hash_of(ev, ev.prev_hash)
        ev.save(force_insert=True)
    return ev


def record_many(*, actor, school, events, reason: str = "", ip: str | None = None) -> int:
    """Append many events to one school's chain with a fixed number of queries (the lock,
    the last hash, the ids, one COPY); `events` are dicts of `action`, `obj` (or
    `object_type` and `object_id`), `before`, `after` and optionally `reason`. For bulk
    services (the lesson sync writes thousands of lessons a quarter); must run inside
    the caller's transaction, like record(), and writes the same rows record() would."""
    events = list(events)
    if not events:
        return 0
    school_id = getattr(school, "pk", school)
    actor_id = getattr(actor, "pk", actor)
    ip = ip if ip is not None else current_ip.get()
    table = AuditEvent._meta.db_table
    with transaction.atomic(), connection.cursor() as cur:
        lock_chain(school_id)  # held already inside audit.chain(); else the order check applies
        prev = (
            AuditEvent.objects.filter(school_id=school_id).order_by("-id").values_list("hash", flat=True).first()
        ) or GENESIS
        # Ids in list order, so the chain's order by id is the order of `events`.
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(events)]
        )
        ids = [r[0] for r in cur.fetchall()]
        now = timezone.now()
        rows = []
        for pk, e in zip(ids, events, strict=True):
            obj = e.get("obj")
            object_type, object_id = object_label(obj) if obj is not None else (e["object_type"], e["object_id"])
            before, after = _normalize(e.get("before")), _normalize(e.get("after"))
            why = e.get("reason", reason) or ""
            digest = event_hash(
                prev_hash=prev, school_id=school_id, actor_id=actor_id, action=e["action"],
                object_type=object_type, object_id=str(object_id), before=before, after=after, reason=why,
                ip=ip, created_at=now, version=CURRENT_VERSION,
            )  # fmt: skip
            rows.append(
                (
                    pk, school_id, actor_id, e["action"], object_type, str(object_id),
                    None if before is None else json.dumps(before, ensure_ascii=False),
                    None if after is None else json.dumps(after, ensure_ascii=False),
                    why, ip, now, prev, digest, CURRENT_VERSION,
                )
            )  # fmt: skip
            prev = digest
        columns = ["id", "school_id", "actor_id", "action", "object_type", "object_id", "before", "after",
                   "reason", "ip", "created_at", "prev_hash", "hash", "chain_version"]  # fmt: skip
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows)


def verify_chain(school_id=None, *, all_schools=False, using=None):
    """Recompute chains. Returns a list of (school_id, first broken event id, why)."""
    qs = AuditEvent.objects.using(using) if using else AuditEvent.objects.all()
    if not all_schools:
        qs = qs.filter(school_id=school_id)
    return verify_events(qs.order_by("school_id", "id").iterator(chunk_size=2000))


def verify_events(events):
    """The chain check over events ordered by (school, id): model instances, saved or not."""
    problems = []
    broken: set = set()
    prev_by_school: dict = {}
    keyed_seen: set = set()
    for ev in events:
        if ev.school_id in broken:
            continue
        expected_prev = prev_by_school.get(ev.school_id, GENESIS)
        why = None
        if ev.prev_hash != expected_prev:
            why = "prev_hash does not match the previous event"
        elif ev.chain_version not in (UNKEYED, KEYED):
            why = "unknown chain version"
        elif ev.chain_version == UNKEYED and ev.school_id in keyed_seen:
            why = "unkeyed event after keyed ones"
        elif _hash_of(ev, ev.prev_hash) != ev.hash:
            why = "content does not match its hash"
        if why:
            problems.append((ev.school_id, ev.pk, why))
            broken.add(ev.school_id)
            continue
        if ev.chain_version == KEYED:
            keyed_seen.add(ev.school_id)
        prev_by_school[ev.school_id] = ev.hash
    return problems
