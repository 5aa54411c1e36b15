"""Issue 15: lessons follow the timetable — one whole quarter of lessons for every
school of the district demo, made by the lesson service (journal/services/lesson_sync.py).

Each repetition syncs the quarter after the one the seed filled (no lessons there yet)
in a transaction that is rolled back, so every repetition does the whole work: the
lessons, their audit events, under each school's lock. Budget: under 60 s, and the same
number of queries for every school (the note)."""

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from bench import case


@case("sync_lessons_quarter", repeat=3)
def sync_lessons_quarter(ctx):
    from accounts.models import School
    from journal.models import Lesson, StudyPeriod
    from journal.services import lesson_sync

    plan = []
    for school in School.objects.order_by("pk"):
        last = Lesson.objects.filter(assignment__school_class__year__school=school).aggregate(m=Max("date"))["m"]
        quarter = (
            StudyPeriod.objects.filter(year__school=school, scheme=StudyPeriod.Scheme.QUARTER, start__gt=last)
            .order_by("start")
            .first()
        )
        if quarter is not None:
            plan.append((school.pk, quarter))
    per_school, made = [], []

    def run():
        per_school.clear()
        made.clear()
        with transaction.atomic():
            for pk, q in plan:
                with CaptureQueriesContext(connection) as cq:
                    r = lesson_sync.sync_school(pk, today=q.start - timedelta(days=1), start=q.start, until=q.end)
                per_school.append(len(cq.captured_queries))
                made.append(r.created)
            transaction.set_rollback(True)
        run.note = f"{len(plan)} schools, {sum(made)} lessons; queries per school: " + ", ".join(
            str(n) for n in sorted(set(per_school))
        )

    run.note = ""
    return run


@case("timetable_week_class")
def timetable_week_class(ctx):
    """Issue 15, point 3: the timetable editor's week grid of the first school's class with
    the most timetable lines, over HTTP as its deputy. Budget: ≤ 10 queries
    (tests/test_timetable_editor.py asserts it too)."""
    from django.db.models import Count
    from django.urls import reverse

    from accounts.models import RoleAssignment, School
    from journal.models import SchoolClass

    school = School.objects.order_by("pk").first()
    klass = (
        SchoolClass.objects.filter(year__school=school, year__is_closed=False)
        .annotate(n=Count("assignments__timetable"))
        .order_by("-n", "pk")
        .first()
    )
    deputy = RoleAssignment.objects.filter(school=school, role=RoleAssignment.Role.DEPUTY).first().user
    http = ctx.server.session(deputy)
    url = reverse("journal:timetable_class", kwargs={"pk": klass.pk})

    def run():
        http.get(url)

    run.over_http = True
    run.note = f"{klass}: {klass.n} lines"
    return run
