"""The regulation's rules for the journal (docs/DESIGN.md §3), in one place.

Plain functions of a lesson, a class, a period and a moment, each rule written once:
entry deadlines and the lock moment, the period-mark windows, grade 1 without marks
and homework, the values a mark may take, and the attendance codes with the keys
that type them. The per-school numbers are School fields (docs/DESIGN.md §3.1).

Where the deadline checks (journal/control) ask a rule in SQL, its SQL twin is
written here next to the Python function; tests/test_journal_rules_sql.py runs both
on the same data and proves they agree.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

# --- moments ------------------------------------------------------------------------------


def local_now(now=None):
    return timezone.localtime(now or timezone.now())


def at(day, t):
    return timezone.make_aware(datetime.combine(day, t))


# --- entry deadlines and the lock (docs/DESIGN.md §3 "Entry deadlines") ---------------------


def entry_deadline(lesson, school):
    """Topic, attendance and marks: the lesson day at the school's cut-off (18:00)."""
    return at(lesson.date, school.entry_cutoff)


def entry_deadline_sql(day: str) -> str:
    """SQL twin of `entry_deadline` for the lesson date `day`; parameters `cutoff`, `tz`."""
    return f"(({day} + %(cutoff)s::time) AT TIME ZONE %(tz)s)"


def test_marks_deadline(lesson, school):
    """Marks of tests and written works: `test_marks_days` after the lesson, at the cut-off."""
    return at(lesson.date + timedelta(days=school.test_marks_days), school.entry_cutoff)


def test_marks_deadline_sql(day: str) -> str:
    """SQL twin of `test_marks_deadline`; parameters `test_days` (School.test_marks_days), `cutoff`, `tz`."""
    return f"(({day} + %(test_days)s + %(cutoff)s::time) AT TIME ZONE %(tz)s)"


def homework_deadline(day, last_lesson_ends, school):
    """Homework: `homework_hours` (1.5 h) after the end of the class's last lesson that day."""
    return at(day, last_lesson_ends) + timedelta(hours=float(school.homework_hours))


def lock_days(school) -> int:
    """Days from the lesson's date to its lock moment: the `lock_after_days` (7) in full."""
    return school.lock_after_days + 1


def lock_moment(lesson, school):
    """After this the lesson is locked for its teacher: midnight after day + 7 by default."""
    return at(lesson.date + timedelta(days=lock_days(school)), time.min)


def lock_moment_sql(day: str) -> str:
    """SQL twin of `lock_moment` for the lesson date `day`; parameters `lock_days` (lock_days()), `tz`."""
    return f"(({day} + %(lock_days)s)::timestamp AT TIME ZONE %(tz)s)"


def is_locked(lesson, school, now=None):
    now = now or timezone.now()
    if lesson.unlocked_until and lesson.unlocked_until > now:
        return False
    return now >= lock_moment(lesson, school)


def lesson_start(lesson):
    """The lesson's start: its date at its bell's start (docs/DESIGN.md §3.2)."""
    return at(lesson.date, lesson.bell.starts)


def is_future(lesson, now=None):
    """Marks and attendance wait for the lesson's start, not just its day (docs/DESIGN.md §3.2)."""
    return (now or timezone.now()) < lesson_start(lesson)


# --- corrections of entries (docs/DESIGN.md §3.10, §3.5) ---------------------------------------


def correction_needs_reason(entered_at, now=None) -> bool:
    """Changing or removing a mark or an attendance record on a later day than it was
    entered needs a reason; the old value stays in the history."""
    return timezone.localtime(entered_at).date() < local_now(now).date()


def reason_belongs_to_class_teacher(attendance, school_class, actor) -> bool:
    """An absence reason the class teacher set (УП, НП, Б, with its document) is changed
    or erased only by her: a subject teacher's «Н» must not overwrite it."""
    return attendance.reason_set_by_id is not None and school_class.class_teacher_id != actor.pk


# --- grade 1 (docs/DESIGN.md §3 "Marks") -----------------------------------------------------


def grade_gets_marks(grade: int, school) -> bool:
    """Grade 1 gets no marks, unless the school decided otherwise (School.grade1_marks)."""
    return grade > 1 or school.grade1_marks


def grade_gets_homework(grade: int, school) -> bool:
    """Grade 1 gets no homework by default (School.grade1_homework)."""
    return grade > 1 or school.grade1_homework


def marks_allowed(school_class, school=None) -> bool:
    return grade_gets_marks(school_class.grade, school or school_class.year.school)


def homework_allowed(school_class, school=None) -> bool:
    return grade_gets_homework(school_class.grade, school or school_class.year.school)


def marks_allowed_sql(school_class: str) -> str:
    """SQL twin of `marks_allowed` for the class row `school_class`; parameter `grade1_marks`."""
    return f"({school_class}.grade > 1 OR %(grade1_marks)s)"


def homework_allowed_sql(school_class: str) -> str:
    """SQL twin of `homework_allowed`; parameter `grade1_homework`."""
    return f"({school_class}.grade > 1 OR %(grade1_homework)s)"


# --- allowed values (docs/DESIGN.md §3 "Marks") -----------------------------------------------

NUMERIC_MARKS = ("5", "4", "3", "2")
MARK_ONE = "1"  # exists in some schools (School.allow_mark_one)


def mark_values(subject, school) -> set[str]:
    """What a current mark may be: 5–2 (and 1 where allowed), or зачёт/незачёт."""
    from .models import Mark, Subject

    if subject.assessment == Subject.Assessment.PASS_FAIL:
        return {Mark.Value.PASS.value, Mark.Value.FAIL.value}
    return set(NUMERIC_MARKS) | ({MARK_ONE} if school.allow_mark_one else set())


