"""A weekly timetable for every class with no teacher in two places at once.

Randomised greedy placement with one-step repair (move a placed lesson to a free
slot to make room), restarted with new random choices when a class gets stuck.
Classes with short days go first: their lessons must fit the first bells, where a
teacher shared with the senior classes is scarcest; a class that got stuck goes
earlier on the next attempt.
Everything is driven by the caller's `random.Random`, so the result is reproducible.
"""

from collections import Counter
from dataclasses import dataclass

DAYS = 5


@dataclass
class Unit:
    """One weekly lesson of a class: a subject taught by one or more teachers at the
    same time (two teachers when the class splits into subgroups)."""

    subject: str
    teachers: tuple
    payload: object = None


@dataclass
class ClassWeek:
    max_per_day: int
    units: list


class ScheduleError(RuntimeError):
    pass


def build(rng, classes: list[ClassWeek], attempts: int = 80) -> list[dict]:
    """For each class a dict {(weekday 1..5, bell 1..n): Unit}; lessons follow each
    other from the first bell with no gaps for pupils."""
    load = Counter(t for c in classes for u in c.units for t in u.teachers)
    stuck: Counter = Counter()
    for _ in range(attempts):
        result = _attempt(rng, classes, load, stuck)
        if result is not None:
            return result
    raise ScheduleError("Не удалось составить расписание без накладок: слишком большая нагрузка учителей.")


def _day_sizes(rng, n, max_per_day):
    base, extra = divmod(n, DAYS)
    if base + (1 if extra else 0) > max_per_day:
        raise ScheduleError(f"{n} уроков в неделю не помещаются в {DAYS} дней по {max_per_day}.")
    sizes = [base] * DAYS
    for d in sorted(rng.sample(range(DAYS), extra)):
        sizes[d] += 1
    return sizes


def _attempt(rng, classes, load, stuck):
    busy: dict = {}  # teacher -> set of (day, bell)
    order = sorted(
        range(len(classes)),
        key=lambda i: (-stuck[i], classes[i].max_per_day, -len(classes[i].units), rng.random()),
    )
    result: list = [None] * len(classes)
    for ci in order:
        week = _place_class(rng, classes[ci], busy, load)
        if week is None:
            stuck[ci] += 1
            return None
        result[ci] = week
    return result


def _place_class(rng, cw: ClassWeek, busy, load):
    sizes = _day_sizes(rng, len(cw.units), cw.max_per_day)
    slots = [(d + 1, b) for d in range(DAYS) for b in range(1, sizes[d] + 1)]
    hours = Counter(u.subject for u in cw.units)
    placed: dict = {}
    per_day: Counter = Counter()

    def limit(subject):
        return 1 if hours[subject] <= DAYS else 2

    def teachers_free(unit, slot, ignore=()):
        return all(slot not in busy.get(t, ()) or t in ignore for t in unit.teachers)

    def put(unit, slot):
        placed[slot] = unit
        per_day[slot[0], unit.subject] += 1
        for t in unit.teachers:
            busy.setdefault(t, set()).add(slot)

    def take(slot):
        unit = placed.pop(slot)
        per_day[slot[0], unit.subject] -= 1
        for t in unit.teachers:
            busy[t].discard(slot)
        return unit

    def fits(unit, slot, extra=0):
        return teachers_free(unit, slot) and per_day[slot[0], unit.subject] < limit(unit.subject) + extra

    def free_slots():
        return [s for s in slots if s not in placed]

    def place(unit, extra):
        options = [s for s in free_slots() if fits(unit, s, extra)]
        if options:
            best = min(options, key=lambda s: (per_day[s[0], unit.subject], rng.random()))
            put(unit, best)
            return True
        # Repair: move a placed lesson to a free slot and take its place.
        taken = list(placed)
        rng.shuffle(taken)
        for s in taken:
            other = take(s)
            if fits(unit, s, extra):
                put(unit, s)
                moves = [f for f in free_slots() if fits(other, f, extra)]
                if moves:
                    put(other, rng.choice(moves))
                    return True
                take(s)
            put(other, s)
        return False

    units = sorted(cw.units, key=lambda u: (-sum(load[t] for t in u.teachers), rng.random()))
    for unit in units:
        if not (place(unit, 0) or place(unit, 1)):
            for s in list(placed):
                take(s)
            return None
    return placed
