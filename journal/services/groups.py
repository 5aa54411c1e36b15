"""Subgroups formed on the class page (issue 15, point 4; docs/DESIGN.md §3.16): a split of
a class into groups, pupils added to a group from a day, a pupil moved to another group
(or out of the group) from a day.

Memberships are dated (journal/models/groups.py). A move ends the old membership the day
before and opens the new one on the day, so the old group's journal keeps the pupil's rows
and records up to the move and the new group's journal shows him from the day. A move
never hides a record: it is refused while the pupil has marks or attendance in the old
group's journals on or after the day.

Each public function is one transaction: the school's audit chain first (`audit.chain`),
permission (journal.access.can_manage_class_groups / can_manage_group), validation with a
Russian message naming the pupil and the day, the write, one audit event per row.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import audit

from .. import access
from ..models import Attendance, Enrollment, Group, GroupMembership, GroupSplit, Mark
from .errors import NotAllowed, ServiceError

User = get_user_model()

SPLIT_NAME_MAX = 40
MIN_GROUPS, MAX_GROUPS = 2, 4


def _d(day) -> str:
    return f"{day:%d.%m.%Y}"


def state(m: GroupMembership) -> dict:
    return {"group": m.group_id, "pupil": m.pupil_id, "start": m.start, "end": m.end}


def _check_day(klass, day: date | None):
    year = klass.year
    if day is None:
        raise ServiceError(_("Укажите дату."), code="bad_date")
    if not (year.start <= day <= year.end):
        raise ServiceError(
            _("Дата %(day)s — вне учебного года %(year)s (%(start)s–%(end)s).")
            % {"day": _d(day), "year": year.name, "start": _d(year.start), "end": _d(year.end)},
            code="outside_year",
        )


def _enrolled_on(klass, pupil_ids, day) -> set[int]:
    return set(
        Enrollment.objects.on(day).filter(school_class=klass, pupil_id__in=pupil_ids).values_list("pupil_id", flat=True)
    )


def _groups_of(group: Group) -> list[Group]:
    """The groups a pupil of `group` may be in only one of: its split's, or itself alone."""
    if group.split_id is None:
        return [group]
    return list(Group.objects.filter(split_id=group.split_id).order_by("name"))


# --- a split and its groups ------------------------------------------------------------


def create_split(actor, klass, *, name: str, groups: int, now=None) -> GroupSplit:
    """A split of the class («англ.», «труд») into `groups` groups «1 группа (англ.)», …"""
    name = " ".join((name or "").split())
    with audit.chain(klass.year.school_id):
        if not access.can_manage_class_groups(actor, klass):
            raise NotAllowed(_("Делить класс на группы может его классный руководитель, секретарь или администратор."))
        if not name:
            raise ServiceError(_("Укажите, для чего деление (например, «англ.»)."), code="required")
        if len(name) > SPLIT_NAME_MAX:
            raise ServiceError(
                _("Название деления — не больше %(max)s знаков.") % {"max": SPLIT_NAME_MAX}, code="too_long"
            )
        if not (MIN_GROUPS <= (groups or 0) <= MAX_GROUPS):
            raise ServiceError(
                _("Групп в делении — от %(min)s до %(max)s.") % {"min": MIN_GROUPS, "max": MAX_GROUPS},
                code="bad_count",
            )
        existing = GroupSplit.objects.filter(school_class=klass, name__iexact=name).first()
        if existing is not None:
            raise ServiceError(
                _("У класса %(klass)s уже есть деление «%(name)s».") % {"klass": klass, "name": existing.name},
                code="exists",
            )
        with translation.override(settings.LANGUAGE_CODE):  # records are kept in Russian (docs/DESIGN.md §1.1)
            names = [_("%(n)s группа (%(split)s)") % {"n": i, "split": name} for i in range(1, groups + 1)]
        taken = set(Group.objects.filter(school_class=klass, name__in=names).values_list("name", flat=True))
        if taken:
            raise ServiceError(
                _("У класса %(klass)s уже есть группа «%(group)s».") % {"klass": klass, "group": sorted(taken)[0]},
                code="exists",
            )
        split = GroupSplit.objects.create(school_class=klass, name=name)
        made = Group.objects.bulk_create([Group(school_class=klass, split=split, name=n) for n in names])
        audit.record(
            actor=actor,
            action="group_split.create",
            obj=split,
            school=klass.year.school_id,
            after={"class": klass.pk, "name": name, "groups": {g.pk: g.name for g in made}},
        )
    return split


