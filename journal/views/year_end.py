"""«Закрытие учебного года» (docs/DESIGN.md §3.25): the year-end check for the deputy and
the director, and the director's closing and reopening of the year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import access
from ..forms.year_closure import YearCloseForm, YearReopenForm
from ..services import year_closure
from ..year_end import check_year
from .common import staff_required


def _page(request, year, *, close_form=None, reopen_form=None, status=200):
    check = check_year(year, timezone.now()) if year is not None else None
    return render(
        request,
        "journal/year_end.html",
        {
            "year": year,
            "years": list(access.years_of(request.user)),
            "check": check,
            "can_close": access.can_close_year(request.user),
            "close_form": close_form or YearCloseForm(),
            "reopen_form": reopen_form or YearReopenForm(),
        },
        status=status,
    )


def _year(request, pk):
    year = access.get_year_for_user(request.user, pk)
    year.school = request.user.school  # the user's own: spares a query
    return year


def _back(year):
    return f"{reverse('journal:year_end')}?year={year.pk}"


@staff_required(access.can_check_year_end)
@require_safe
def year_end(request):
    year = access.chosen_year(request)
    if year is not None:
        year.school = request.user.school
    return _page(request, year)


def _director_acts(request, pk, form_class, act, done_message, form_name):
    """A POST of the check page's closing or reopening form: the director's alone."""
    year = _year(request, pk)
    if not access.can_close_year(request.user):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(year, form.cleaned_data)
        except year_closure.ServiceError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, done_message % {"year": year.name})
            return redirect(_back(year))
    return _page(request, year, status=422, **{form_name: form})


@staff_required(access.can_check_year_end)
@require_POST
def year_close(request, pk):
    def close(year, data):
        year_closure.close_year(request.user, year, data["override_reason"])

    return _director_acts(request, pk, YearCloseForm, close, _("Учебный год %(year)s закрыт."), "close_form")


@staff_required(access.can_check_year_end)
@require_POST
def year_reopen(request, pk):
    def reopen(year, data):
        year_closure.reopen_year(request.user, year, data["reason"])

    return _director_acts(request, pk, YearReopenForm, reopen, _("Учебный год %(year)s переоткрыт."), "reopen_form")
