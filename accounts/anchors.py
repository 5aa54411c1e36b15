"""Anchors of the audit chain: its head per school, written outside the database.

docs/ARCHIVE.md "Audit chain". Every day (beat) and at every archive the head of each
school's chain (last event id, its hash, the number of events) is appended to a file
outside the database. Each line is signed (HMAC with a key derived from the audit key)
and carries the signature of the line before it, so a line cannot be edited, removed
from the middle or forged without the key. `verify_audit` checks the database against
the anchors: deleting the newest events (which a chain alone cannot show) breaks them.
"""

import fcntl
import json
import os
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from . import audit_keys
from .models import AuditEvent

PURPOSE = "audit-anchor"
START = "0" * 64


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def _sign(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "sig"}
    return audit_keys.mac(PURPOSE, json.dumps(body, sort_keys=True, separators=(",", ":")).encode())


def chain_heads(using=None) -> dict:
    """{school_id: {"last_id", "head", "count"}} of the chains as they are now."""
    qs = AuditEvent.objects.using(using) if using else AuditEvent.objects.all()
    rows = list(qs.values("school_id").annotate(last_id=Max("id"), count=Count("id")).order_by("school_id"))
    hashes = dict(qs.filter(id__in=[r["last_id"] for r in rows]).values_list("id", "hash"))
    return {
        r["school_id"]: {"last_id": r["last_id"], "head": hashes.get(r["last_id"], ""), "count": r["count"]}
        for r in rows
    }


def read(path: Path | None = None) -> tuple[list[dict], list[str]]:
    """The anchors and what is wrong with the file (bad signature, a broken link)."""
    path = path or anchor_path()
    if not path.exists():
        return [], []
    entries, problems = [], []
    prev = START
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            problems.append(f"anchor file line {n}: not JSON")
            break
        if entry.get("sig") != _sign(entry):
            problems.append(f"anchor file line {n}: bad signature")
            break
        if entry.get("prev") != prev:
            problems.append(f"anchor file line {n}: a line before it was removed or changed")
            break
        prev = entry["sig"]
        entries.append(entry)
    return entries, problems


def append(source: str = "daily", heads: dict | None = None, path: Path | None = None, now=None) -> list[dict]:
    """Anchor the chain heads of every school (or the given ones). Returns the new lines."""
    path = path or anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    heads = chain_heads() if heads is None else heads
    at = (now or timezone.now()).isoformat()
    written = []
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "r+", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)  # two writers append one after the other
        f.seek(0)
        lines = [ln for ln in f.read().splitlines() if ln.strip()]
        prev = json.loads(lines[-1])["sig"] if lines else START
        for school_id, head in sorted(heads.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
            entry = {"at": at, "school": school_id, "source": source, "prev": prev, **head}
            entry["sig"] = _sign(entry)
            f.write(json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n")
            prev = entry["sig"]
            written.append(entry)
        f.flush()
        os.fsync(f.fileno())
    return written


def check(using=None, path: Path | None = None) -> list[tuple]:
    """(school_id, event id or None, why) for every anchor the database no longer matches."""
    entries, file_problems = read(path)
    problems = [(None, None, why) for why in file_problems]
    if not entries:
        return problems
    qs = AuditEvent.objects.using(using) if using else AuditEvent.objects.all()
    anchored = {e["last_id"] for e in entries}
    hashes = dict(qs.filter(id__in=anchored).values_list("id", "hash"))
    latest: dict = {}
    for e in entries:
        latest[e["school"]] = e
        found = hashes.get(e["last_id"])
        if found is None:
            problems.append((e["school"], e["last_id"], f"anchored event is missing (anchor of {e['at']})"))
        elif found != e["head"]:
            problems.append((e["school"], e["last_id"], f"anchored event has another hash (anchor of {e['at']})"))
    for school_id, e in latest.items():
        count = qs.filter(school_id=school_id, id__lte=e["last_id"]).count()
        if count != e["count"]:
            problems.append(
                (school_id, e["last_id"], f"{e['count']} events up to the anchor of {e['at']}, {count} now")
            )
    # One line per problem and school is enough to act on.
    seen, out = set(), []
    for p in problems:
        if (p[0], p[2]) not in seen:
            seen.add((p[0], p[2]))
            out.append(p)
    return out
