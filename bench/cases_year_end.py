"""Issue 16 points 3–4: the end of the school year for the school demo (≈ 27 classes,
≈ 700 pupils), each repetition in a transaction that is rolled back, so every one does
the whole work. Budgets: each under 10 s.

- `new_year_wizard`: «Следующий учебный год из прошлого» — the year, its periods and
  holidays, the classes one grade up, their curriculum, loads and a draft timetable.
- `promote_school`: the wizard and the order first (untimed in the note), then the
  promotion of the whole school by the order, proposed from the final marks."""

import time
from datetime import timedelta

from django.db import transaction

from bench import case


def _people():
    from accounts.models import RoleAssignment, School
    from journal.models import AcademicYear

    school = School.objects.order_by("pk").first()
    year = AcademicYear.objects.filter(school=school).order_by("-start").first()
    roles = RoleAssignment.objects.filter(school=school).select_related("user")
    admin = roles.filter(role=RoleAssignment.Role.ADMIN).first().user
    director = roles.filter(role=RoleAssignment.Role.DIRECTOR).first().user
    return year, admin, director


def _wizard(year, admin):
    from journal.services import new_year, new_year_calendar

    start, end = new_year_calendar.proposed_dates(year)
    return new_year.create_next_year(
        admin,
        from_year_id=year.pk,
        name=new_year_calendar.next_name(year.name, start, end),
        start=start,
        end=end,
        first_letters=["А", "Б"],  # i18n: data
        timetable=new_year.TIMETABLE_DRAFT,
    )


@case("new_year_wizard", repeat=3, demo="school")
def new_year_wizard(ctx):
    from journal.models import SchoolClass, TeachingAssignment

    year, admin, _director = _people()

    def run():
        with transaction.atomic():
            made = _wizard(year, admin)
            run.note = (
                f"{SchoolClass.objects.filter(year=made).count()} classes, "
                f"{TeachingAssignment.objects.filter(school_class__year=made).count()} loads"
            )
            transaction.set_rollback(True)

    run.note = ""
    return run


@case("promote_school", repeat=3, demo="school")
def promote_school(ctx):
    from journal.services import promotion

    year, admin, director = _people()

    def run():
        with transaction.atomic():
            _wizard(year, admin)
            order = promotion.record_order(director, year_id=year.pk, number="1-b", date=year.end - timedelta(days=3))
            t0 = time.perf_counter()
            made = promotion.promote_school(director, order_id=order.pk)
            run.note = f"{len(made)} pupils; the promotion alone {time.perf_counter() - t0:.2f} s"
            transaction.set_rollback(True)

    run.note = ""
    return run
