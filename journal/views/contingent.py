"""Contingent pages (issue 15): a new pupil, a pupil's parent, the import of a class list,
and the school's classes for the secretary. Credentials are issued on the class's
people page (journal:class_people), where each of these pages returns."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scopes import is_school_admin

from .. import access
from ..forms.contingent import ClassListForm, ParentForm, PupilForm, StaffListForm
from ..models import SchoolClass
from ..services import class_import as class_list
from ..services import contingent
from ..services import staff_import as staff_list
from ..services.errors import ServiceError


@login_required
def school_classes(request):
    """The classes of the school's current year, for the secretary and the administrator, and
    those of a next year made already: its new 1st classes are filled in the summer, while
    the old year is still the current one (docs/DESIGN.md §3.26)."""
    if not access.can_manage_school_contingent(request.user):
        raise PermissionDenied
    year = access.current_year(request.user.school)
    classes = SchoolClass.objects.filter(year=year).select_related("class_teacher").order_by("grade", "letter")
    upcoming = []
    if year is not None:
        later = SchoolClass.objects.filter(year__school_id=year.school_id, year__start__gt=year.end)
        for klass in later.select_related("year", "class_teacher").order_by("year__start", "grade", "letter"):
            if not upcoming or upcoming[-1][0] != klass.year:
                upcoming.append((klass.year, []))
            upcoming[-1][1].append(klass)
    ctx = {"classes": classes, "year": year, "upcoming": upcoming}
    return render(request, "journal/contingent/classes.html", ctx)


@login_required
def pupil_new(request, pk):
    klass, _w = access.get_contingent_class_for_user(request.user, pk)
    form = PupilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pupil = contingent.create_pupil(request.user, klass, **form.cleaned_data)
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            messages.success(
                request,
                _("Ученик %(name)s зачислен в %(klass)s, логин %(login)s. Добавьте родителей.")
                % {"name": pupil.full_name, "klass": klass, "login": pupil.username},
            )
            return redirect("journal:parent_new", pk=pupil.pk)
    return render(request, "journal/contingent/pupil_new.html", {"klass": klass, "form": form})


@login_required
def parent_new(request, pk):
    pupil, enrollment = access.get_contingent_pupil_for_user(request.user, pk)
    form = ParentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            parent, created = contingent.add_parent(request.user, pupil, enrollment, **form.cleaned_data)
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            if created:
                msg = _("Родитель %(name)s добавлен, логин %(login)s.")
            else:
                msg = _("%(name)s уже есть в школе (логин %(login)s): привязан(а) к ученику как родитель.")
            messages.success(request, msg % {"name": parent.full_name, "login": parent.username})
            if request.POST.get("more"):
                return redirect("journal:parent_new", pk=pupil.pk)
            return redirect("journal:class_people", pk=enrollment.school_class_id)
    parents = [g.parent for g in pupil.parent_links.select_related("parent")]
    return render(
        request,
        "journal/contingent/parent_new.html",
        {"pupil": pupil, "klass": enrollment.school_class, "form": form, "parents": parents},
    )


@login_required
def class_import(request, pk):
    """Upload a class list and see the preview with every row's errors; nothing is written here."""
    klass, _w = access.get_contingent_class_for_user(request.user, pk)
    form = ClassListForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = class_list.preview(request.user, klass, form.cleaned_data["file"])
        except ServiceError as e:
            form.add_error("file", e.message)
    return render(
        request,
        "journal/contingent/class_import.html",
        {"klass": klass, "form": form, "preview": preview, "aliases": class_list.ALIASES},
        status=422 if preview is not None and not preview.ok else 200,
    )


@require_POST
@login_required
def class_import_confirm(request, pk):
    klass, _w = access.get_contingent_class_for_user(request.user, pk)
    try:
        created = class_list.confirm(request.user, klass, request.POST.get("token", ""))
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("journal:class_import", pk=klass.pk)
    messages.success(request, _("Зачислено учеников: %(n)s. Выдайте им и родителям реквизиты.") % {"n": len(created)})
    return redirect("journal:class_people", pk=klass.pk)


@login_required
def staff_import(request):
    """The administrator uploads the staff list and sees the preview; nothing is written here."""
    if not is_school_admin(request.user):
        raise PermissionDenied
    form = StaffListForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = staff_list.preview(request.user, form.cleaned_data["file"])
        except ServiceError as e:
            form.add_error("file", e.message)
    return render(
        request,
        "journal/contingent/staff_import.html",
        {"form": form, "preview": preview},
        status=422 if preview is not None and not preview.ok else 200,
    )


@require_POST
@login_required
def staff_import_confirm(request):
    if not is_school_admin(request.user):
        raise PermissionDenied
    try:
        created = staff_list.confirm(request.user, request.POST.get("token", ""))
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("journal:staff_import")
    messages.success(request, _("Создано учётных записей сотрудников: %(n)s.") % {"n": len(created)})
    return redirect("accounts:people")
