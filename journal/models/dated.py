"""Dated rows: the one definition of "current on a day" and "overlapping a range".

A dated row (an enrollment, an academic year, a study period) runs from `start` to
`end`, both days included; an empty `end` means it has not ended yet. The rule is
written here once, in each of the three languages the code asks it in:

- on objects already loaded: `covers(start, end, day)`, `overlaps(start, end, lo, hi)`
  (and `DateRangeModel.covers()` / `.overlaps()` on the model);
- in the ORM: `DateRangeQuerySet.on(day)`, `.overlapping(start, end)`, `.current()`
  and the `Q` builders `on_q()` / `overlapping_q()` for lookups through a relation;
- in raw SQL: `on_sql()` and `ROSTER`, next to their Python twins;
  tests/test_dated.py proves each pair agrees on the same rows.

Who is in a journal on a day (docs/DESIGN.md §2.1, §3.16): the pupils enrolled in the
journal's class on that day and, for a group's journal, members of the group on that day
(`GroupMembership` is dated like an enrollment). A pupil's stay in a group's journal is
the intersection of the two: `EnrollmentQuerySet.of_journal` annotates it as
`stay_start`–`stay_end`, so a pupil moved to another group keeps his rows in the old
group's journal up to the day before the move. Guardianships carry no dates.
"""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils import timezone


def covers(start: date, end: date | None, day: date) -> bool:
    """Does the range [start, end] (end None: open) include `day`?"""
    return start <= day and (end is None or day <= end)


def overlaps(start: date, end: date | None, lo: date, hi: date) -> bool:
    """Does the range [start, end] (end None: open) share a day with [lo, hi]?"""
    return start <= hi and (end is None or end >= lo)


def arrived(start: date, lo: date, hi: date) -> bool:
    """Pupil movement over [lo, hi]: a stay that began after the first day, by the last.
    With `left()`: rows on `lo` + arrived − left = rows on `hi`."""
    return lo < start <= hi


def left(end: date | None, lo: date, hi: date) -> bool:
    """Pupil movement over [lo, hi]: a stay that ended on or after the first day, before the last."""
    return end is not None and lo <= end < hi


class DateRangeQuerySet(models.QuerySet):
    """Rows with a `start`–`end` date range (modelled on AlekSIS `DateRangeQuerySetMixin`)."""

    start_field = "start"
    end_field = "end"

    def _open_ended(self) -> bool:
        return self.model._meta.get_field(self.end_field).null

    def on_q(self, day: date, prefix: str = "") -> Q:
        """Rows current on `day`; `prefix` is the lookup path to the dated model ("enrollments__")."""
        q = Q(**{f"{prefix}{self.start_field}__lte": day})
        ends = Q(**{f"{prefix}{self.end_field}__gte": day})
        if self._open_ended():
            ends |= Q(**{f"{prefix}{self.end_field}__isnull": True})
        return q & ends

    def overlapping_q(self, start: date, end: date, prefix: str = "") -> Q:
        """Rows sharing at least one day with [start, end]."""
        q = Q(**{f"{prefix}{self.start_field}__lte": end})
        ends = Q(**{f"{prefix}{self.end_field}__gte": start})
        if self._open_ended():
            ends |= Q(**{f"{prefix}{self.end_field}__isnull": True})
        return q & ends

    def on(self, day: date):
        return self.filter(self.on_q(day))

    def overlapping(self, start: date, end: date):
        return self.filter(self.overlapping_q(start, end))

    def current(self):
        """Rows current today (the school's local date)."""
        return self.on(timezone.localdate())


class EnrollmentQuerySet(DateRangeQuerySet):
    def of_journal(self, assignment, start: date | None = None, end: date | None = None):
        """Enrollments in the journal's class, annotated with the pupil's stay in the journal
        (`stay_start`, `stay_end`; `stay_end` None: open). For a group's journal only the
        group's members: one row per enrollment and membership that share a day (and share
        one with [start, end] when given), the stay being their common days."""
        from .groups import GroupMembership

        qs = self.filter(school_class_id=assignment.school_class_id)
        if not assignment.group_id:
            return qs.annotate(stay_start=F("start"), stay_end=F("end"))
        m = "pupil__group_memberships__"
        # One filter() call: every condition speaks of the same membership row (one join).
        member = Q(**{f"{m}group_id": assignment.group_id}) & (
            Q(end__isnull=True) | Q(**{f"{m}start__lte": F("end")})
        )  # the membership begins by the enrollment's end …
        member &= Q(**{f"{m}end__isnull": True}) | Q(**{f"{m}end__gte": F("start")})  # … and ends after its start
        if start is not None:
            member &= GroupMembership.objects.overlapping_q(start, end or start, prefix=m)
        # PostgreSQL's LEAST ignores NULLs: an open end stays open only when both are open.
        return qs.filter(member).annotate(
            stay_start=Greatest(F("start"), F(f"{m}start")), stay_end=Least(F("end"), F(f"{m}end"))
        )

    def roster(self, assignment, day: date):
        """Who is in the journal on `day` (the Python twin of ROSTER)."""
        return self.of_journal(assignment, day, day).on(day)


# --- the SQL twins ----------------------------------------------------------------------


def on_sql(alias: str, day: str) -> str:
    """SQL twin of `DateRangeQuerySet.on`: row `alias` current on the SQL expression `day`."""
    return f'{alias}.start <= {day} AND ({alias}."end" IS NULL OR {alias}."end" >= {day})'


def in_group_sql(assignment: str, pupil: str, day: str) -> str:
    """SQL twin of the group half of `EnrollmentQuerySet.roster`: `pupil` studies in
    journal `assignment` on the SQL date `day` (no group, or a member of its group that day)."""
    return (
        f"({assignment}.group_id IS NULL OR EXISTS (SELECT 1 FROM journal_groupmembership gm"
        f" WHERE gm.group_id = {assignment}.group_id AND gm.pupil_id = {pupil} AND {on_sql('gm', day)}))"
    )


# Pupils of journal `a` on the SQL date `{day}` (fill in with str.format): the SQL twin of
# `EnrollmentQuerySet.roster`. Use as `SELECT ... FROM {ROSTER} [AND ...]`.
ROSTER = f"""
    journal_enrollment e
    WHERE e.school_class_id = a.school_class_id AND {on_sql("e", "{day}")}
      AND {in_group_sql("a", "e.pupil_id", "{day}")}
"""