def period_mark_values(subject, school) -> list[str]:
    """What a period (year, exam, final) mark may be, in the order offered: the current
    marks' values, then «н/а» (not attested) and «осв» (exempt)."""
    from .models import PeriodMark, Subject

    special = [PeriodMark.Value.NOT_ATTESTED.value, PeriodMark.Value.EXEMPT.value]
    if subject.assessment == Subject.Assessment.PASS_FAIL:
        return [PeriodMark.Value.PASS.value, PeriodMark.Value.FAIL.value, *special]
    return [*NUMERIC_MARKS, *([MARK_ONE] if school.allow_mark_one else []), *special]


# --- period-mark windows (docs/DESIGN.md §3 "Period marks") ----------------------------------

PERIOD_MARKS_WINDOW_DAYS = 7  # the last week of the period, its last day included
# Two weeks before a period ends, a pupil short of School.min_marks cannot be attested:
# the teacher is reminded (and the preliminary class report is due).
FEW_MARKS_REMINDER_DAYS = 14
EXAM_MARKS_DEADLINE = (6, 30)  # 30 June: exams of grades 9 and 11 are held in June


def exam_marks_deadline(year) -> date:
    """The last day for exam and final marks of an AcademicYear: the school's date, else 30 June."""
    return year.exam_marks_deadline or date(year.end.year, *EXAM_MARKS_DEADLINE)


# The grades that sit the state exams (ОГЭ after grade 9, ЕГЭ after grade 11): only their
# journals, summary sheets and diaries carry the exam and final marks (docs/DESIGN.md §3.6, §4.6).
EXAM_GRADES = (9, 11)


def has_exams(klass) -> bool:
    """Does the class (a SchoolClass, or its grade) get exam and final marks? Grades 9 and 11."""
    grade = klass if isinstance(klass, int) else klass.grade
    return grade in EXAM_GRADES


def is_exam_kind(kind) -> bool:
    from .models import PeriodMark

    return kind in (PeriodMark.Kind.EXAM, PeriodMark.Kind.FINAL)


def period_marks_window(period, kind=None, year=None) -> tuple[date, date]:
    """(first day, last day) when period marks of `kind` for `period` are set: its last
    week up to its deadline (the school's order, else its last day); exam and final
    marks up to the year's exam marks deadline. Pass the loaded AcademicYear as `year`."""
    first = period.end - timedelta(days=PERIOD_MARKS_WINDOW_DAYS - 1)
    if is_exam_kind(kind):
        return first, max(period.deadline, exam_marks_deadline(year or period.year))
    return first, period.deadline


def period_marks_open(period, now=None, kind=None, year=None) -> bool:
    first, last = period_marks_window(period, kind, year)
    return first <= local_now(now).date() <= last


def period_deadline_sql(period: str) -> str:
    """SQL twin of StudyPeriod.deadline for the period row `period`."""
    return f'COALESCE({period}.marks_deadline, {period}."end")'


def period_window_sql(period: str, today: str = "%(today)s") -> str:
    """SQL twin of `period_marks_window` (not exam): `today` falls in it. Parameter
    `last_week` = PERIOD_MARKS_WINDOW_DAYS - 1 (see `sql_params`)."""
    return f'{period}."end" - %(last_week)s <= {today} AND {today} <= {period_deadline_sql(period)}'


def sql_params(school) -> dict:
    """The parameters the SQL twins above read, from the school's settings."""
    return {
        "cutoff": school.entry_cutoff,
        "test_days": school.test_marks_days,
        "lock_days": lock_days(school),
        "grade1_marks": school.grade1_marks,
        "grade1_homework": school.grade1_homework,
        "last_week": PERIOD_MARKS_WINDOW_DAYS - 1,
    }


# --- attendance codes (docs/DESIGN.md §3 "Attendance codes") ---------------------------------


def attendance_codes() -> list[str]:
    """Н, Б, УП, НП, ОП as stored (lower case), in the order of the regulation."""
    from .models import Attendance

    return list(Attendance.Code.values)


def absence_codes() -> tuple[str, ...]:
    """The codes that count as a missed lesson: all but ОП (late)."""
    from .models import Attendance

    return tuple(c for c in Attendance.Code.values if c != Attendance.Code.LATE)


def reason_codes() -> tuple[str, ...]:
    """The reasons the class teacher sets for an absence «Н»: УП, НП, Б."""
    from .models import Attendance

    return (Attendance.Code.EXCUSED.value, Attendance.Code.UNEXCUSED.value, Attendance.Code.ILL.value)


def is_absence_sql(attendance: str) -> str:
    """SQL twin of `absence_codes` (Attendance.is_absence) for the attendance row `attendance`."""
    from .models import Attendance

    return f"{attendance}.code <> '{Attendance.Code.LATE.value}'"


# A keyboard left in the Latin layout: each Latin key stands for the Cyrillic letter it
# looks like (n → н, b → б, u → у, p → п, o → о) or sits under in the Russian layout
# (y → н, e → у, g → п, j → о). So "up", "eg" and "уп" are all УП. The grid (grid.js)
# gets this table through `grid_config()`; `parse_attendance` reads typed text with it.
ATTENDANCE_KEY_ALIASES = dict(zip("nbupoyegj", "нбупонупо", strict=True))  # i18n: data


def parse_attendance(value: str) -> str:
    """What was typed in a cell → an attendance code (Cyrillic, or Latin look-alike keys)."""
    v = (value or "").strip().lower()
    return "".join(ATTENDANCE_KEY_ALIASES.get(ch, ch) for ch in v)


def grid_config() -> dict:
    """What the journal grid's script needs of the rules (passed with json_script)."""
    return {"attendance_codes": attendance_codes(), "key_aliases": ATTENDANCE_KEY_ALIASES}
