"""Lessons follow the timetable (docs/DESIGN.md §2.1): the one service that makes them.

`sync_school(school_id, today=…, until=…)` brings a school's lessons in line with its
timetable lines, bells, holidays and study periods over a horizon (by default to the
end of the current study period, at least HORIZON_MIN_DAYS ahead). Celery beat runs it
nightly for every school (`journal.sync_all_lessons`), the services and admin pages
that change the timetable queue it on commit (`queue_sync`), and `manage.py
sync_lessons` runs it by hand. The demo seeds its lessons with it too.

A lesson's place in the timetable is (timetable_entry, scheduled_date). On each run:

- a place with no lesson gets one (from `start`, today by default);
- a future lesson (after `today`) whose place is gone is moved to a new place of the
  same journal in the same week if there is one (a changed line), deleted otherwise
  — but only when it holds no records (topic, homework, works, attendance, roll,
  comments, substitutions). A lesson that holds records keeps its place and is listed
  for the deputy (a LessonReview: cancel, move or keep, journal/services/lesson_changes.py);
- lessons added, moved, cancelled or kept by hand (`manual`) are left alone, and
  today's and past lessons are never touched.

Idempotent: a second run on the same clock finds nothing to do and writes nothing.
Every change is audited in the same transaction (accounts.audit.record_many), and the
number of queries per school does not grow with the number of lessons.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import School

from ..calendar import is_public_holiday
from ..models import (
    AcademicYear,
    Assessment,
    Attendance,
    AttendanceRoll,
    Homework,
    IndividualHomework,
    Lesson,
    LessonComment,
    LessonReview,
    StudyPeriod,
    Substitution,
    TimetableEntry,
)

log = logging.getLogger(__name__)

HORIZON_MIN_DAYS = 14
_LOCK_NAMESPACE = 7308  # pg_advisory_xact_lock(namespace, school_id): one sync per school at a time


@dataclass
class SyncResult:
    school_id: int
    start: date
    until: date
    created: int = 0
    moved: int = 0
    removed: int = 0
    flagged: int = 0
    closed: int = 0
    blocked: list = field(default_factory=list)  # places no lesson could take (hand-placed lessons there)

    @property
    def changed(self) -> int:
        return self.created + self.moved + self.removed + self.flagged + self.closed

    def as_dict(self) -> dict:
        return {
            "school": self.school_id,
            "start": self.start.isoformat(),
            "until": self.until.isoformat(),
            "created": self.created,
            "moved": self.moved,
            "removed": self.removed,
            "flagged": self.flagged,
            "closed": self.closed,
        }


def has_records_q(prefix: str = "") -> Q:
    """The lesson holds something a person entered: it is never deleted or moved silently."""
    ref = OuterRef(f"{prefix}pk")
    return (
        ~Q(**{f"{prefix}topic": ""})
        | Exists(Homework.objects.filter(lesson=ref))
        | Exists(IndividualHomework.objects.filter(lesson=ref))
        | Exists(LessonComment.objects.filter(lesson=ref))
        | Exists(Assessment.objects.filter(lesson=ref))
        | Exists(Attendance.objects.filter(lesson=ref))
        | Exists(AttendanceRoll.objects.filter(lesson=ref))
        | Exists(Substitution.objects.filter(lesson=ref))
    )


def horizon(school_id: int, today: date) -> date:
    """The end of the current study period (the next one during holidays), at least
    HORIZON_MIN_DAYS ahead: the coming days always have their lessons."""
    end = (
        StudyPeriod.objects.filter(year__school_id=school_id, end__gte=today)
        .exclude(scheme=StudyPeriod.Scheme.YEAR)
        .order_by("end")
        .values_list("end", flat=True)
        .first()
    )
    floor = today + timedelta(days=HORIZON_MIN_DAYS)
    return max(end, floor) if end else floor


# --- what the timetable wants ----------------------------------------------------------


def _years(school_id, start, until):
    years = list(
        AcademicYear.objects.overlapping(start, until)
        .filter(school_id=school_id, is_closed=False)  # a closed year's lessons stay as they are (docs/DESIGN.md §3.25)
        .prefetch_related("periods", "holidays")
    )
    return {y.pk: y for y in years}


def _entries(school_id, year_ids, start, until):
    return list(
        TimetableEntry.objects.filter(
            assignment__school_class__year_id__in=year_ids,
            assignment__school_class__year__school_id=school_id,
            assignment__is_active=True,
            valid_from__lte=until,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .values(
            "pk",
            "assignment_id",
            "weekday",
            "bell_id",
            "room_id",
            "valid_from",
            "valid_to",
            "assignment__school_class__grade",
            "assignment__school_class__period_scheme",
            "assignment__school_class__year_id",
        )
        .order_by("pk")
    )


def wanted_places(years: dict, entries: list, start: date, until: date) -> dict:
    """{(entry id, day): (assignment id, bell id, room id)} for [start, until]: the
    line's weekday within its validity and the year, inside a study period of the
    class's scheme (when the year has them), not a public holiday or the grade's holidays."""
    wanted = {}
    spans: dict = {}
    for e in entries:
        year = years[e["assignment__school_class__year_id"]]
        grade, scheme = e["assignment__school_class__grade"], e["assignment__school_class__period_scheme"]
        key = (year.pk, grade, scheme)
        if key not in spans:
            periods = [(p.start, p.end) for p in year.periods.all() if p.scheme == scheme]
            holidays = [(h.start, h.end) for h in year.holidays.all() if h.applies_to(grade)]
            spans[key] = (periods, holidays)
        periods, holidays = spans[key]
        lo = max(start, e["valid_from"], year.start)
        hi = min(until, e["valid_to"] or until, year.end)
        day = lo + timedelta(days=(e["weekday"] - lo.isoweekday()) % 7)
        while day <= hi:
            if (
                (not periods or any(s <= day <= f for s, f in periods))
                and not any(s <= day <= f for s, f in holidays)
                and not is_public_holiday(day)
            ):
                wanted[e["pk"], day] = (e["assignment_id"], e["bell_id"], e["room_id"])
            day += timedelta(days=7)
    return wanted


# --- the run ---------------------------------------------------------------------------


def _state(row) -> dict:
    return {
        "assignment": row["assignment_id"],
        "date": row["date"],
        "bell": row["bell_id"],
        "room": row["room_id"],
        "timetable_entry": row["timetable_entry_id"],
    }


def _week(day: date):
    return day.isocalendar()[:2]


def sync_school(school_id: int, *, today=None, until=None, start=None, actor=None, reason="", now=None) -> SyncResult:
    """Bring the school's lessons in line with its timetable over [start, until]."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    until = until or horizon(school_id, today)
    start = start or today
    result = SyncResult(school_id, start, until)
    if start > until:
        return result
    reason = reason or _("Уроки по расписанию")
    # The chain lock first (the writers' one lock order), then one sync per school.
    with audit.chain(school_id):
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, school_id])
        years = _years(school_id, start, until)
        entries = _entries(school_id, list(years), start, until) if years else []
        wanted = wanted_places(years, entries, start, until)
        rows = list(
            Lesson.objects.filter(
                assignment__school_class__year__school_id=school_id, assignment__school_class__year__is_closed=False
            )
            .filter(Q(date__range=(start, until)) | Q(scheduled_date__range=(start, until)))
            .annotate(held=has_records_q())
            .values(
                "pk",
                "assignment_id",
                "date",
                "bell_id",
                "room_id",
                "timetable_entry_id",
                "scheduled_date",
                "manual",
                "held",
            )
            .order_by("date", "bell_id", "pk")
        )
        open_reviews = {
            r["lesson_id"]: r
            for r in LessonReview.objects.open()
            .filter(school_id=school_id)
            .values("pk", "lesson_id", "kind", "target_entry_id", "target_date", "target_bell_id", "target_room_id")
        }
        plan = _plan(wanted, rows, today, open_reviews)
        _apply(plan, school_id, actor, reason, now, result)
    return result


