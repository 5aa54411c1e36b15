"""The school's rules for entries (docs/DESIGN.md §3.2, §3.4, §3.13), as plain functions of a lesson and a moment."""

from datetime import datetime, time, timedelta

from django.utils import timezone


def local_now(now=None):
    return timezone.localtime(now or timezone.now())


def at(day, t):
    return timezone.make_aware(datetime.combine(day, t))


def entry_deadline(lesson, school):
    """Topic, attendance and marks: the lesson day at the school's cut-off (18:00)."""
    return at(lesson.date, school.entry_cutoff)


def test_marks_deadline(lesson, school):
    """Marks of tests and written works: `test_marks_days` after the lesson, at the cut-off."""
    return at(lesson.date + timedelta(days=school.test_marks_days), school.entry_cutoff)


def lock_moment(lesson, school):
    """After this the lesson is locked for its teacher (7 days by default)."""
    return at(lesson.date + timedelta(days=school.lock_after_days + 1), time.min)


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


def marks_allowed(school_class, school) -> bool:
    return school_class.grade > 1 or school.grade1_marks


def homework_allowed(school_class, school) -> bool:
    return school_class.grade > 1 or school.grade1_homework
