"""Issue 14: the lesson page and a whole attendance column in one request, over HTTP.

A file of its own, and written to run on code older than the cases (the attendance column
falls back to one grid cell per pupil), so the before figure measures the same steps:
`make bench BENCH_BASE=<rev> BENCH_BASE_CASES=lesson_page` (bench/compare.py)."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from bench import case


def _started(lesson) -> bool:
    """Marks and attendance wait for the lesson's start (date and bell): a bench run early in
    the morning must not pick today's lessons still to come."""
    start = timezone.make_aware(datetime.combine(lesson.date, lesson.bell.starts))
    return start <= timezone.now()


def _filled_lesson():
    """A lesson of the biggest journal (30 × 70, fully filled) that its teacher may still
    change today: the latest held one within the lock window, not cancelled."""
    from bench.cases_journal import _biggest_grid
    from journal import rules
    from journal.models import Lesson

    _cells, a, period, pupils, lessons = _biggest_grid()
    school = a.school_class.year.school
    today = timezone.localdate()
    for lesson in (
        Lesson.objects.filter(assignment=a, date__lte=today)
        .exclude(status="cancelled")
        .select_related("assignment__school_class__year__school", "bell")
        .order_by("-date", "-bell__number")
    ):
        if _started(lesson) and not rules.is_locked(lesson, school):
            return lesson, a, pupils, lessons
    raise SystemExit("lesson_page: the biggest journal has no open lesson (seed the bench demo again)")


@case("lesson_page")
def lesson_page(ctx):
    lesson, a, pupils, lessons = _filled_lesson()
    http = ctx.server.session(a.teacher)
    url = reverse("journal:lesson", kwargs={"pk": lesson.pk})

    def run():
        http.get(url)

    run.over_http = True
    run.note = f"a lesson of the {pupils} × {lessons} journal"
    return run


def _roster(lesson):
    from journal.grid import pupils_of

    return [row.pupil.pk for row in pupils_of(lesson.assignment, lesson.date, lesson.date)]


@case("attendance_column_save", repeat=20)
def attendance_column_save(ctx):
    """The whole class's attendance of one lesson: three absent, the others present;
    each repetition moves the three absences, so every run changes six cells.

    With the column URL (journal:lesson_attendance) it is one request; code without it
    (the before figure) sends one grid cell per pupil, as the grid did, and the query
    column adds up the queries of all those requests."""
    from django.urls import NoReverseMatch

    from journal.models import Attendance

    lesson, a, _pupils, _lessons = _filled_lesson()
    pupils = _roster(lesson)
    http = ctx.server.session(a.teacher)
    state = {"turn": 0}
    try:
        column_url = reverse("journal:lesson_attendance", kwargs={"pk": lesson.pk})
    except NoReverseMatch:
        column_url = None
    cell_url = reverse("journal:cell", kwargs={"pk": lesson.pk})

    def absent_now():
        t = state["turn"] % (len(pupils) // 3)
        return set(pupils[3 * t : 3 * t + 3])

    def versions():
        return dict(Attendance.objects.filter(lesson=lesson).values_list("pupil_id", "version"))

    def run():
        state["turn"] += 1
        absent = absent_now()
        seen = versions()
        if column_url:
            data = {"all": "1"}
            for p in pupils:
                data[f"att_{p}"] = "н" if p in absent else ""  # i18n: data
                data[f"v_{p}"] = seen.get(p, 0)
            http.post(column_url, data, headers={"HX-Request": "true"})
            run.note = "one request"
            return
        total = 0
        for p in pupils:
            data = {"k": "a", "p": p, "v": seen.get(p, 0), "value": "н" if p in absent else ""}  # i18n: data
            http.post(cell_url, data, headers={"HX-Request": "true"})
            total += ctx.server.app.last_queries
        ctx.server.app.last_queries = total  # the column's queries, all its requests together
        run.note = f"{len(pupils)} cell requests"

    run.over_http = True
    return run
