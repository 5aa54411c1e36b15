"""The demo's subgroups (issue 15, point 4): English in two groups of one split, with
dated memberships, and one pupil moved between them during the year."""

from datetime import timedelta

from journal import models as M


class GroupsMixin:
    def build_groups(self):
        """English in two subgroups of one split, by the class list as schools do, each pupil
        from his enrollment's start; in the first class from grade 5 on, the last pupil of
        group 1 moves to group 2 six weeks into the year (his old group keeps his records)."""
        splits, groups, members = [], [], []
        moved = False
        move_day = self.year.start + timedelta(days=42)
        for plan in self.plans:
            if "eng" not in plan.hours:
                continue
            split = M.GroupSplit(school_class=plan.obj, name="англ.")
            splits.append(split)
            plan.groups = [M.Group(school_class=plan.obj, split=split, name=f"{i} группа (англ.)") for i in (1, 2)]
            groups += plan.groups
            half = (len(plan.pupils) + 1) // 2
            plan.group_pupils = [
                [(r[0], r[1], None) for r in plan.pupils[:half]],
                [(r[0], r[1], None) for r in plan.pupils[half:]],
            ]
            mover = plan.pupils[half - 1] if half else None
            if not moved and plan.grade >= 5 and mover and mover[1] < move_day < self.today and mover[2] is None:
                moved = True
                plan.group_pupils[0][-1] = (mover[0], mover[1], move_day - timedelta(days=1))
                plan.group_pupils[1].append((mover[0], move_day, None))
        M.GroupSplit.objects.bulk_create(splits)
        M.Group.objects.bulk_create(groups)
        for plan in self.plans:
            for group, pupils in zip(plan.groups, plan.group_pupils, strict=False):
                members += [M.GroupMembership(group=group, pupil=p, start=s, end=e) for p, s, e in pupils]
        M.GroupMembership.objects.bulk_create(members, batch_size=2000)