# --- adding pupils ------------------------------------------------------------------


def add_members(actor, group: Group, pupil_ids, day: date, now=None) -> list[GroupMembership]:
    """The pupils join `group` on `day` (until the end of the year). All or nothing: a
    refusal names every pupil it concerns."""
    klass = group.school_class
    pupil_ids = list(dict.fromkeys(pupil_ids or ()))
    with audit.chain(klass.year.school_id):
        if not access.can_manage_group(actor, group, klass):
            raise NotAllowed(_("Состав этой группы меняют классный руководитель и учителя группы."))
        _check_day(klass, day)
        if not pupil_ids:
            raise ServiceError(_("Отметьте учеников, которых добавить в группу."), code="required")
        pupils = {u.pk: u for u in User.objects.filter(pk__in=pupil_ids, school_id=klass.year.school_id)}
        enrolled = _enrolled_on(klass, pupils, day)
        siblings = _groups_of(group)
        # The pupils' memberships in the split from `day` on, locked: a second editor waits here.
        later = list(
            GroupMembership.objects.select_for_update()
            .filter(group__in=siblings, pupil_id__in=pupils)
            .overlapping(day, klass.year.end)
            .select_related("group")
            .order_by("start")
        )
        problems = []
        for pid in pupil_ids:
            pupil = pupils.get(pid)
            if pupil is None or pid not in enrolled:
                name = pupil.full_name if pupil else _("Ученик")
                problems.append(
                    _("%(name)s не числится в классе %(klass)s на %(day)s.")
                    % {"name": name, "klass": klass, "day": _d(day)}
                )
                continue
            for m in later:
                if m.pupil_id != pid:
                    continue
                if m.group_id == group.pk:
                    problems.append(
                        _("%(name)s уже в группе «%(group)s» (с %(start)s).")
                        % {"name": pupil.full_name, "group": group.name, "start": _d(m.start)}
                    )
                else:
                    problems.append(
                        _("%(name)s с %(start)s в группе «%(group)s» этого деления: переведите ученика оттуда.")
                        % {"name": pupil.full_name, "group": m.group.name, "start": _d(max(m.start, day))}
                    )
                break
        if problems:
            raise ServiceError(" ".join(problems), code="bad_pupils")
        made = [GroupMembership(group=group, pupil_id=pid, start=day) for pid in pupil_ids]
        _save(made)
        audit.record_many(
            actor=actor,
            school=klass.year.school_id,
            events=[
                {"action": "group_membership.create", "obj": m, "after": state(m)}
                for m in made  # ids are set by bulk_create on PostgreSQL
            ],
        )
    return made


def _save(rows):
    """Insert membership rows; the database's exclusion constraints are the last word."""
    try:
        with transaction.atomic():
            GroupMembership.objects.bulk_create(rows)
    except IntegrityError:
        raise ServiceError(
            _("Состав группы только что изменил другой пользователь: обновите страницу."), code="conflict"
        ) from None


# --- moving a pupil --------------------------------------------------------------------


@dataclass
class Move:
    closed: GroupMembership | None  # the old membership, ended the day before (None: removed)
    opened: GroupMembership | None  # the new one (None: the pupil left the group)


