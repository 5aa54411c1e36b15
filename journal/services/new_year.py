"""«Следующий учебный год из прошлого»: the administrator's wizard that opens the next
year from the last one (docs/DESIGN.md §3.26).

`propose()` says what the wizard would make (the calendar of new_year_calendar, the
classes one grade up); `create_next_year()` makes it, in one transaction under the
school's audit chain: either the whole new year is written, or nothing.

- The year, its study periods and holidays: the old ones shifted and fitted to the
  production calendar (new_year_calendar.py).
- Classes one grade up, the letters kept (the administrator may change one); each new
  class points at the class it continues (`SchoolClass.carried_from`), which is how the
  promotion by order (services/promotion.py) knows where a pupil goes. 11th classes
  graduate: no 12th class. New 1st classes are made empty, with the letters asked for.
- The curriculum of each new class is copied from last year's class of the same grade
  (and letter, if there is one) — 6А learns what last year's 6А learnt — or, with no such
  class, from the class it continues. Subjects and bells belong to the school, not to a
  year: they stay as they are.
- The loads and the class teacher follow the class (5А's teachers teach 6А), for the
  subjects of the new curriculum; group journals are not copied (groups are formed anew).
- The timetable starts empty, or as a copy of the lines in force on the old year's last
  day, dated from the new year's first day (a draft: the timetable editor changes it, and
  no lesson is made from it before the lesson sync's horizon reaches the new year).

Everything made stays editable on the set-up pages until the year opens.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from ..models import (
    AcademicYear,
    CurriculumLine,
    Holidays,
    SchoolClass,
    StudyPeriod,
    TeachingAssignment,
    TimetableEntry,
)
from . import new_year_calendar as nyc
from . import setup_calendar
from . import setup_common as C
from .errors import ServiceError
from .timetable import state as timetable_state

LAST_GRADE = 11
TIMETABLE_EMPTY = "empty"
TIMETABLE_DRAFT = "draft"


@dataclass
class ClassMove:
    old: SchoolClass | None  # None: a new 1st class
    grade: int | None  # None: the class graduates
    letter: str

    @property
    def label(self) -> str:
        return f"{self.grade}{self.letter}" if self.grade else ""


@dataclass
class Proposal:
    source: AcademicYear
    calendar: nyc.CalendarPlan
    moves: list[ClassMove] = field(default_factory=list)
    first_letters: list[str] = field(default_factory=list)


def source_year(school_id, today=None) -> AcademicYear | None:
    """The year the wizard starts from: the school's latest begun year that has classes (a
    next year made in May is not itself the start of another until it begins)."""
    today = today or timezone.localdate()
    return (
        AcademicYear.objects.filter(school_id=school_id, start__lte=today)
        .annotate(n=Count("classes"))
        .filter(n__gt=0)
        .order_by("-start")
        .first()
    )


def already_carried(year) -> AcademicYear | None:
    """The year made from `year` by the wizard, if there is one."""
    klass = SchoolClass.objects.filter(carried_from__year=year).select_related("year").first()
    return klass.year if klass else None


def propose(year: AcademicYear) -> Proposal:
    start, end = nyc.proposed_dates(year)
    plan = nyc.plan_calendar(year, start=start, end=end)
    classes = list(year.classes.order_by("grade", "letter"))
    moves = [ClassMove(k, k.grade + 1 if k.grade < LAST_GRADE else None, k.letter) for k in classes]
    firsts = [k.letter for k in classes if k.grade == 1] or ["А"]  # i18n: data (the first letter of the alphabet)
    return Proposal(source=year, calendar=plan, moves=moves, first_letters=firsts)


def parse_letters(text) -> list[str]:
    """«А, Б» → ["А", "Б"] (upper case, each once); empty: no new 1st classes."""
    out = []
    for part in (text or "").replace(";", ",").split(","):
        letter = " ".join(part.split()).upper()
        if not letter:
            continue
        if len(letter) > 4:
            raise ServiceError(
                _("Литера класса — не длиннее 4 знаков, не «%(text)s».") % {"text": letter[:20]}, code="bad_letter"
            )
        if letter in out:
            raise ServiceError(
                _("Класс 1%(letter)s в новом году указан дважды.") % {"letter": letter}, code="letter_clash"
            )
        out.append(letter)
    return out


def _moves(year, letters: dict | None) -> list[ClassMove]:
    moves = []
    for k in year.classes.order_by("grade", "letter"):
        if k.grade >= LAST_GRADE:
            moves.append(ClassMove(k, None, ""))
            continue
        letter = (letters or {}).get(k.pk, k.letter)
        letter = C.text(letter, label=_("литера класса %(klass)s в новом году") % {"klass": k}, limit=4).upper()
        moves.append(ClassMove(k, k.grade + 1, letter))
    return moves


def _check_clashes(moves: list[ClassMove]):
    seen: dict[tuple, ClassMove] = {}
    for m in moves:
        if m.grade is None:
            continue
        key = (m.grade, m.letter)
        if key in seen:
            first, second = seen[key].old, m.old
            if first is None or second is None:
                what = _("новый первый класс и класс %(klass)s") % {"klass": first or second}
            else:
                what = _("классы %(a)s и %(b)s") % {"a": first, "b": second}
            raise ServiceError(
                _("Класс %(klass)s в новом году получается дважды (%(what)s): измените литеру одного из них.")
                % {"klass": m.label, "what": what},
                code="letter_clash",
            )
        seen[key] = m


def _curriculum_source(new_grade, letter, old_classes, carried):
    same = [k for k in old_classes if k.grade == new_grade]
    for k in same:
        if k.letter == letter:
            return k
    return same[0] if same else carried


def create_next_year(
    actor,
    *,
    from_year_id,
    name,
    start,
    end,
    letters: dict | None = None,
    first_letters: list[str] | None = None,
    timetable: str = TIMETABLE_EMPTY,
    now=None,
) -> AcademicYear:
    """The next year from `from_year_id`, as the module docstring says; all or nothing."""
    C.require_admin(actor)
    if timetable not in (TIMETABLE_EMPTY, TIMETABLE_DRAFT):
        raise ServiceError(_("Выберите, как начать расписание: пустым или копией прошлого года."), code="bad_choice")
    school_id = actor.school_id
    with audit.chain(school_id):
        old = AcademicYear.objects.select_for_update().filter(pk=from_year_id, school_id=school_id).first()
        if old is None:
            raise ServiceError(_("Запись не найдена."), code="not_found")
        if old.start > timezone.localdate():
            raise ServiceError(
                _("Год %(old)s ещё не начался: следующий год создают из идущего.") % {"old": old.name},
                code="not_begun",
            )
        made = already_carried(old)
        if made is not None:
            raise ServiceError(
                _("Следующий год из %(old)s уже создан: %(new)s. Измените его на страницах настройки.")
                % {"old": old.name, "new": made.name},
                code="exists",
            )
        if start is not None and start <= old.end:
            raise ServiceError(
                _("Новый учебный год должен начинаться после окончания года %(name)s (%(day)s): годы не пересекаются.")
                % {"name": old.name, "day": C.d(old.end)},
                code="overlap",
            )
        name = setup_calendar._check_year(school_id, name, start, end, None)
        moves = _moves(old, letters)
        moves += [ClassMove(None, 1, letter) for letter in (first_letters or [])]
        _check_clashes(moves)
        plan = nyc.plan_calendar(old, start=start, end=end, name=name)

        year = C.create(
            actor,
            AcademicYear(
                school_id=school_id, name=name, start=start, end=end, exam_marks_deadline=plan.exam_marks_deadline
            ),
            action="setup.year_create",
            fields=setup_calendar.YEAR_FIELDS,
        )
        for p in plan.periods:
            C.create(
                actor,
                StudyPeriod(
                    year=year, scheme=p.scheme, number=p.number, start=p.start, end=p.end,
                    marks_deadline=p.marks_deadline,
                ),
                action="setup.period_create", fields=setup_calendar.PERIOD_FIELDS,
            )  # fmt: skip
        for h in plan.holidays:
            C.create(
                actor,
                Holidays(year=year, name=h.name, start=h.start, end=h.end, grades=h.grades),
                action="setup.holidays_create",
                fields=setup_calendar.HOLIDAY_FIELDS,
            )
        counts = _copy_classes(actor, old, year, moves, timetable)
        audit.record(
            actor=actor,
            action="setup.next_year",
            obj=year,
            school=school_id,
            after={"from_year": old.pk, "name": name, "timetable": timetable, **counts},
        )
        return year


def _copy_classes(actor, old, year, moves, timetable) -> dict:
    school_id = actor.school_id
    old_classes = list(old.classes.order_by("grade", "letter"))
    lines_of: dict[int, list] = {}
    for line in CurriculumLine.objects.filter(school_class__year=old).order_by("pk"):
        lines_of.setdefault(line.school_class_id, []).append(line)
    loads_of: dict[int, list] = {}
    for a in TeachingAssignment.objects.filter(school_class__year=old, group__isnull=True, is_active=True).order_by(
        "pk"
    ):
        loads_of.setdefault(a.school_class_id, []).append(a)

    new_lines, events, new_loads = [], [], {}
    classes = 0
    for m in moves:
        if m.grade is None:
            continue
        carried = m.old
        klass = C.create(
            actor,
            SchoolClass(
                year=year,
                grade=m.grade,
                letter=m.letter,
                class_teacher_id=carried.class_teacher_id if carried else None,
                period_scheme=carried.period_scheme if carried else StudyPeriod.Scheme.QUARTER,
                room_id=carried.room_id if carried else None,
                carried_from=carried,
            ),
            action="setup.class_create",
            fields=[*C_FIELDS, "carried_from"],
        )
        classes += 1
        source = _curriculum_source(m.grade, m.letter, old_classes, carried)
        subjects = set()
        for line in lines_of.get(source.pk, []) if source else []:
            subjects.add(line.subject_id)
            new_lines.append(
                CurriculumLine(
                    school_class=klass,
                    subject_id=line.subject_id,
                    hours_per_week=line.hours_per_week,
                    hours_per_year=line.hours_per_year,
                )
            )
        for a in loads_of.get(carried.pk, []) if carried else []:
            if a.subject_id in subjects:
                load = TeachingAssignment(school_class=klass, subject_id=a.subject_id, teacher_id=a.teacher_id)
                load.save()  # the signal grants `fill_journal` (journal/signals.py)
                new_loads[a.pk] = load
    CurriculumLine.objects.bulk_create(new_lines)
    events += [
        {"action": "setup.curriculum_create", "obj": line, "after": C.state(line, C_LINE_FIELDS)} for line in new_lines
    ]
    events += [
        {
            "action": "structure.assignment_create",
            "obj": load,
            "after": {"teacher": load.teacher_id, "class": load.school_class_id, "group": None,
                      "subject": load.subject_id, "is_active": True, "copied_from": old_pk},
        }
        for old_pk, load in new_loads.items()
    ]  # fmt: skip
    entries = []
    if timetable == TIMETABLE_DRAFT and new_loads:
        on_last_day = Q(valid_to__isnull=True) | Q(valid_to__gte=old.end)
        for e in TimetableEntry.objects.filter(assignment_id__in=new_loads, valid_from__lte=old.end).filter(
            on_last_day
        ):
            entries.append(
                TimetableEntry(
                    assignment=new_loads[e.assignment_id],
                    weekday=e.weekday,
                    bell_id=e.bell_id,
                    room_id=e.room_id,
                    valid_from=year.start,
                    valid_to=None,
                )
            )
        TimetableEntry.objects.bulk_create(entries)
        events += [{"action": "timetable.add", "obj": e, "after": timetable_state(e)} for e in entries]
    audit.record_many(actor=actor, school=school_id, events=events)
    if entries:
        from . import lesson_sync

        lesson_sync.queue_sync(school_id, actor)  # bulk_create skips the model signal
    return {"classes": classes, "curriculum": len(new_lines), "loads": len(new_loads), "timetable": len(entries)}


C_FIELDS = ["year", "grade", "letter", "class_teacher", "period_scheme", "room"]
C_LINE_FIELDS = ["school_class", "subject", "hours_per_week", "hours_per_year"]
