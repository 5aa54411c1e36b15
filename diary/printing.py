"""The printed weekly diary (docs/DESIGN.md §4.4: paper for parents who ask for it): A4 PDF via WeasyPrint."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
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
    with translation.override("ru"):  # the printed diary is in Russian, like its template
        title = _("Дневник: %(pupil)s") % {"pupil": pupil.full_name}
    return render_weeks_pdf([week], title=title)


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


def requested_pupil_ids(school_class):
    """Pupils of the class whose parents asked for the weekly paper copy (docs/DESIGN.md §4.4)."""
    from .models import PaperRequest

    pupils = Enrollment.objects.current().filter(school_class=school_class).values("pupil_id")
    return set(
        PaperRequest.objects.filter(withdrawn_at__isnull=True, pupil_id__in=pupils).values_list("pupil_id", flat=True)
    )


def class_week_pdf(school_class, day: date, *, only_requested=False) -> bytes:
    """The whole class in one PDF, one pupil per page (in the class list order); or only the
    pupils whose parents asked for paper copies."""
    monday = monday_of(day)
    pupils = class_pupils_in_week(school_class, monday)
    if only_requested:
        wanted = requested_pupil_ids(school_class)
        pupils = [p for p in pupils if p.pk in wanted]
    weeks = [build_week(p, monday) for p in pupils]
    with translation.override("ru"):
        title = _("Дневники %(school_class)s") % {"school_class": school_class}
    return render_weeks_pdf(weeks, title=title)