def move_member(actor, group: Group, pupil_id, day: date, to_group: Group | None, now=None) -> Move:
    """The pupil leaves `group` on `day` (his last day there is the day before) and, with
    `to_group`, joins it on `day`. The old group keeps his history."""
    klass = group.school_class
    with audit.chain(klass.year.school_id):
        if not access.can_manage_group(actor, group, klass):
            raise NotAllowed(_("Состав этой группы меняют классный руководитель и учителя группы."))
        if to_group is not None:
            if to_group.school_class_id != klass.pk or to_group.pk == group.pk:
                raise ServiceError(_("Выберите другую группу этого класса."), code="bad_group")
            if not access.can_manage_group(actor, to_group, klass):
                raise NotAllowed(_("Состав группы «%(group)s» вы не меняете.") % {"group": to_group.name})
        _check_day(klass, day)
        pupil = User.objects.filter(pk=pupil_id, school_id=klass.year.school_id).first()
        old = (
            GroupMembership.objects.select_for_update()
            .filter(group=group, pupil_id=pupil_id)
            .on(day)
            .select_related("pupil")
            .first()
        )
        if pupil is None or old is None:
            name = pupil.full_name if pupil else _("Ученик")
            raise ServiceError(
                _("%(name)s не состоит в группе «%(group)s» на %(day)s.")
                % {"name": name, "group": group.name, "day": _d(day)},
                code="not_member",
            )
        if to_group is not None and not _enrolled_on(klass, [pupil.pk], day):
            raise ServiceError(
                _("%(name)s не числится в классе %(klass)s на %(day)s.")
                % {"name": pupil.full_name, "klass": klass, "day": _d(day)},
                code="not_enrolled",
            )
        _refuse_hidden_records(group, pupil, day, old.end)
        opened = None
        if to_group is not None:
            clash = (
                GroupMembership.objects.filter(group__in=_groups_of(to_group), pupil=pupil)
                .exclude(pk=old.pk)
                .overlapping(day, old.end or klass.year.end)
                .select_related("group")
                .first()
            )
            if clash is not None:
                template = (
                    _("%(name)s уже в группе «%(group)s» (с %(start)s).")
                    if clash.group_id == to_group.pk
                    else _("%(name)s с %(start)s в группе «%(group)s» этого деления: переведите ученика оттуда.")
                )
                raise ServiceError(
                    template % {"name": pupil.full_name, "group": clash.group.name, "start": _d(clash.start)},
                    code="already_member",
                )
        events = []
        before = state(old)
        if old.start >= day:  # he never studied in the old group before the day: the row goes
            events.append({"action": "group_membership.delete", "obj": old, "before": before})
            GroupMembership.objects.filter(pk=old.pk).delete()
            closed = None
        else:
            old.end = day - timedelta(days=1)
            old.save(update_fields=["end"])
            events.append({"action": "group_membership.update", "obj": old, "before": before, "after": state(old)})
            closed = old
        if to_group is not None:
            opened = GroupMembership(group=to_group, pupil=pupil, start=day, end=before["end"])
            _save([opened])
            events.append({"action": "group_membership.create", "obj": opened, "after": state(opened)})
        audit.record_many(actor=actor, school=klass.year.school_id, events=events)
    return Move(closed=closed, opened=opened)


def _refuse_hidden_records(group, pupil, day, until):
    """Records of the pupil in the group's journals on or after `day` (within the old
    membership) would leave his row: the move must come after the last of them."""
    where = {"pupil": pupil, "lesson__assignment__group": group, "lesson__date__gte": day}
    marks = {"pupil": pupil, "assessment__lesson__assignment__group": group, "assessment__lesson__date__gte": day}
    if until is not None:
        where["lesson__date__lte"] = until
        marks["assessment__lesson__date__lte"] = until
    last = max(
        [
            d
            for d in (
                Attendance.objects.filter(**where)
                .order_by("-lesson__date")
                .values_list("lesson__date", flat=True)
                .first(),
                Mark.objects.filter(**marks)
                .order_by("-assessment__lesson__date")
                .values_list("assessment__lesson__date", flat=True)
                .first(),
            )
            if d is not None
        ],
        default=None,
    )
    if last is not None:
        raise ServiceError(
            _(
                "У ученика %(name)s есть отметки или посещаемость в группе «%(group)s» за %(last)s: "
                "перевести его можно с %(next)s или позже."
            )
            % {"name": pupil.full_name, "group": group.name, "last": _d(last), "next": _d(last + timedelta(days=1))},
            code="has_records",
        )
