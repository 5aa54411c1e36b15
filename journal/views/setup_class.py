"""«Настройка школы» (issue 15 point 5): a class — its name and class teacher, its
curriculum (учебный план) and its loads (нагрузка). Thin views over
journal/services/setup_classes.py; see views/setup.py for the rules every set-up page follows."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import access
from ..forms.setup import ClassForm, CurriculumChangeForm, CurriculumForm, LoadForm, LoadTeacherForm
from ..models import CurriculumLine, SchoolClass, TeachingAssignment
from ..services import setup_classes as service
from .common import pk_or_none
from .setup import admin_only, confirm_page, done, edit_page
from .setup_year import class_data


def _class_url(class_id):
    return reverse("journal:setup_class", kwargs={"pk": class_id})


@admin_only
def klass(request, pk):
    """A class: its curriculum lines and its loads, each with its actions."""
    k = access.get_setup_object(request.user, SchoolClass, pk)
    lines = (
        CurriculumLine.objects.filter(school_class=k)
        .select_related("subject")
        .order_by("subject__order", "subject__name")
    )
    loads = (
        TeachingAssignment.objects.filter(school_class=k)
        .select_related("subject", "group", "teacher")
        .order_by("-is_active", "subject__order", "subject__name", "group__name")
    )
    return render(request, "journal/setup/klass.html", {"klass": k, "lines": lines, "loads": loads})


@admin_only
def class_change(request, pk):
    k = access.get_setup_object(request.user, SchoolClass, pk)
    staff = access.school_staff(request.user.school_id)
    initial = {
        "grade": k.grade, "letter": k.letter, "leader": k.class_teacher_id, "period_scheme": k.period_scheme,
        "room": k.room_id,
    }  # fmt: skip
    form = ClassForm(request.POST or None, initial=initial, school_id=request.user.school_id, staff=staff)

    def change(d):
        changed = service.change_class(request.user, class_id=k.pk, **class_data(d))
        return done(request, _("Класс %(klass)s изменён.") % {"klass": changed}, _class_url(k.pk))

    title = _("Изменить класс %(klass)s") % {"klass": k}
    return edit_page(request, form, change, title=title, button=_("Сохранить"), back=_class_url(k.pk))


@admin_only
def class_delete(request, pk):
    k = access.get_setup_object(request.user, SchoolClass, pk)

    def delete(d):
        service.delete_class(request.user, class_id=k.pk)
        url = reverse("journal:setup_year", kwargs={"pk": k.year_id})
        return done(request, _("Класс %(klass)s удалён.") % {"klass": k}, url)

    return confirm_page(
        request, delete, title=_("Удалить класс"), what=f"{k} ({k.year})",
        consequence=_("Класс, в котором есть ученики, учебный план или нагрузка, удалить нельзя."),
        button=_("Удалить класс"), back=_class_url(k.pk),
    )  # fmt: skip


# --- the curriculum --------------------------------------------------------------------------


@admin_only
def curriculum_add(request, pk):
    k = access.get_setup_object(request.user, SchoolClass, pk)
    form = CurriculumForm(request.POST or None, school_id=request.user.school_id)

    def add(d):
        line = service.create_line(
            request.user, class_id=k.pk, subject_id=d["subject"].pk, hours_per_week=d["hours_per_week"],
            hours_per_year=d["hours_per_year"],
        )  # fmt: skip
        return done(request, _("В учебный план добавлено: %(line)s.") % {"line": line}, _class_url(k.pk))

    return edit_page(
        request, form, add, title=_("Учебный план %(klass)s: добавить предмет") % {"klass": k},
        button=_("Добавить в учебный план"), back=_class_url(k.pk),
    )  # fmt: skip


@admin_only
def curriculum_change(request, pk):
    line = access.get_setup_object(request.user, CurriculumLine, pk)
    initial = {"hours_per_week": line.hours_per_week, "hours_per_year": line.hours_per_year}
    form = CurriculumChangeForm(request.POST or None, initial=initial, school_id=request.user.school_id)

    def change(d):
        changed = service.change_line(
            request.user, line_id=line.pk, hours_per_week=d["hours_per_week"], hours_per_year=d["hours_per_year"]
        )
        return done(request, _("Учебный план изменён: %(line)s.") % {"line": changed}, _class_url(line.school_class_id))

    title = _("Учебный план %(klass)s: %(subject)s") % {"klass": line.school_class, "subject": line.subject}
    return edit_page(request, form, change, title=title, button=_("Сохранить"), back=_class_url(line.school_class_id))


@admin_only
def curriculum_delete(request, pk):
    line = access.get_setup_object(request.user, CurriculumLine, pk)

    def delete(d):
        service.delete_line(request.user, line_id=line.pk)
        return done(
            request, _("Из учебного плана убрано: %(line)s.") % {"line": line}, _class_url(line.school_class_id)
        )

    return confirm_page(
        request, delete, title=_("Убрать предмет из учебного плана"), what=str(line),
        consequence=_("Предмет, по которому есть действующая нагрузка, из учебного плана не убрать: сначала снимите её."),
        button=_("Убрать из учебного плана"), back=_class_url(line.school_class_id),
    )  # fmt: skip


# --- loads -----------------------------------------------------------------------------------


def _load_label(load) -> str:
    return f"{load} — {load.teacher.short_name}"


@admin_only
def load_add(request, pk):
    k = access.get_setup_object(request.user, SchoolClass, pk)
    form = LoadForm(request.POST or None, klass=k, staff=access.school_staff(request.user.school_id))

    def add(d):
        load = service.create_load(
            request.user, class_id=k.pk, subject_id=d["subject"].pk, group_id=pk_or_none(d["group"]),
            teacher_id=d["staff_member"].pk,
        )  # fmt: skip
        return done(request, _("Нагрузка назначена: %(load)s.") % {"load": _load_label(load)}, _class_url(k.pk))

    return edit_page(
        request, form, add, title=_("Нагрузка %(klass)s: назначить учителя") % {"klass": k},
        button=_("Назначить нагрузку"), back=_class_url(k.pk),
        intro=_("Нагрузка — журнал класса или группы по предмету; предмет должен быть в учебном плане класса."),
    )  # fmt: skip


@admin_only
def load_change(request, pk):
    load = access.get_setup_object(request.user, TeachingAssignment, pk)
    form = LoadTeacherForm(
        request.POST or None,
        initial={"staff_member": load.teacher_id},
        staff=access.school_staff(request.user.school_id),
    )

    def change(d):
        changed = service.change_load_teacher(request.user, load_id=load.pk, teacher_id=d["staff_member"].pk)
        return done(
            request, _("Журнал передан: %(load)s.") % {"load": _load_label(changed)}, _class_url(load.school_class_id)
        )

    return edit_page(
        request, form, change, title=_("Сменить учителя: %(load)s") % {"load": load}, button=_("Сохранить"),
        back=_class_url(load.school_class_id),
        intro=_("Журнал со всеми записями переходит новому учителю; прежний больше не сможет его заполнять."),
    )  # fmt: skip


def _set_active(request, pk, active):
    load = access.get_setup_object(request.user, TeachingAssignment, pk)

    def act(d):
        changed = service.set_load_active(request.user, load_id=load.pk, active=active)
        text = _("Нагрузка возобновлена: %(load)s.") if active else _("Нагрузка снята: %(load)s.")
        return done(request, text % {"load": _load_label(changed)}, _class_url(load.school_class_id))

    if active:
        strings = (
            _("Возобновить нагрузку"),
            _("Журнал снова действует: уроки появятся по расписанию."),
            _("Возобновить"),
        )
    else:
        strings = (
            _("Снять нагрузку"),
            _(
                "Журнал остаётся со всеми записями; будущие уроки без записей уберутся, уроки с записями попадут в «Уроки на решение»."
            ),
            _("Снять нагрузку"),
        )
    return confirm_page(
        request, act, title=strings[0], what=_load_label(load), consequence=strings[1], button=strings[2],
        back=_class_url(load.school_class_id),
    )  # fmt: skip


@admin_only
def load_end(request, pk):
    return _set_active(request, pk, False)


@admin_only
def load_resume(request, pk):
    return _set_active(request, pk, True)
