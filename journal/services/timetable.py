"""The timetable editor's changes (issue 15, point 3; docs/DESIGN.md §2.1): add a timetable
line, change one (in place, or from a day on: the old line ends the day before and a new
one takes over), end one.

One public function = one transaction: permission (access.can_edit_timetable), the
school's audit chain locked first (`audit.chain`, the lock accounts.audit.record
takes: it serialises the school's timetable writers, so two
editors never both pass the clash check for one bell), validation, write, audit.
Clashes are refused with a message naming them: the same journal's line overlapping in
dates at the same weekday and bell, and — through the clash rule lesson changes use
(lesson_changes.clash_among) — the class (a group and its whole class), the teacher and
the room at one bell on overlapping dates. The lessons follow on commit: the model
signal (journal/signals.py) queues the school's lesson sync, which moves or removes
only future lessons without records (journal/services/lesson_sync.py).
"""

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit

from .. import access
from ..models import Bell, Room, TeachingAssignment, TimetableEntry
from .errors import NotAllowed, ServiceError
from .lesson_changes import clash_among, sharing_groups

# "по понедельникам": the weekday in the clash messages (… по понедельникам на 2 уроке …)
ON_WEEKDAY = {
    1: gettext_lazy("по понедельникам"),
    2: gettext_lazy("по вторникам"),
    3: gettext_lazy("по средам"),
    4: gettext_lazy("по четвергам"),
    5: gettext_lazy("по пятницам"),
    6: gettext_lazy("по субботам"),
}


def _check_allowed(actor):
    if not access.can_edit_timetable(actor):
        raise NotAllowed(_("Расписание составляют заместитель директора и диспетчер расписания."))


def state(entry: TimetableEntry) -> dict:
    return {
        "assignment": entry.assignment_id,
        "weekday": entry.weekday,
        "bell": entry.bell_id,
        "room": entry.room_id,
        "valid_from": entry.valid_from,
        "valid_to": entry.valid_to,
    }


def _d(day) -> str:
    return f"{day:%d.%m.%Y}" if day else "—"


def _validity(valid_from, valid_to) -> str:
    if valid_to is None:
        return _("с %(from)s") % {"from": _d(valid_from)}
    return _("с %(from)s по %(to)s") % {"from": _d(valid_from), "to": _d(valid_to)}


def _assignment(actor, assignment_id) -> TeachingAssignment:
    a = (
        TeachingAssignment.objects.select_related("school_class__year", "group", "subject", "teacher")
        .filter(pk=assignment_id, school_class__year__school_id=actor.school_id, is_active=True)
        .first()
    )
    if a is None:
        raise ServiceError(_("Выберите журнал из списка."), code="bad_assignment")
    return a


def _place(school_id, weekday, bell_id, room_id):
    if weekday not in ON_WEEKDAY:
        raise ServiceError(_("Выберите день недели с понедельника по субботу."), code="bad_weekday")
    bell = Bell.objects.filter(pk=bell_id, school_id=school_id).first()
    if bell is None:
        raise ServiceError(_("Выберите урок по расписанию звонков."), code="bad_bell")
    room = None
    if room_id:
        room = Room.objects.filter(pk=room_id, school_id=school_id).first()
        if room is None:
            raise ServiceError(_("Выберите кабинет из списка."), code="bad_room")
    return bell, room


def _check_dates(assignment, valid_from: date, valid_to: date | None):
    year = assignment.school_class.year
    if valid_from is None:
        raise ServiceError(_("Укажите, с какого дня действует урок."), code="bad_dates")
    if valid_to is not None and valid_to < valid_from:
        raise ServiceError(_("«Действует по» не может быть раньше «действует с»."), code="bad_dates")
    if not (year.start <= valid_from <= year.end) or (valid_to is not None and valid_to > year.end):
        raise ServiceError(
            _("Даты строки расписания — в пределах учебного года %(year)s (%(start)s–%(end)s).")
            % {"year": year.name, "start": _d(year.start), "end": _d(year.end)},
            code="bad_dates",
        )


