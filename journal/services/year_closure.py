"""Closing and reopening the school year (docs/DESIGN.md §3.25: the year is closed by the
director's order).

- `close_year`: the director alone. While the year-end check (journal/year_end.py) lists
  blockers, closing is refused unless the director gives an explicit override reason of
  at least 10 characters; the reason and what the check found go into the audit trail
  (`year.close`) in the same transaction that sets `AcademicYear.is_closed`. From then on
  PostgreSQL refuses every change to the year's records (journal/migrations/0011_year_closure.py).
- `reopen_year`: the director alone, with a reason (≥ 10 characters), audited as
  `year.reopen`: the only way to correct a closed year.
"""

from django.db import connection
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import audit

from .. import access
from ..models import AcademicYear
from .errors import NotAllowed, ServiceError
from .limits import REASON_MAX, clean_text

REASON_MIN = 10  # characters of an override or reopening reason, as for corrections (docs/DESIGN.md §3.10)


class YearClosureError(ServiceError):
    """Closing or reopening refused: `blockers` is the year-end check when it was the cause."""

    def __init__(self, message=None, *, code=None, check=None, **params):
        super().__init__(message, code=code, **params)
        self.check = check


def _reason(text, *, required_message) -> str:
    text = clean_text(text or "", max_length=REASON_MAX, field=_("причина"))
    if len(text) < REASON_MIN:
        raise YearClosureError(required_message, code="reason_required")
    return text


def _hold_writers():
    """Wait for the transactions writing a year's records, and hold new ones until this
    closing commits. The closed-year triggers read `is_closed` as committed: a writer that
    read it open before this commit could otherwise commit into a closed year after it. (The
    app's services already wait on the school's audit chain; this covers raw SQL and the
    admin site alike.) The guarded tables are the triggers' own list, read from PostgreSQL."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.oid::regclass::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname = 'journal_closed_year_guard' ORDER BY 1"
        )
        tables = [row[0] for row in cur.fetchall()]
        if tables:
            cur.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE MODE")


def _set_closed(actor, year, closed: bool, reason: str, **facts):
    """Set the flag and record it (`year.close` / `year.reopen`), in the caller's transaction."""
    AcademicYear.objects.filter(pk=year.pk).update(is_closed=closed)
    year.is_closed = closed
    audit.record(
        actor=actor,
        action="year.close" if closed else "year.reopen",
        obj=year,
        school=year.school_id,
        before={"is_closed": not closed},
        after={"is_closed": closed, **facts},
        reason=reason,
    )


def _locked_year(actor, year) -> AcademicYear:
    pk = getattr(year, "pk", year)
    locked = (
        AcademicYear.objects.select_for_update(of=("self",))
        .select_related("school")
        .filter(pk=pk, school_id=actor.school_id)
        .first()
    )
    if locked is None:
        raise YearClosureError(_("Учебный год не найден."), code="not_found")
    return locked


def close_year(actor, year, override_reason=None, *, now=None) -> AcademicYear:
    """Close `year` (an AcademicYear or its id) of the director's school."""
    from ..year_end import check_year

    if not access.can_close_year(actor):
        raise NotAllowed(_("Закрыть учебный год может только директор."))
    now = now or timezone.now()
    with audit.chain(actor.school_id):
        year = _locked_year(actor, year)
        if year.is_closed:
            raise YearClosureError(_("Учебный год %(year)s уже закрыт.") % {"year": year.name}, code="already_closed")
        if timezone.localdate(now) < year.end:
            # A year is closed after its last day (docs/DESIGN.md §3.25): never the running
            # year, nor a next year made early by the wizard.
            raise YearClosureError(
                _("Учебный год %(year)s ещё не окончен: его закрывают после последнего учебного дня (%(end)s).")
                % {"year": year.name, "end": formats.date_format(year.end, "d.m.Y")},
                code="not_ended",
            )
        _hold_writers()
        check = check_year(year, now)
        reason = ""
        if check.passed and (override_reason or "").strip():
            # Nothing to override, but what the director wrote is kept with the closing.
            reason = clean_text(override_reason, max_length=REASON_MAX, field=_("причина"))
        if not check.passed:
            if not (override_reason or "").strip():
                raise YearClosureError(
                    _(
                        "Учебный год нельзя закрыть: проверка нашла незавершённое (%(n)s). "
                        "Исправьте его или укажите причину закрытия без исправления."
                    )
                    % {"n": check.blockers},
                    code="blockers",
                    check=check,
                )
            reason = _reason(
                override_reason,
                required_message=_("Причина закрытия года без исправления — не короче %(n)s символов.")
                % {"n": REASON_MIN},
            )
        _set_closed(actor, year, True, reason, blockers=check.summary(), override=bool(reason))
    return year


def reopen_year(actor, year, reason, *, now=None) -> AcademicYear:
    """Reopen a closed `year`: its records become writable again, with the reason recorded."""
    if not access.can_close_year(actor):
        raise NotAllowed(_("Переоткрыть учебный год может только директор."))
    with audit.chain(actor.school_id):
        year = _locked_year(actor, year)
        if not year.is_closed:
            raise YearClosureError(_("Учебный год %(year)s не закрыт.") % {"year": year.name}, code="not_closed")
        reason = _reason(
            reason,
            required_message=_("Укажите причину переоткрытия года — не короче %(n)s символов.") % {"n": REASON_MIN},
        )
        _set_closed(actor, year, False, reason)
    return year
