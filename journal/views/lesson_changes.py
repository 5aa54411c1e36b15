"""Lesson changes by hand and the lessons for the deputy (issue 15): «Изменения в расписании».

Thin views over journal/services/lesson_changes.py; every page is behind the named
predicate `can_change_lessons` (the deputy and the scheduler), every lesson and review
is resolved through journal.access (404 outside the user's school).
"""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal import params

from .. import access
from ..forms import LessonAddForm, LessonCancelForm, LessonMoveForm, LessonRestoreForm, WeekChoiceForm
from ..models import Lesson, Substitution
from ..services import lesson_changes as changes
from ..services.errors import ServiceError
from .common import form_page, pk_or_none, staff_required

DAYS = 6  # Monday–Saturday


def _week_url(klass_id, day) -> str:
    return reverse("journal:lesson_changes") + "?" + urlencode({"klass": klass_id, "week": day.isoformat()})


@staff_required(access.can_change_lessons)
def lesson_changes(request):
    """A class's week of lessons: move, cancel, add one."""
    classes = access.classes_for_lesson_changes(request.user)
    form = WeekChoiceForm(request.GET or None, classes=classes)
    today = timezone.localdate()
    days, klass, monday = [], None, None
    if form.is_valid():
        klass = form.cleaned_data["klass"]
        day = form.cleaned_data["week"] or today
        monday = day - timedelta(days=day.weekday())
        lessons = list(
            Lesson.objects.filter(
                assignment__school_class=klass, date__range=(monday, monday + timedelta(days=DAYS - 1))
            )
            .select_related("assignment__subject", "assignment__group", "assignment__teacher", "bell", "room")
            .prefetch_related(
                Prefetch(
                    "substitutions",
                    queryset=Substitution.objects.active().select_related("substitute"),
                    to_attr="active_substitutions",
                )
            )
            .order_by("date", "bell__number", "assignment__group__name")
        )
        for n in range(DAYS):
            d = monday + timedelta(days=n)
            days.append({"day": d, "lessons": [x for x in lessons if x.date == d]})
    return render(
        request,
        "journal/lesson_changes/week.html",
        {
            "form": form,
            "klass": klass,
            "monday": monday,
            "days": days,
            "today": today,
            "prev_week": _week_url(klass.pk, monday - timedelta(days=7)) if klass else "",
            "next_week": _week_url(klass.pk, monday + timedelta(days=7)) if klass else "",
            "open_reviews": access.lesson_reviews_readable(request.user).open().count(),
        },
    )


@staff_required(access.can_change_lessons)
def lesson_add(request):
    klass = (
        access.classes_for_lesson_changes(request.user).filter(pk=params.parse_id(request.GET.get("klass"), 0)).first()
    )
    form = LessonAddForm(request.POST or None, school_id=request.user.school_id, klass=klass)

    def add(d):
        lesson = changes.add_lesson(
            request.user, assignment_id=d["assignment"].pk, day=d["date"], bell_id=d["bell"].pk,
            room_id=pk_or_none(d["room"]), reason=d["reason"],
        )  # fmt: skip
        messages.success(request, _("Урок добавлен: %(lesson)s.") % {"lesson": lesson})
        return _week_url(lesson.assignment.school_class_id, lesson.date)

    return form_page(request, form, "journal/lesson_changes/add.html", {"klass": klass}, add)


@staff_required(access.can_change_lessons)
def lesson_move(request, pk):
    lesson = access.get_lesson_to_change(request.user, pk)
    initial = {"date": lesson.date, "bell": lesson.bell_id, "room": lesson.room_id}
    form = LessonMoveForm(request.POST or None, initial=initial, school_id=request.user.school_id)

    def move(d):
        moved = changes.move_lesson(
            request.user, lesson_id=lesson.pk, day=d["date"], bell_id=d["bell"].pk, room_id=pk_or_none(d["room"]),
            reason=d["reason"],
        )  # fmt: skip
        messages.success(request, _("Урок перенесён: %(lesson)s.") % {"lesson": moved})
        return _week_url(lesson.assignment.school_class_id, moved.date)

    return form_page(request, form, "journal/lesson_changes/move.html", {"lesson": lesson}, move)


@staff_required(access.can_change_lessons)
def lesson_cancel(request, pk):
    lesson = access.get_lesson_to_change(request.user, pk)
    form = LessonCancelForm(request.POST or None)

    def cancel(d):
        changes.cancel_lesson(request.user, lesson_id=lesson.pk, reason=d["reason"])
        messages.success(request, _("Урок отменён: %(lesson)s.") % {"lesson": lesson})
        return _week_url(lesson.assignment.school_class_id, lesson.date)

    return form_page(request, form, "journal/lesson_changes/cancel.html", {"lesson": lesson}, cancel)


@staff_required(access.can_change_lessons)
def lesson_restore(request, pk):
    """Give a cancelled lesson back (its place must still be free and ahead)."""
    lesson = access.get_lesson_to_change(request.user, pk)
    form = LessonRestoreForm(request.POST if request.method == "POST" else None)

    def restore(d):
        changes.restore_lesson(request.user, lesson_id=lesson.pk)
        messages.success(request, _("Урок возвращён в расписание: %(lesson)s.") % {"lesson": lesson})
        return _week_url(lesson.assignment.school_class_id, lesson.date)

    return form_page(request, form, "journal/lesson_changes/restore.html", {"lesson": lesson}, restore)


@staff_required(access.can_change_lessons)
def lesson_reviews(request):
    """«Уроки на решение»: lessons with records the timetable no longer wants where they are."""
    reviews = (
        access.lesson_reviews_readable(request.user)
        .open()
        .select_related(
            "lesson__assignment__school_class",
            "lesson__assignment__group",
            "lesson__assignment__subject",
            "lesson__assignment__teacher",
            "lesson__bell",
            "lesson__room",
            "target_bell",
            "target_room",
        )
    )
    return render(request, "journal/lesson_changes/reviews.html", {"reviews": reviews})


def _review_action(request, pk, service, done):
    review = access.get_lesson_review_for_user(request.user, pk)
    try:
        lesson = service(request.user, review_id=review.pk)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done % {"lesson": lesson})
    return redirect("journal:lesson_reviews")


@require_POST
@staff_required(access.can_change_lessons)
def lesson_review_move(request, pk):
    return _review_action(request, pk, changes.move_to_timetable, _("Урок перенесён по расписанию: %(lesson)s."))


@require_POST
@staff_required(access.can_change_lessons)
def lesson_review_keep(request, pk):
    return _review_action(request, pk, changes.keep_lesson, _("Урок оставлен на своём месте: %(lesson)s."))