def find_clash(assignment, weekday, bell, room, valid_from, valid_to, exclude=()) -> str:
    """The first clash of a line with the school's other lines at its weekday and bell on
    overlapping dates, as a Russian message naming it, or ""."""
    others = list(
        TimetableEntry.objects.filter(
            assignment__school_class__year__school_id=assignment.school_class.year.school_id,
            assignment__is_active=True,
            weekday=weekday,
            bell=bell,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        .filter(**({"valid_from__lte": valid_to} if valid_to else {}))
        .exclude(pk__in=[pk for pk in exclude if pk])
        .select_related("assignment__school_class", "assignment__group", "assignment__subject", "assignment__teacher")
        .order_by("valid_from", "pk")
    )
    place = {"day": ON_WEEKDAY[weekday], "bell": bell.number}
    for other in others:
        if other.assignment_id == assignment.pk:
            return _(
                "Этот урок уже стоит в расписании %(day)s на %(bell)s уроке (%(validity)s): даты строк не должны пересекаться."
            ) % {**place, "validity": _validity(other.valid_from, other.valid_to)}
    year_end = assignment.school_class.year.end
    shared = sharing_groups(assignment, others, valid_from, valid_to or year_end)
    return clash_among(assignment, others, room, place, shared_groups=shared)


def _refuse_clash(*args, **kwargs):
    clash = find_clash(*args, **kwargs)
    if clash:
        raise ServiceError(clash, code="clash")


def add_entry(
    actor, *, assignment_id, weekday, bell_id, room_id=None, valid_from, valid_to=None, now=None
) -> TimetableEntry:
    """A new timetable line of a journal."""
    _check_allowed(actor)
    with audit.chain(actor.school_id):  # the chain lock first: the writers' one lock order
        assignment = _assignment(actor, assignment_id)
        bell, room = _place(actor.school_id, weekday, bell_id, room_id)
        _check_dates(assignment, valid_from, valid_to)
        _refuse_clash(assignment, weekday, bell, room, valid_from, valid_to)
        entry = TimetableEntry.objects.create(
            assignment=assignment, weekday=weekday, bell=bell, room=room, valid_from=valid_from, valid_to=valid_to
        )
        audit.record(actor=actor, action="timetable.add", obj=entry, school=actor.school_id, after=state(entry))
        return entry


def _locked_entry(actor, entry_id) -> TimetableEntry:
    entry = (
        TimetableEntry.objects.select_for_update(of=("self",))
        .select_related("assignment__school_class__year", "assignment__group", "assignment__subject")
        .select_related("assignment__teacher", "bell", "room")
        .filter(pk=entry_id, assignment__school_class__year__school_id=actor.school_id)
        .first()
    )
    if entry is None:
        raise ServiceError(_("Строка расписания не найдена."), code="not_found")
    return entry


def change_entry(
    actor, *, entry_id, weekday, bell_id, room_id=None, valid_from, valid_to=None, now=None
) -> TimetableEntry:
    """Change a line from `valid_from` on. From its first day (or earlier): the line itself
    changes. From a later day: the line ends the day before and a new line with the new
    weekday, bell, room and end takes over — the weeks before keep what they had."""
    _check_allowed(actor)
    with audit.chain(actor.school_id):  # the chain lock first: the writers' one lock order
        entry = _locked_entry(actor, entry_id)
        assignment = entry.assignment
        bell, room = _place(actor.school_id, weekday, bell_id, room_id)
        _check_dates(assignment, valid_from, valid_to)
        if entry.valid_to is not None and valid_from > entry.valid_to:
            raise ServiceError(
                _("Строка действует %(validity)s: изменить её можно с дня не позже %(to)s.")
                % {"validity": _validity(entry.valid_from, entry.valid_to), "to": _d(entry.valid_to)},
                code="bad_dates",
            )
        today = timezone.localdate(now)
        if entry.valid_from < valid_from < today:
            raise ServiceError(
                _("Прошедшие недели не меняются: изменить строку можно с сегодняшнего дня (%(today)s) или позже.")
                % {"today": _d(today)},
                code="past",
            )
        new = (weekday, bell.pk, room.pk if room else None, valid_to)
        if new == (entry.weekday, entry.bell_id, entry.room_id, entry.valid_to) and valid_from == entry.valid_from:
            raise ServiceError(_("Ничего не изменилось: измените день, урок, кабинет или даты."), code="unchanged")
        _refuse_clash(assignment, weekday, bell, room, valid_from, valid_to, exclude=[entry.pk])
        before = state(entry)
        if valid_from <= entry.valid_from:
            entry.weekday, entry.bell, entry.room = weekday, bell, room
            entry.valid_from, entry.valid_to = valid_from, valid_to
            entry.save()
            audit.record(
                actor=actor, action="timetable.change", obj=entry, school=actor.school_id, before=before,
                after=state(entry),
            )  # fmt: skip
            return entry
        entry.valid_to = valid_from - timedelta(days=1)
        entry.save(update_fields=["valid_to"])
        audit.record(
            actor=actor, action="timetable.end", obj=entry, school=actor.school_id, before=before, after=state(entry),
            reason=_("Изменена с %(day)s") % {"day": _d(valid_from)},
        )  # fmt: skip
        successor = TimetableEntry.objects.create(
            assignment=assignment, weekday=weekday, bell=bell, room=room, valid_from=valid_from, valid_to=valid_to
        )
        audit.record(
            actor=actor, action="timetable.add", obj=successor, school=actor.school_id,
            after={**state(successor), "replaces": entry.pk},
        )  # fmt: skip
        return successor


def end_entry(actor, *, entry_id, last_day: date, now=None) -> TimetableEntry | None:
    """End a line after `last_day`. A line ended before its first day never took effect
    and is removed (None is returned)."""
    _check_allowed(actor)
    with audit.chain(actor.school_id):  # the chain lock first: the writers' one lock order
        entry = _locked_entry(actor, entry_id)
        if last_day is None:
            raise ServiceError(_("Укажите последний день урока по этой строке."), code="bad_dates")
        if entry.valid_to is not None and last_day >= entry.valid_to:
            raise ServiceError(
                _("Строка и так действует только по %(to)s.") % {"to": _d(entry.valid_to)}, code="unchanged"
            )
        today = timezone.localdate(now)
        never_started = last_day < entry.valid_from and entry.valid_from > today
        if last_day < today - timedelta(days=1) and not never_started:
            raise ServiceError(
                _("Прошедшие недели не меняются: последний день — не раньше %(day)s.")
                % {"day": _d(today - timedelta(days=1))},
                code="past",
            )
        before = state(entry)
        if last_day < entry.valid_from:
            pk = entry.pk
            entry.delete()
            audit.record(
                actor=actor, action="timetable.delete", object_type="journal.timetableentry", object_id=pk,
                school=actor.school_id, before=before,
            )  # fmt: skip
            return None
        entry.valid_to = last_day
        entry.save(update_fields=["valid_to"])
        audit.record(
            actor=actor, action="timetable.end", obj=entry, school=actor.school_id, before=before, after=state(entry)
        )
        return entry


def next_monday(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today + timedelta(days=7 - today.weekday())