@dataclass
class _Plan:
    create: list = field(default_factory=list)  # (entry id, day, assignment, bell, room)
    move: list = field(default_factory=list)  # (row, entry id, day, bell, room)
    delete: list = field(default_factory=list)  # rows
    flag: list = field(default_factory=list)  # (row, kind, target or None)
    close: list = field(default_factory=list)  # open review dicts whose lesson is in place again
    blocked: list = field(default_factory=list)


def _plan(wanted: dict, rows: list, today: date, open_reviews: dict) -> _Plan:
    plan = _Plan()
    taken: dict = {}  # (assignment, day, bell) -> row: places held by lessons now
    claimed: set = set()  # timetable places that have their lesson
    unwanted = []
    for row in rows:
        taken[row["assignment_id"], row["date"], row["bell_id"]] = row
        if row["timetable_entry_id"] and row["scheduled_date"]:
            claimed.add((row["timetable_entry_id"], row["scheduled_date"]))
    for row in rows:
        if row["manual"] or row["scheduled_date"] is None:
            continue  # one-off, hand-changed or older lessons: not the sync's
        place = (row["timetable_entry_id"], row["scheduled_date"])
        want = wanted.get(place) if row["timetable_entry_id"] else None
        if (
            want is not None
            and want == (row["assignment_id"], row["bell_id"], row["room_id"])
            and (row["date"] == row["scheduled_date"])
        ):
            if row["pk"] in open_reviews:
                plan.close.append(open_reviews[row["pk"]])
            continue
        if row["date"] <= today:
            continue  # today's and past lessons are history
        if want is not None:
            # The same line, changed in place (another bell or room): move within the day.
            claimed.discard(place)
        unwanted.append(row)
    missing = [(place, spec) for place, spec in wanted.items() if place not in claimed]
    # Pair lessons that lost their place with new places of the same journal in the same week.
    by_week: dict = defaultdict(lambda: ([], []))
    for row in unwanted:
        by_week[row["assignment_id"], _week(row["date"])][0].append(row)
    for place, spec in missing:
        by_week[spec[0], _week(place[1])][1].append((place, spec))
    creates = []
    for (_assignment, _wk), (lost, new) in sorted(by_week.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        lost.sort(key=lambda r: (r["date"], r["bell_id"], r["pk"]))
        new.sort(key=lambda ps: (ps[0][1], ps[1][1], ps[0][0]))
        pairs = []
        for matcher in (
            lambda r, ps: (r["date"], r["bell_id"]) == (ps[0][1], ps[1][1]),
            lambda r, ps: r["date"] == ps[0][1],
            lambda r, ps: True,
        ):
            for r in list(lost):
                ps = next((ps for ps in new if matcher(r, ps)), None)
                if ps is not None:
                    pairs.append((r, ps))
                    lost.remove(r)
                    new.remove(ps)
        for r, ((entry_id, day), (_a, bell, room)) in pairs:
            same_place = (r["date"], r["bell_id"], r["room_id"]) == (day, bell, room)
            if r["held"] and not same_place:
                plan.flag.append((r, LessonReview.Kind.MOVED, (entry_id, day, bell, room)))
            else:  # no records, or only the line changed around it: it takes the new place
                plan.move.append((r, entry_id, day, bell, room))
                if r["pk"] in open_reviews:
                    plan.close.append(open_reviews[r["pk"]])
        for r in lost:
            if r["held"]:
                plan.flag.append((r, LessonReview.Kind.REMOVED, None))
            else:
                plan.delete.append(r)
        creates += new
    # Keys: deletions free places, moves take theirs in waves (a swap never collides).
    for r in plan.delete:
        taken.pop((r["assignment_id"], r["date"], r["bell_id"]), None)
    waves, pending = [], list(plan.move)
    while pending:
        wave, rest = [], []
        for m in pending:
            r, _e, day, bell, _room = m
            holder = taken.get((r["assignment_id"], day, bell))
            if holder is None or holder is r:
                wave.append(m)
            else:
                rest.append(m)
        if not wave:
            break
        for r, _e, day, bell, _room in wave:
            if taken.get((r["assignment_id"], r["date"], r["bell_id"])) is r:
                del taken[r["assignment_id"], r["date"], r["bell_id"]]
            taken[r["assignment_id"], day, bell] = r
        waves.append(wave)
        pending = rest
    plan.move = waves
    for r, entry_id, day, bell, room in pending:
        # Its new place is held by a lesson that stays, or a ring of moves: having no records,
        # it is deleted and its new place made afresh (when that place is free by then).
        taken.pop((r["assignment_id"], r["date"], r["bell_id"]), None)
        plan.delete.append(r)
        creates.append(((entry_id, day), (r["assignment_id"], bell, room)))
    for (entry_id, day), (assignment, bell, room) in creates:
        if (assignment, day, bell) in taken:
            plan.blocked.append((entry_id, day))
            continue
        taken[assignment, day, bell] = True
        plan.create.append((entry_id, day, assignment, bell, room))
    plan.flag = [
        f for f in plan.flag if not (f[0]["pk"] in open_reviews and _review_matches(open_reviews[f[0]["pk"]], *f[1:]))
    ]
    return plan


def _review_matches(review: dict, kind, target) -> bool:
    entry, day, bell, room = target or (None, None, None, None)
    return (review["kind"], review["target_entry_id"], review["target_date"], review["target_bell_id"]) == (
        kind,
        entry,
        day,
        bell,
    ) and review["target_room_id"] == room


def _apply(plan: _Plan, school_id, actor, reason, now, result: SyncResult):
    events = []
    touched = [r["pk"] for r in plan.delete] + [m[0]["pk"] for wave in plan.move for m in wave]
    if touched:
        # Lock the lessons about to change and ask again whether they hold records: a
        # teacher's service locks the lesson row before writing into it.
        still_free = set(
            Lesson.objects.select_for_update(of=("self",))
            .filter(pk__in=touched)
            .annotate(held=has_records_q())
            .filter(held=False)
            .values_list("pk", flat=True)
        )
        late = set(touched) - still_free
        if late:
            # Filled in while we planned: next run lists them for the deputy.
            plan.delete = [r for r in plan.delete if r["pk"] not in late]
            plan.move = [[m for m in wave if m[0]["pk"] not in late] for wave in plan.move]
    if plan.delete:
        ids = [r["pk"] for r in plan.delete]
        LessonReview.objects.filter(lesson_id__in=ids).delete()
        Lesson.objects.filter(pk__in=ids).delete()
        events += [
            {
                "action": "lesson.sync_delete",
                "object_type": "journal.lesson",
                "object_id": r["pk"],
                "before": _state(r),
            }
            for r in plan.delete
        ]
        result.removed = len(ids)
    for wave in plan.move:
        if not wave:
            continue
        objs = []
        for r, entry_id, day, bell, room in wave:
            objs.append(
                Lesson(
                    pk=r["pk"], date=day, scheduled_date=day, bell_id=bell, room_id=room, timetable_entry_id=entry_id
                )
            )
            after = {
                "assignment": r["assignment_id"],
                "date": day,
                "bell": bell,
                "room": room,
                "timetable_entry": entry_id,
            }
            events.append(
                {
                    "action": "lesson.sync_move",
                    "object_type": "journal.lesson",
                    "object_id": r["pk"],
                    "before": _state(r),
                    "after": after,
                }
            )
        Lesson.objects.bulk_update(objs, ["date", "scheduled_date", "bell", "room", "timetable_entry"])
        result.moved += len(objs)
    if plan.create:
        created = _copy_lessons(plan.create, now)
        events += [
            {
                "action": "lesson.sync_create",
                "object_type": "journal.lesson",
                "object_id": pk,
                "after": {"assignment": assignment, "date": day, "bell": bell, "room": room, "timetable_entry": entry},
            }
            for pk, (entry, day, assignment, bell, room) in zip(created, plan.create, strict=True)
        ]
        result.created = len(created)
    if plan.flag:
        flagged_ids = [r["pk"] for r, _k, _t in plan.flag]
        LessonReview.objects.open().filter(lesson_id__in=flagged_ids).update(
            resolved_at=now, resolution=LessonReview.Resolution.TIMETABLE
        )
        reviews = []
        for r, kind, target in plan.flag:
            entry, day, bell, room = target or (None, None, None, None)
            reviews.append(
                LessonReview(
                    school_id=school_id,
                    lesson_id=r["pk"],
                    kind=kind,
                    target_entry_id=entry,
                    target_date=day,
                    target_bell_id=bell,
                    target_room_id=room,
                    detected_at=now,
                )
            )
        reviews = LessonReview.objects.bulk_create(reviews)
        events += [
            {
                "action": "lesson.review_open",
                "object_type": "journal.lesson",
                "object_id": rv.lesson_id,
                "after": {
                    "review": rv.pk,
                    "kind": rv.kind,
                    "target_date": rv.target_date,
                    "target_bell": rv.target_bell_id,
                    "target_room": rv.target_room_id,
                    "target_entry": rv.target_entry_id,
                },
            }
            for rv in reviews
        ]
        result.flagged = len(reviews)
    if plan.close:
        LessonReview.objects.filter(pk__in=[rv["pk"] for rv in plan.close]).update(
            resolved_at=now, resolution=LessonReview.Resolution.TIMETABLE
        )
        events += [
            {
                "action": "lesson.review_close",
                "object_type": "journal.lesson",
                "object_id": rv["lesson_id"],
                "before": {"review": rv["pk"], "kind": rv["kind"]},
                "after": {"resolution": LessonReview.Resolution.TIMETABLE.value},
            }
            for rv in plan.close
        ]
        result.closed = len(plan.close)
    result.blocked = plan.blocked
    audit.record_many(actor=actor, school=school_id, events=events, reason=reason)


def _copy_lessons(places, now) -> list[int]:
    """Insert the new lessons with COPY (ids from the sequence first): two queries for any
    number of lessons, where an INSERT of a quarter's lessons spends seconds binding values."""
    table = Lesson._meta.db_table
    fields = Lesson._meta.concrete_fields
    base = {f.attname: f.get_default() for f in fields}
    base["created_at"] = now
    with connection.cursor() as cur:
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(places)]
        )
        ids = [r[0] for r in cur.fetchall()]
        with cur.copy(f"COPY {table} ({', '.join(f.column for f in fields)}) FROM STDIN") as copy:
            for pk, (entry, day, assignment, bell, room) in zip(ids, places, strict=True):
                row = dict(
                    base, id=pk, assignment_id=assignment, date=day, scheduled_date=day, bell_id=bell, room_id=room,
                    timetable_entry_id=entry,
                )  # fmt: skip
                copy.write_row([str(v) if isinstance(v, str) else v for v in (row[f.attname] for f in fields)])
    return ids


# --- entry points ------------------------------------------------------------------------


def school_ids():
    return list(School.objects.order_by("pk").values_list("pk", flat=True))


def sync_all(*, today=None, until=None) -> list[SyncResult]:
    """Every school, each in its own transaction (the nightly beat entry)."""
    return [sync_school(pk, today=today, until=until) for pk in school_ids()]


def queue_sync(school_id, actor=None):
    """Sync the school's lessons once the current transaction commits (a Celery task).

    Called by every path that changes timetable lines, bells, holidays or periods."""
    from ejournal.queue import enqueue

    from .. import tasks

    enqueue(tasks.sync_lessons, school_id, getattr(actor, "pk", actor))
