"""«Подгруппы» of a class (issue 15, point 4): the class's splits and groups with their
members on a day, a new split, pupils added to a group, a pupil moved to another group
from a day. Thin views over journal/services/groups.py; the class and the group come
through journal.access (404 outside the user's scope, 403 for a reader's write)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal import params

from .. import access
from ..forms.groups import AddMembersForm, MoveMemberForm, SplitForm
from ..models import Enrollment, Group, GroupMembership, TeachingAssignment
from ..services import groups as service
from ..services.errors import ServiceError


@dataclass
class GroupView:
    group: Group
    may_manage: bool
    members: list = field(default_factory=list)  # memberships on the day
    former: list = field(default_factory=list)  # memberships of the year that ended before the day
    coming: list = field(default_factory=list)  # memberships that begin after the day
    teachers: list = field(default_factory=list)
    add_form: AddMembersForm | None = None
    move_form: MoveMemberForm | None = None


@dataclass
class SplitView:
    split: object  # GroupSplit, or None for the groups that stand alone
    groups: list
    unassigned: list = field(default_factory=list)  # pupils of the class in none of its groups on the day


def _day(request, klass) -> date:
    """The day the page shows (?date=YYYY-MM-DD, docs/DESIGN.md §3.24): today, within the year."""
    year = klass.year
    day = params.parse_date(request.GET.get("date"), timezone.localdate())
    return min(max(day, year.start), year.end)


def _page_url(klass_id, day) -> str:
    return reverse("journal:class_groups", kwargs={"pk": klass_id}) + "?" + urlencode({"date": day.isoformat()})


def _pupils_on(klass, day) -> list:
    enrolled = Enrollment.objects.on(day).filter(school_class=klass).select_related("pupil")
    return sorted(
        (e.pupil for e in enrolled), key=lambda p: (p.last_name, p.first_name, p.patronymic, p.pk)
    )  # fmt: skip


def _build(request, klass, day, bound=None):
    """The page's splits and groups; `bound`: {("add"|"move", group id): the form with the
    user's input}, shown instead of a blank one."""
    bound = bound or {}
    user = request.user
    pupils = _pupils_on(klass, day)
    by_id = {p.pk: p for p in pupils}
    groups = list(Group.objects.filter(school_class=klass).select_related("split").order_by("split__name", "name"))
    rows = (
        GroupMembership.objects.filter(group__school_class=klass)
        .overlapping(klass.year.start, klass.year.end)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "start")
    )
    views = {g.pk: GroupView(group=g, may_manage=access.can_manage_group(user, g, klass)) for g in groups}
    for m in rows:
        v = views[m.group_id]
        if m.covers(day):
            if m.pupil_id in by_id:  # enrolled that day
                v.members.append(m)
        elif m.start > day:
            v.coming.append(m)
        else:
            v.former.append(m)
    for a in TeachingAssignment.objects.filter(group__in=groups, is_active=True).select_related("teacher", "subject"):
        views[a.group_id].teachers.append(f"{a.subject}: {a.teacher.short_name}")
    splits: dict = {}
    for g in groups:
        splits.setdefault(g.split_id, SplitView(split=g.split, groups=[])).groups.append(views[g.pk])
    for sv in splits.values():
        if sv.split is None:
            continue
        placed = {m.pupil_id for gv in sv.groups for m in gv.members}
        sv.unassigned = [p for p in pupils if p.pk not in placed]
    for sv in splits.values():
        for gv in sv.groups:
            if not gv.may_manage:
                continue
            prefix = f"g{gv.group.pk}"
            offer = (
                sv.unassigned
                if sv.split is not None
                else [p for p in pupils if p.pk not in {m.pupil_id for m in gv.members}]
            )
            gv.add_form = bound.get(("add", gv.group.pk)) or AddMembersForm(
                prefix=f"add-{prefix}", pupils=offer, initial={"start": day}
            )
            others = [o.group for o in sv.groups if o.group.pk != gv.group.pk] if sv.split is not None else []
            gv.move_form = bound.get(("move", gv.group.pk)) or MoveMemberForm(
                prefix=f"move-{prefix}",
                pupils=[m.pupil for m in gv.members],
                groups=others,
                initial={"day": day},
            )
    ordered = sorted(splits.values(), key=lambda sv: (sv.split is None, sv.split.name if sv.split else ""))
    return ordered


