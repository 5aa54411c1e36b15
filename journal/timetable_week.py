"""The timetable's week grid (issue 15, point 3): days × bells of one class, teacher or
room as the timetable stands on a day, and the load of the class or teacher — each
journal's curriculum hours per week against the lessons placed («Математика: 5 из 5 ч»).

A fixed number of queries whatever the size of the school: the bells, the lines, and
for a class or a teacher the journals and their curriculum lines (docs/DESIGN.md §2.1).
"""

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q
from django.db.models.functions import JSONObject

from .models import Bell, CurriculumLine, Subject, TeachingAssignment, TimetableEntry

DAYS = tuple(TimetableEntry.Weekday)


@dataclass
class Load:
    assignment: TeachingAssignment
    placed: int
    hours: Decimal | None  # the curriculum's hours per week; None: no curriculum line

    @property
    def short(self) -> bool:
        return self.hours is not None and self.placed < self.hours

    @property
    def over(self) -> bool:
        return self.hours is not None and self.placed > self.hours


@dataclass
class Week:
    day: object
    bells: list
    rows: list  # [(bell, [(weekday, [entries])])]
    loads: list = field(default_factory=list)
    days: tuple = DAYS
    unassigned: list = field(default_factory=list)  # curriculum lines with no journal

    @property
    def placed(self) -> int:
        return sum(x.placed for x in self.loads)


_RELATED = ("assignment__school_class", "assignment__group", "assignment__subject", "assignment__teacher", "room")


def with_bells_and_curriculum(classes):
    """Classes annotated with their school's bells and their curriculum lines (`grid_bells`,
    `grid_curriculum`): the class grid asks for the class, its lines and its journals only."""
    bells = Bell.objects.filter(school_id=OuterRef("year__school_id")).order_by("number")
    lines = CurriculumLine.objects.filter(school_class=OuterRef("pk")).order_by("subject__order", "subject__name")
    return classes.annotate(
        grid_bells=ArraySubquery(
            bells.values(j=JSONObject(pk="pk", number="number", starts="starts", ends="ends")).values("j")
        ),
        grid_curriculum=ArraySubquery(
            lines.values(
                j=JSONObject(pk="pk", subject_id="subject_id", subject="subject__name", hours="hours_per_week")
            ).values("j")
        ),
    )


def _bells_of(klass) -> list:
    return [
        Bell(pk=b["pk"], number=b["number"], starts=time.fromisoformat(b["starts"]), ends=time.fromisoformat(b["ends"]))
        for b in klass.grid_bells
    ]


def _lines_of(klass) -> list:
    lines = []
    for c in klass.grid_curriculum:
        line = CurriculumLine(pk=c["pk"], school_class_id=klass.pk, subject_id=c["subject_id"])
        line.hours_per_week = Decimal(str(c["hours"]))
        line.subject = Subject(pk=c["subject_id"], name=c["subject"])
        lines.append(line)
    return lines


def week(school_id, day, *, klass=None, teacher=None, room=None) -> Week:
    """The lines valid on `day` of one class, teacher or room, laid out by bell and weekday.
    A class from with_bells_and_curriculum() brings its bells and curriculum along."""
    prefetched = klass is not None and hasattr(klass, "grid_bells")
    bells = _bells_of(klass) if prefetched else list(Bell.objects.filter(school_id=school_id).order_by("number"))
    entries = TimetableEntry.objects.filter(
        assignment__school_class__year__school_id=school_id, assignment__is_active=True, valid_from__lte=day
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    if klass is not None:
        entries = entries.filter(assignment__school_class=klass)
    if teacher is not None:
        entries = entries.filter(assignment__teacher=teacher)
    if room is not None:
        entries = entries.filter(room=room)
    entries = list(entries.select_related(*_RELATED).order_by("weekday", "bell__number", "assignment__group__name"))
    cells: dict = {}
    for e in entries:
        cells.setdefault((e.bell_id, e.weekday), []).append(e)
    rows = [(b, [(d, cells.get((b.pk, d.value), [])) for d in DAYS]) for b in bells]
    result = Week(day=day, bells=bells, rows=rows)
    if klass is None and teacher is None:
        return result
    assignments = TeachingAssignment.objects.filter(is_active=True, school_class__year__school_id=school_id)
    if klass is not None:
        assignments = assignments.filter(school_class=klass)
    else:
        assignments = assignments.filter(teacher=teacher, school_class__year__is_closed=False)
    assignments = list(
        assignments.select_related("school_class", "group", "subject", "teacher").order_by(
            "school_class__grade", "school_class__letter", "subject__order", "subject__name", "group__name"
        )
    )
    if prefetched:
        lines = _lines_of(klass)
    else:
        lines = CurriculumLine.objects.filter(
            school_class__in={a.school_class_id for a in assignments} | ({klass.pk} if klass is not None else set())
        ).select_related("subject")
    hours = {(c.school_class_id, c.subject_id): c for c in lines}
    placed: dict = {}
    for e in entries:
        placed[e.assignment_id] = placed.get(e.assignment_id, 0) + 1
    for a in assignments:
        line = hours.get((a.school_class_id, a.subject_id))
        result.loads.append(Load(a, placed.get(a.pk, 0), line.hours_per_week if line else None))
    if klass is not None:
        taught = {a.subject_id for a in assignments}
        result.unassigned = [c for c in lines if c.subject_id not in taught]
    return result
