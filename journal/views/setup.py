"""The administrator's own pages for what the school sets up every year (issue 15 point 5):
«Настройка школы» — the years with their periods, holidays and classes
(views/setup_year.py), a class's curriculum and loads (views/setup_class.py), and here the
start page, the bells, the rooms and the subjects.

Thin views over journal/services/setup_*.py: every page is behind the named predicate
`can_set_up_school` (403 for another role), every object resolved through
journal.access.get_setup_object (404 outside the user's school). A form page calls one
service (common.form_page); a deletion asks first on its own page (GET) and is refused
with a Russian message when something depends on the row.
"""

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import access
from ..forms.setup import BellForm, ConfirmForm, RoomForm, SubjectForm
from ..models import AcademicYear, Bell, Room, Subject
from ..services import setup_school as service
from .common import form_page, staff_required

admin_only = staff_required(access.can_set_up_school)


def edit_page(request, form, act, *, title, button, back, intro=""):
    """A set-up form page: `act(cleaned_data)` calls the service and returns where to go."""
    ctx = {"title": title, "button": button, "back": back, "intro": intro}
    return form_page(request, form, "journal/setup/form.html", ctx, act)


def confirm_page(request, act, *, title, what, consequence, button, back):
    """A deletion's (or an end's) own page: what goes and what follows, one button."""
    ctx = {"title": title, "what": what, "consequence": consequence, "button": button, "back": back}
    return form_page(
        request, ConfirmForm(request.POST if request.method == "POST" else None), "journal/setup/confirm.html", ctx, act
    )


def done(request, text, url):
    messages.success(request, text)
    return url


@admin_only
def setup(request):
    """«Настройка школы»: the years, and the links to everything else the school sets up."""
    years = access.setup_objects(request.user, AcademicYear).order_by("-start")
    return render(request, "journal/setup/index.html", {"years": years})


# --- bells ---------------------------------------------------------------------------------


def _bells_url():
    return reverse("journal:setup_bells")


@admin_only
def bells(request):
    rows = access.setup_objects(request.user, Bell).order_by("number")
    return render(request, "journal/setup/bells.html", {"bells": rows})


def _bell_data(d):
    return {"number": d["number"], "starts": d["starts"], "ends": d["ends"]}


@admin_only
def bell_add(request):
    form = BellForm(request.POST or None)

    def add(d):
        bell = service.create_bell(request.user, **_bell_data(d))
        return done(request, _("Звонок добавлен: %(bell)s.") % {"bell": bell}, _bells_url())

    return edit_page(
        request, form, add, title=_("Добавить урок в расписание звонков"), button=_("Добавить"), back=_bells_url()
    )


@admin_only
def bell_change(request, pk):
    bell = access.get_setup_object(request.user, Bell, pk)
    form = BellForm(request.POST or None, initial={"number": bell.number, "starts": bell.starts, "ends": bell.ends})

    def change(d):
        changed = service.change_bell(request.user, bell_id=bell.pk, **_bell_data(d))
        return done(request, _("Звонок изменён: %(bell)s.") % {"bell": changed}, _bells_url())

    return edit_page(
        request, form, change, title=_("Изменить звонок: %(bell)s") % {"bell": bell}, button=_("Сохранить"),
        back=_bells_url(), intro=_("Уроки журнала на этом звонке получат новое время."),
    )  # fmt: skip


@admin_only
def bell_delete(request, pk):
    bell = access.get_setup_object(request.user, Bell, pk)

    def delete(d):
        service.delete_bell(request.user, bell_id=bell.pk)
        return done(request, _("Звонок удалён: %(bell)s.") % {"bell": bell}, _bells_url())

    return confirm_page(
        request, delete, title=_("Удалить звонок"), what=str(bell),
        consequence=_("Звонок, на котором стоят уроки, удалить нельзя: измените его время."),
        button=_("Удалить звонок"), back=_bells_url(),
    )  # fmt: skip


