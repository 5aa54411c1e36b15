"""Issue 4: the journal grid page and one cell save, over HTTP, as the journal's teacher."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from bench import case
from bench.cases_lesson_page import _started
from bench.cells import version_of as _version_of


def _biggest_grid():
    """The assignment × period with the most pupil-lesson cells in the first school (a
    grid of 30 pupils × 70 lessons is the year view of a 5-hour subject by spring)."""
    from accounts.models import School
    from journal.access import journal_periods
    from journal.models import Enrollment, Lesson, TeachingAssignment

    school = School.objects.order_by("pk").first()
    best = None
    assignments = TeachingAssignment.objects.filter(
        school_class__year__school=school, is_active=True, group__isnull=True
    ).select_related("school_class")
    for a in assignments.annotate(n=Count("lessons")).order_by("-n")[:20]:
        pupils = Enrollment.objects.filter(school_class=a.school_class).count()
        for p in journal_periods(a):
            lessons = Lesson.objects.filter(assignment=a, date__range=(p.start, p.end)).count()
            if best is None or pupils * lessons > best[0]:
                best = (pupils * lessons, a, p, pupils, lessons)
    return best


@case("grid_30x70")
def grid_30x70(ctx):
    _cells, a, period, pupils, lessons = _biggest_grid()
    http = ctx.server.session(a.teacher)
    url = reverse("journal:grid_period", kwargs={"pk": a.pk, "period": period.pk})

    def run():
        http.get(url)

    run.over_http = True
    run.note = f"{pupils} pupils × {lessons} lessons"
    return run


@case("cell_save", repeat=40)
def cell_save(ctx):
    from journal.models import Assessment, Enrollment

    today = timezone.localdate()
    work = next(
        w
        for w in Assessment.objects.filter(
            lesson__date__range=(today - timedelta(days=5), today),
            lesson__assignment__school_class__grade__gt=1,
            lesson__assignment__group__isnull=True,
        )
        .exclude(Q(lesson__status="cancelled"))
        .select_related("lesson__assignment", "lesson__bell")
        .order_by("-lesson__date", "pk")
        if _started(w.lesson)
    )
    lesson = work.lesson
    pupil_id = (
        Enrollment.objects.on(lesson.date)
        .filter(school_class=lesson.assignment.school_class)
        .values_list("pupil_id", flat=True)
        .first()
    )
    http = ctx.server.session(lesson.assignment.teacher)
    url = reverse("journal:cell", kwargs={"pk": lesson.pk})
    state = {"v": None, "value": "4"}
    from journal.models import Mark

    mark = Mark.objects.filter(assessment=work, pupil_id=pupil_id).first()
    state["v"] = mark.version if mark else 0

    from journal.access import journal_periods

    # the register (the grid page) names its period, and is answered with the cell and the
    # row's figures; a base without it answers the old sub-column cell
    period = next(
        (p for p in journal_periods(lesson.assignment) if p.start <= lesson.date <= p.end and p.scheme != "year"),
        None,
    )

    def run():
        # the same POST the grid sends: alternate 4 and 5 with the version the last answer gave
        state["value"] = "5" if state["value"] == "4" else "4"
        data = {"k": "m", "p": pupil_id, "v": state["v"], "value": state["value"], "s": work.pk, "reason": "bench"}
        if period is not None:
            data["g"] = period.pk
        _status, body = http.post(url, data, headers={"HX-Request": "true"})
        state["v"] = _version_of(body, work.pk)

    run.over_http = True
    return run
