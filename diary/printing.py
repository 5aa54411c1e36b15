"""The printed weekly diary (seed 001 §2.5: paper for parents who ask for it): A4 PDF via WeasyPrint."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from journal.models import Enrollment

from .week import DiaryWeek, build_week, monday_of, pupil_enrollments


def render_weeks_pdf(weeks: list[DiaryWeek], *, title: str, base_url: str | None = None) -> bytes:
    with translation.override("ru"):
        html = render_to_string(
            "diary/print_week.html", {"weeks": weeks, "title": title, "printed_at": timezone.localtime()}
        )
    return HTML(string=html, base_url=base_url).write_pdf()


def pupil_week_pdf(pupil, day: date) -> bytes:
    week = build_week(pupil, day, pupil_enrollments(pupil))
    return render_weeks_pdf([week], title=f"Дневник: {pupil.full_name}")


def class_pupils_in_week(school_class, monday: date):
    saturday = monday.toordinal() + 5
    end = date.fromordinal(saturday)
    return [
        e.pupil
        for e in Enrollment.objects.overlapping(monday, end)
        .filter(school_class=school_class)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
    ]


def class_week_pdf(school_class, day: date) -> bytes:
    """The whole class in one PDF, one pupil per page (in the class list order)."""
    monday = monday_of(day)
    weeks = [build_week(p, monday) for p in class_pupils_in_week(school_class, monday)]
    return render_weeks_pdf(weeks, title=f"Дневники {school_class}")