def _render(request, klass, may_form, day, *, split_form=None, bound=None, status=200):
    return render(
        request,
        "journal/groups/class_groups.html",
        {
            "klass": klass,
            "may_form": may_form,
            "day": day,
            "splits": _build(request, klass, day, bound),
            "split_form": split_form or (SplitForm(prefix="split") if may_form else None),
            "can_open_class_page": access.can_open_class_page(request.user, klass),
        },
        status=status,
    )


@login_required
def class_groups(request, pk):
    klass, may_form = access.get_groups_class_for_user(request.user, pk)
    return _render(request, klass, may_form, _day(request, klass))


@require_POST
@login_required
def group_split_new(request, pk):
    klass, may_form = access.get_groups_class_for_user(request.user, pk)
    if not may_form:
        raise PermissionDenied
    form = SplitForm(request.POST, prefix="split")
    day = _day(request, klass)
    if form.is_valid():
        try:
            split = service.create_split(request.user, klass, **form.cleaned_data)
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            messages.success(
                request, _("Деление «%(name)s» создано: добавьте учеников в группы.") % {"name": split.name}
            )
            return redirect(_page_url(klass.pk, day))
    return _render(request, klass, may_form, day, split_form=form, status=422)


def _group_post(request, pk):
    group, may_manage = access.get_group_for_user(request.user, pk)
    if not may_manage:
        raise PermissionDenied
    klass = group.school_class
    return group, klass, _day(request, klass)


def _class_pupils(klass):
    return (
        Enrollment.objects.overlapping(klass.year.start, klass.year.end)
        .filter(school_class=klass)
        .select_related("pupil")
    )


@require_POST
@login_required
def group_add(request, pk):
    group, klass, day = _group_post(request, pk)
    pupils = {e.pupil_id: e.pupil for e in _class_pupils(klass)}.values()
    form = AddMembersForm(request.POST, prefix=f"add-g{group.pk}", pupils=pupils)
    if form.is_valid():
        start = form.cleaned_data["start"]
        try:
            made = service.add_members(request.user, group, form.cleaned_data["pupils"], start)
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            messages.success(
                request,
                _("В группу «%(group)s» с %(day)s добавлено учеников: %(n)s.")
                % {"group": group.name, "day": f"{start:%d.%m.%Y}", "n": len(made)},
            )
            return redirect(_page_url(klass.pk, max(day, start)))
    return _render(
        request, klass, access.can_manage_class_groups(request.user, klass), day,
        bound={("add", group.pk): form}, status=422,
    )  # fmt: skip


@require_POST
@login_required
def group_move(request, pk):
    group, klass, day = _group_post(request, pk)
    pupils = {e.pupil_id: e.pupil for e in _class_pupils(klass)}.values()
    targets = Group.objects.filter(school_class=klass).exclude(pk=group.pk)
    targets = targets.filter(split_id=group.split_id) if group.split_id else targets.none()
    form = MoveMemberForm(request.POST, prefix=f"move-g{group.pk}", pupils=pupils, groups=targets)
    if form.is_valid():
        data = form.cleaned_data
        to_group = targets.filter(pk=data["to_group"]).first() if data["to_group"] else None
        try:
            move = service.move_member(request.user, group, data["pupil"], data["day"], to_group)
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            name = next((p.full_name for p in pupils if p.pk == data["pupil"]), "")
            if move.opened is not None:
                msg = _("%(name)s с %(day)s в группе «%(to)s»; в группе «%(from)s» — по %(last)s.")
            else:
                msg = _("%(name)s выведен(а) из группы «%(from)s»: последний день в ней — %(last)s.")
            messages.success(
                request,
                msg
                % {
                    "name": name,
                    "day": f"{data['day']:%d.%m.%Y}",
                    "to": to_group.name if to_group else "",
                    "from": group.name,
                    "last": f"{data['day'] - timedelta(days=1):%d.%m.%Y}",
                },
            )
            return redirect(_page_url(klass.pk, max(day, data["day"])))
    return _render(
        request, klass, access.can_manage_class_groups(request.user, klass), day,
        bound={("move", group.pk): form}, status=422,
    )  # fmt: skip
