"""«Настройка школы» (issue 15 point 5): an academic year with its study periods, holidays
and classes. Thin views over journal/services/setup_calendar.py and setup_classes.py;
see views/setup.py for the rules every set-up page follows."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import access
from ..forms.setup import ClassForm, HolidaysForm, PeriodChangeForm, PeriodForm, YearForm
from ..models import AcademicYear, Holidays, SchoolClass, StudyPeriod
from ..services import setup_calendar as calendar
from ..services import setup_classes as classes
from .common import pk_or_none
from .setup import admin_only, confirm_page, done, edit_page


def _setup_url():
    return reverse("journal:setup")


def _year_url(year_id):
    return reverse("journal:setup_year", kwargs={"pk": year_id})


def _year_data(d):
    return {k: d[k] for k in ("name", "start", "end", "exam_marks_deadline")}


@admin_only
def year_add(request):
    form = YearForm(request.POST or None)

    def add(d):
        year = calendar.create_year(request.user, **_year_data(d))
        return done(request, _("Учебный год %(year)s создан.") % {"year": year}, _year_url(year.pk))

    return edit_page(
        request, form, add, title=_("Новый учебный год"), button=_("Создать учебный год"), back=_setup_url(),
        intro=_("Затем добавьте периоды, каникулы и классы года."),
    )  # fmt: skip


@admin_only
def year(request, pk):
    """A year: its periods, holidays and classes, each with its actions."""
    y = access.get_setup_object(request.user, AcademicYear, pk)
    return render(
        request,
        "journal/setup/year.html",
        {
            "year": y,
            "periods": y.periods.order_by("scheme", "number"),
            "holidays": y.holidays.order_by("start"),
            "classes": SchoolClass.objects.filter(year=y).select_related("class_teacher", "room"),
        },
    )


@admin_only
def year_change(request, pk):
    y = access.get_setup_object(request.user, AcademicYear, pk)
    initial = {k: getattr(y, k) for k in ("name", "start", "end", "exam_marks_deadline")}
    form = YearForm(request.POST or None, initial=initial)

    def change(d):
        changed = calendar.change_year(request.user, year_id=y.pk, **_year_data(d))
        return done(request, _("Учебный год %(year)s изменён.") % {"year": changed}, _year_url(y.pk))

    title = _("Изменить учебный год %(year)s") % {"year": y}
    return edit_page(request, form, change, title=title, button=_("Сохранить"), back=_year_url(y.pk))


@admin_only
def year_delete(request, pk):
    y = access.get_setup_object(request.user, AcademicYear, pk)

    def delete(d):
        calendar.delete_year(request.user, year_id=y.pk)
        return done(request, _("Учебный год %(year)s удалён.") % {"year": y}, _setup_url())

    return confirm_page(
        request, delete, title=_("Удалить учебный год"), what=f"{y.name} ({y.start:%d.%m.%Y}–{y.end:%d.%m.%Y})",
        consequence=_("С годом удаляются его периоды и каникулы. Год, в котором есть классы, удалить нельзя."),
        button=_("Удалить учебный год"), back=_year_url(y.pk),
    )  # fmt: skip


# --- study periods -----------------------------------------------------------------------


def _period_data(d):
    return {k: d[k] for k in ("number", "start", "end", "marks_deadline")}


@admin_only
def period_add(request, pk):
    y = access.get_setup_object(request.user, AcademicYear, pk)
    form = PeriodForm(request.POST or None)

    def add(d):
        period = calendar.create_period(request.user, year_id=y.pk, scheme=d["scheme"], **_period_data(d))
        return done(request, _("Период добавлен: %(period)s.") % {"period": period}, _year_url(y.pk))

    title = _("Новый учебный период: %(year)s") % {"year": y}
    return edit_page(request, form, add, title=title, button=_("Добавить период"), back=_year_url(y.pk))


@admin_only
def period_change(request, pk):
    period = access.get_setup_object(request.user, StudyPeriod, pk)
    initial = {k: getattr(period, k) for k in ("number", "start", "end", "marks_deadline")}
    form = PeriodChangeForm(request.POST or None, initial=initial)

    def change(d):
        changed = calendar.change_period(request.user, period_id=period.pk, **_period_data(d))
        return done(request, _("Период изменён: %(period)s.") % {"period": changed}, _year_url(period.year_id))

    return edit_page(
        request, form, change, title=_("Изменить период: %(period)s") % {"period": period}, button=_("Сохранить"),
        back=_year_url(period.year_id), intro=_("Уроки журнала последуют за новыми датами."),
    )  # fmt: skip


@admin_only
def period_delete(request, pk):
    period = access.get_setup_object(request.user, StudyPeriod, pk)

    def delete(d):
        calendar.delete_period(request.user, period_id=period.pk)
        return done(request, _("Период удалён: %(period)s.") % {"period": period}, _year_url(period.year_id))

    return confirm_page(
        request, delete, title=_("Удалить учебный период"),
        what=f"{period} ({period.start:%d.%m.%Y}–{period.end:%d.%m.%Y})",
        consequence=_("Период, за который выставлены итоговые отметки, удалить нельзя."),
        button=_("Удалить период"), back=_year_url(period.year_id),
    )  # fmt: skip


# --- holidays ----------------------------------------------------------------------------


def _holidays_data(d):
    return {k: d[k] for k in ("name", "start", "end", "grades")}


@admin_only
def holidays_add(request, pk):
    y = access.get_setup_object(request.user, AcademicYear, pk)
    form = HolidaysForm(request.POST or None)

    def add(d):
        h = calendar.create_holidays(request.user, year_id=y.pk, **_holidays_data(d))
        return done(request, _("Каникулы добавлены: %(h)s.") % {"h": h}, _year_url(y.pk))

    return edit_page(
        request, form, add, title=_("Новые каникулы: %(year)s") % {"year": y}, button=_("Добавить каникулы"),
        back=_year_url(y.pk), intro=_("Уроков в каникулы не будет: уроки с записями попадут в «Уроки на решение»."),
    )  # fmt: skip


@admin_only
def holidays_change(request, pk):
    h = access.get_setup_object(request.user, Holidays, pk)
    form = HolidaysForm(request.POST or None, initial={k: getattr(h, k) for k in ("name", "start", "end", "grades")})

    def change(d):
        changed = calendar.change_holidays(request.user, holidays_id=h.pk, **_holidays_data(d))
        return done(request, _("Каникулы изменены: %(h)s.") % {"h": changed}, _year_url(h.year_id))

    title = _("Изменить каникулы: %(h)s") % {"h": h}
    return edit_page(request, form, change, title=title, button=_("Сохранить"), back=_year_url(h.year_id))


@admin_only
def holidays_delete(request, pk):
    h = access.get_setup_object(request.user, Holidays, pk)

    def delete(d):
        calendar.delete_holidays(request.user, holidays_id=h.pk)
        return done(request, _("Каникулы удалены: %(h)s.") % {"h": h}, _year_url(h.year_id))

    return confirm_page(
        request, delete, title=_("Удалить каникулы"), what=str(h),
        consequence=_("В эти дни снова будут уроки по расписанию."),
        button=_("Удалить каникулы"), back=_year_url(h.year_id),
    )  # fmt: skip


# --- classes -------------------------------------------------------------------------------


def class_data(d):
    return {
        "grade": d["grade"],
        "letter": d["letter"],
        "class_teacher_id": pk_or_none(d["leader"]),
        "period_scheme": d["period_scheme"],
        "room_id": pk_or_none(d["room"]),
    }


@admin_only
def class_add(request, pk):
    y = access.get_setup_object(request.user, AcademicYear, pk)
    staff = access.school_staff(request.user.school_id)
    form = ClassForm(request.POST or None, school_id=request.user.school_id, staff=staff)

    def add(d):
        klass = classes.create_class(request.user, year_id=y.pk, **class_data(d))
        url = reverse("journal:setup_class", kwargs={"pk": klass.pk})
        return done(request, _("Класс %(klass)s создан.") % {"klass": klass}, url)

    title = _("Новый класс: %(year)s") % {"year": y}
    return edit_page(request, form, add, title=title, button=_("Создать класс"), back=_year_url(y.pk))
