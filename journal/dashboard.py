"""What each role sees on its home page: plain data from a bounded number of queries."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Q

from . import access
from . import journals as J
from . import roles as R
from .models import Enrollment, Lesson, SchoolClass
from .models.groups import lesson_of_pupil_q

User = get_user_model()
# How far ahead the home page looks for the next school day (holidays included).
LOOKAHEAD_DAYS = 21
# The months the home card «Конец учебного года» is shown in: May to August.
YEAR_END_MONTHS = (5, 6, 7, 8)


def classes_with_counts(qs, day):
    return (
        qs.select_related("class_teacher", "room")
        .annotate(pupil_count=Count("enrollments", filter=Enrollment.objects.on_q(day, "enrollments__")))
        .order_by("grade", "letter")
    )


def next_lessons(lessons, today):
    """(day, lessons) of the first day from `today` on that has lessons in `lessons`."""
    lessons = lessons.filter(status=Lesson.Status.PLANNED)
    day = lessons.filter(date__gte=today, date__lte=today + timedelta(days=LOOKAHEAD_DAYS)).aggregate(d=Min("date"))[
        "d"
    ]
    if day is None:
        return None, []
    rows = (
        lessons.filter(date=day)
        .select_related("assignment__school_class", "assignment__group", "assignment__subject", "bell", "room")
        .order_by("bell__number", "assignment__group__name")
    )
    return day, list(rows)


def home_context(user, year, today) -> dict:
    roles = R.user_roles(user)
    ctx: dict = {}
    if access.can_open_my_journals(user):
        # Her own lessons and the ones she substitutes in (issue 14): the day's list has both.
        own = Lesson.objects.filter(Q(assignment__teacher=user) | Q(pk__in=access.substituted_lesson_ids(user)))
        ctx["lessons_day"], ctx["lessons"] = next_lessons(own, today)
        for lesson in ctx["lessons"]:
            lesson.is_substitution = lesson.assignment.teacher_id != user.pk
        ctx["substitutions"] = J.substitute_lessons(user)
    if R.CLASS_TEACHER in roles and year:
        ctx["own_classes"] = list(classes_with_counts(SchoolClass.objects.filter(class_teacher=user, year=year), today))
    # A parent's (and a pupil's) news come from diary/home.py through the template tag
    # `family_home_cards` (docs/DESIGN.md §1.5 "The family home").
    if R.STUDENT in roles:
        enrollment = (
            Enrollment.objects.on(today)
            .filter(pupil=user)
            .select_related("school_class__class_teacher", "school_class__year")
            .first()
        )
        ctx["my_class"] = enrollment.school_class if enrollment else None
        if enrollment:
            own = Lesson.objects.filter(assignment__school_class=enrollment.school_class).filter(
                lesson_of_pupil_q(user.pk)
            )
            ctx["pupil_day"], ctx["pupil_lessons"] = next_lessons(own, today)
    if roles & R.WHOLE_SCHOOL_READERS and year:
        ctx["school_classes"] = list(classes_with_counts(SchoolClass.objects.filter(year=year), today))
        ctx["school_pupils"] = sum(c.pupil_count for c in ctx["school_classes"])
    ctx["is_admin"] = R.ADMIN in roles
    # «Конец учебного года» from May to the summer's end (docs/DESIGN.md §3.26): the
    # administrator opens the next year, the director (or the administrator) promotes.
    if today.month in YEAR_END_MONTHS and roles & (R.PROMOTION_RECORDERS | R.STRUCTURE_MANAGERS):
        ctx["year_end"] = {
            "new_year": access.can_set_up_school(user),
            "promotion": access.can_promote_pupils(user),
        }
    return ctx