# --- rooms ---------------------------------------------------------------------------------


def _rooms_url():
    return reverse("journal:setup_rooms")


@admin_only
def rooms(request):
    rows = access.setup_objects(request.user, Room).order_by("number")
    return render(request, "journal/setup/rooms.html", {"rooms": rows})


@admin_only
def room_add(request):
    form = RoomForm(request.POST or None)

    def add(d):
        room = service.create_room(request.user, number=d["number"], name=d["name"])
        return done(request, _("Кабинет добавлен: %(room)s.") % {"room": room}, _rooms_url())

    return edit_page(request, form, add, title=_("Добавить кабинет"), button=_("Добавить"), back=_rooms_url())


@admin_only
def room_change(request, pk):
    room = access.get_setup_object(request.user, Room, pk)
    form = RoomForm(request.POST or None, initial={"number": room.number, "name": room.name})

    def change(d):
        changed = service.change_room(request.user, room_id=room.pk, number=d["number"], name=d["name"])
        return done(request, _("Кабинет изменён: %(room)s.") % {"room": changed}, _rooms_url())

    title = _("Изменить кабинет %(room)s") % {"room": room.number}
    return edit_page(request, form, change, title=title, button=_("Сохранить"), back=_rooms_url())


@admin_only
def room_delete(request, pk):
    room = access.get_setup_object(request.user, Room, pk)

    def delete(d):
        service.delete_room(request.user, room_id=room.pk)
        return done(request, _("Кабинет удалён: %(room)s.") % {"room": room.number}, _rooms_url())

    return confirm_page(
        request, delete, title=_("Удалить кабинет"), what=f"{room.number} {room.name}".strip(),
        consequence=_("Кабинет, указанный в расписании, в уроках или у класса, удалить нельзя."),
        button=_("Удалить кабинет"), back=_rooms_url(),
    )  # fmt: skip


# --- subjects ------------------------------------------------------------------------------


def _subjects_url():
    return reverse("journal:setup_subjects")


def _subject_data(d):
    return {"name": d["name"], "short_name": d["short_name"], "order": d["order"], "assessment": d["assessment"]}


@admin_only
def subjects(request):
    rows = access.setup_objects(request.user, Subject).order_by("order", "name")
    return render(request, "journal/setup/subjects.html", {"subjects": rows})


@admin_only
def subject_add(request):
    form = SubjectForm(request.POST or None)

    def add(d):
        subject = service.create_subject(request.user, **_subject_data(d))
        return done(request, _("Предмет добавлен: %(subject)s.") % {"subject": subject}, _subjects_url())

    return edit_page(request, form, add, title=_("Добавить предмет"), button=_("Добавить"), back=_subjects_url())


@admin_only
def subject_change(request, pk):
    subject = access.get_setup_object(request.user, Subject, pk)
    initial = {f: getattr(subject, f) for f in ("name", "short_name", "order", "assessment")}
    form = SubjectForm(request.POST or None, initial=initial)

    def change(d):
        changed = service.change_subject(request.user, subject_id=subject.pk, **_subject_data(d))
        return done(request, _("Предмет изменён: %(subject)s.") % {"subject": changed}, _subjects_url())

    title = _("Изменить предмет: %(subject)s") % {"subject": subject}
    return edit_page(request, form, change, title=title, button=_("Сохранить"), back=_subjects_url())


@admin_only
def subject_delete(request, pk):
    subject = access.get_setup_object(request.user, Subject, pk)

    def delete(d):
        service.delete_subject(request.user, subject_id=subject.pk)
        return done(request, _("Предмет удалён: %(subject)s.") % {"subject": subject}, _subjects_url())

    return confirm_page(
        request, delete, title=_("Удалить предмет"), what=subject.name,
        consequence=_("Предмет, который есть в учебном плане или в нагрузке, удалить нельзя."),
        button=_("Удалить предмет"), back=_subjects_url(),
    )  # fmt: skip
