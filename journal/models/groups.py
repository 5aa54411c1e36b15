"""Subgroups of a class and their dated memberships (docs/DESIGN.md §2.1, §3.16).

A class is split (`GroupSplit`, «деление»: English, labour) into groups (`Group`: «1 группа»,
«2 группа»); a group may also stand alone (an elective). A pupil's stay in a group is a
dated row (`GroupMembership`, `start`–`end`, both days included, an empty `end` open),
asked through `GroupMembership.objects.on(day)` / `.overlapping(start, end)` like
enrollments. Moving a pupil to another group from a day ends the old row the day before
and opens a new one: the old group keeps its history (journal/services/groups.py).

The database holds the rules: a pupil is never twice in one group on a day, nor in two
groups of one split (`split` on the membership is copied from its group by a trigger,
migration 0009, so the exclusion constraint can see it).
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .dated import DateRangeQuerySet
from .structure import DateRange, DateRangeModel, SchoolClass


class GroupSplit(models.Model):
    """Деление класса на группы для предмета: its groups share no pupil on any day."""

    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("класс"), on_delete=models.CASCADE, related_name="splits"
    )
    name = models.CharField(_("название"), max_length=40)

    class Meta:
        verbose_name = _("деление класса на группы")
        verbose_name_plural = _("деления классов на группы")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school_class", "name"], name="group_split_unique")]

    def __str__(self):
        return f"{self.school_class} {self.name}"


class Group(models.Model):
    """A part of a class (subgroup for languages, labs, electives)."""

    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("класс"), on_delete=models.CASCADE, related_name="groups"
    )
    split = models.ForeignKey(
        GroupSplit,
        verbose_name=_("деление"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
    )
    name = models.CharField(_("название"), max_length=60)

    class Meta:
        verbose_name = _("группа")
        verbose_name_plural = _("группы")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school_class", "name"], name="group_unique")]

    def __str__(self):
        return f"{self.school_class} {self.name}"


class GroupMembershipQuerySet(DateRangeQuerySet):
    def group_ids(self, pupil_id):
        """The ids of the pupil's groups of these rows (a subquery: `.on(day).group_ids(p)`)."""
        return self.filter(pupil_id=pupil_id).values("group_id")

    def in_lesson(self, pupil_id):
        """The pupil's membership in the group of the outer query's lesson on its day (for `Exists`)."""
        return self.filter(pupil_id=pupil_id, group_id=OuterRef("assignment__group_id")).on(OuterRef("date"))


def groups_sharing_pupils(group_ids, start, end) -> set[frozenset]:
    """Pairs of the groups (of different splits, or standalone) that have a pupil in common
    on some day of [start, end]: their lessons at one bell clash (docs/DESIGN.md §3.16).
    Two groups of one split never share a pupil. One query."""
    group_ids = {g for g in group_ids if g}
    if len(group_ids) < 2:
        return set()
    stays = defaultdict(list)
    for gid, pid, s, e in (
        GroupMembership.objects.filter(group_id__in=group_ids)
        .overlapping(start, end)
        .values_list("group_id", "pupil_id", "start", "end")
    ):
        stays[pid].append((gid, max(s, start), end if e is None else min(e, end)))
    pairs = set()
    for rows in stays.values():
        for i, (g1, s1, e1) in enumerate(rows):
            for g2, s2, e2 in rows[i + 1 :]:
                if g1 != g2 and s1 <= e2 and s2 <= e1:
                    pairs.add(frozenset((g1, g2)))
    return pairs


def lesson_of_pupil_q(pupil_id) -> Q:
    """Lessons a pupil attends among his class's: whole-class journals, and his groups' on
    the days he is in them (a lookup on `Lesson`)."""
    return Q(assignment__group__isnull=True) | Q(Exists(GroupMembership.objects.in_lesson(pupil_id)))


class GroupMembership(DateRangeModel):
    """A pupil's stay in a group from `start` to `end` (open when empty)."""

    group = models.ForeignKey(Group, verbose_name=_("группа"), on_delete=models.CASCADE, related_name="memberships")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ученик"),
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    # Kept equal to group.split by the database (trigger of migration 0009); never set by hand.
    split = models.ForeignKey(
        GroupSplit, verbose_name=_("деление"), on_delete=models.CASCADE, null=True, editable=False, related_name="+"
    )
    start = models.DateField(_("в группе с"))
    end = models.DateField(_("в группе по"), null=True, blank=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("состав группы")
        verbose_name_plural = _("составы групп")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="group_member_range",
                violation_error_message=_("Дата выхода из группы не может быть раньше даты входа в неё."),
            ),
            ExclusionConstraint(
                name="group_member_no_overlap",
                expressions=[
                    (DateRange("start", "end", models.Value("[]")), RangeOperators.OVERLAPS),
                    ("group", RangeOperators.EQUAL),
                    ("pupil", RangeOperators.EQUAL),
                ],
                violation_error_message=_("Ученик уже состоит в этой группе в эти дни."),
            ),
            ExclusionConstraint(
                name="group_member_one_of_split",
                expressions=[
                    (DateRange("start", "end", models.Value("[]")), RangeOperators.OVERLAPS),
                    ("split", RangeOperators.EQUAL),
                    ("pupil", RangeOperators.EQUAL),
                ],
                condition=Q(split__isnull=False),
                violation_error_message=_("Ученик не может быть в двух группах одного деления в один день."),
            ),
        ]
        indexes = [models.Index(fields=["pupil", "start"], name="group_member_pupil_idx")]

    def __str__(self):
        return f"{self.group}: {self.pupil}"
