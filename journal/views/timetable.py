"""The timetable editor (issue 15, point 3): «Расписание».

Week grids (days × bells) of a class, a teacher and a room as the timetable stands on a
day; a line added, changed (from a day on) and ended; the printed timetable of a class
and of a teacher. Thin views over journal/services/timetable.py; every page is behind
the named predicate `can_edit_timetable`, every object resolved through journal.access
(404 outside the user's school).
"""

from datetime import date

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ejournal import params

from .. import access, timetable_week
from ..forms import TimetableAddForm, TimetableChangeForm, TimetableEndForm
from ..printing import pdf_response, render_pdf
from ..services import timetable as service
from .common import form_page, pk_or_none, staff_required


def _on(request) -> date:
    """The day the grid shows the timetable of (?on=YYYY-MM-DD, 1900–2100: docs/DESIGN.md
    §3.24), today by default."""
    return params.parse_date(request.GET.get("on"), timezone.localdate())


def _class_url(klass_id, day=None) -> str:
    url = reverse("journal:timetable_class", kwargs={"pk": klass_id})
    return url + ("?" + urlencode({"on": day.isoformat()}) if day else "")


@staff_required(access.can_edit_timetable)
def timetable(request):
    """The editor's start page: the school's classes, teachers and rooms."""
    user = request.user
    return render(
        request,
        "journal/timetable/index.html",
        {
            "classes": access.timetable_classes(user).order_by("grade", "letter"),
            "teachers": access.timetable_teachers(user).order_by("last_name", "first_name"),
            "rooms": access.timetable_rooms(user).order_by("number"),
        },
    )


def _grid(request, template_context, **who):
    day = _on(request)
    wk = timetable_week.week(request.user.school_id, day, **who)
    return render(request, "journal/timetable/week.html", {**template_context, "week": wk, "on": day})


@staff_required(access.can_edit_timetable)
def timetable_class(request, pk):
    klass = access.get_timetable_class_for_user(request.user, pk, annotate=timetable_week.with_bells_and_curriculum)
    return _grid(request, {"klass": klass, "title": _("Расписание %(klass)s класса") % {"klass": klass}}, klass=klass)


@staff_required(access.can_edit_timetable)
def timetable_teacher(request, pk):
    teacher = access.get_timetable_teacher_for_user(request.user, pk)
    title = _("Расписание учителя: %(name)s") % {"name": teacher.short_name}
    return _grid(request, {"teacher": teacher, "title": title}, teacher=teacher)


@staff_required(access.can_edit_timetable)
def timetable_room(request, pk):
    room = access.get_timetable_room_for_user(request.user, pk)
    return _grid(request, {"room": room, "title": _("Кабинет %(room)s: расписание") % {"room": room.number}}, room=room)


def _pdf(request, title, filename, **who):
    day = _on(request)
    wk = timetable_week.week(request.user.school_id, day, **who)
    pdf = render_pdf(
        "journal/timetable/week_pdf.html",
        {"week": wk, "title": title, "on": day, "school": request.user.school, **who},
        request=request,
    )
    return pdf_response(pdf, filename)


@staff_required(access.can_edit_timetable)
def timetable_class_pdf(request, pk):
    klass = access.get_timetable_class_for_user(request.user, pk)
    title = _("Расписание %(klass)s класса") % {"klass": klass}
    return _pdf(request, title, f"raspisanie-{klass.pk}.pdf", klass=klass)


@staff_required(access.can_edit_timetable)
def timetable_teacher_pdf(request, pk):
    teacher = access.get_timetable_teacher_for_user(request.user, pk)
    title = _("Расписание учителя: %(name)s") % {"name": teacher.get_full_name()}
    return _pdf(request, title, f"raspisanie-uchitelya-{teacher.pk}.pdf", teacher=teacher)


@staff_required(access.can_edit_timetable)
def timetable_add(request, pk):
    """A new line of the class: ?weekday=&bell= come from the grid's empty cell."""
    klass = access.get_timetable_class_for_user(request.user, pk)
    initial = {
        "weekday": request.GET.get("weekday"),
        "bell": request.GET.get("bell"),
        "room": klass.room_id,
        "valid_from": max(_on(request), klass.year.start),
    }
    form = TimetableAddForm(request.POST or None, initial=initial, school_id=request.user.school_id, klass=klass)

    def add(d):
        entry = service.add_entry(
            request.user, assignment_id=d["assignment"].pk, weekday=d["weekday"], bell_id=d["bell"].pk,
            room_id=pk_or_none(d["room"]), valid_from=d["valid_from"], valid_to=d["valid_to"],
        )  # fmt: skip
        messages.success(request, _("Урок поставлен в расписание: %(entry)s.") % {"entry": entry})
        return _class_url(klass.pk, max(entry.valid_from, timezone.localdate()))

    return form_page(request, form, "journal/timetable/add.html", {"klass": klass}, add)


@staff_required(access.can_edit_timetable)
def timetable_change(request, pk):
    entry = access.get_timetable_entry_for_user(request.user, pk)
    klass = entry.assignment.school_class
    initial = {
        "weekday": entry.weekday,
        "bell": entry.bell_id,
        "room": entry.room_id,
        "valid_from": max(entry.valid_from, service.next_monday()),
        "valid_to": entry.valid_to,
    }
    form = TimetableChangeForm(request.POST or None, initial=initial, school_id=request.user.school_id)

    def change(d):
        changed = service.change_entry(
            request.user, entry_id=entry.pk, weekday=d["weekday"], bell_id=d["bell"].pk, room_id=pk_or_none(d["room"]),
            valid_from=d["valid_from"], valid_to=d["valid_to"],
        )  # fmt: skip
        messages.success(
            request,
            _("Расписание изменено с %(day)s: %(entry)s.")
            % {"day": f"{changed.valid_from:%d.%m.%Y}", "entry": changed},
        )
        return _class_url(klass.pk, max(changed.valid_from, timezone.localdate()))

    return form_page(request, form, "journal/timetable/change.html", {"entry": entry}, change)


@staff_required(access.can_edit_timetable)
def timetable_end(request, pk):
    entry = access.get_timetable_entry_for_user(request.user, pk)
    klass = entry.assignment.school_class
    initial = {"last_day": max(entry.valid_from, timezone.localdate())}
    form = TimetableEndForm(request.POST or None, initial=initial)

    def end(d):
        service.end_entry(request.user, entry_id=entry.pk, last_day=d["last_day"])
        messages.success(request, _("Урок снят с расписания: %(entry)s.") % {"entry": entry})
        return _class_url(klass.pk)

    return form_page(request, form, "journal/timetable/end.html", {"entry": entry}, end)
