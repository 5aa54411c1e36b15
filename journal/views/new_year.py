"""«Следующий учебный год из прошлого»: the administrator's wizard (docs/DESIGN.md §3.26),
a thin view over journal/services/new_year.py, reached from «Настройка школы» and from
the home card «Конец учебного года»."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..forms.promotion import NewYearForm
from ..services import new_year as service
from .common import form_page
from .setup import admin_only, done


@admin_only
def setup_new_year(request):
    year = service.source_year(request.user.school_id)
    if year is None:
        return render(request, "journal/setup/new_year.html", {"source": None})
    proposal = service.propose(year)
    plan = proposal.calendar
    initial = {
        "name": plan.name,
        "start": plan.start,
        "end": plan.end,
        "first_letters": ", ".join(proposal.first_letters),
        "timetable": service.TIMETABLE_EMPTY,
    }
    form = NewYearForm(request.POST or None, initial=initial, moves=proposal.moves)

    def create(d):
        made = service.create_next_year(
            request.user,
            from_year_id=year.pk,
            name=d["name"],
            start=d["start"],
            end=d["end"],
            letters=form.letters(),
            first_letters=service.parse_letters(d["first_letters"]),
            timetable=d["timetable"],
        )
        text = _(
            "Учебный год %(year)s создан из %(old)s: проверьте его периоды, каникулы, классы, учебный план и нагрузку."
        ) % {"year": made.name, "old": year.name}
        return done(request, text, reverse("journal:setup_year", kwargs={"pk": made.pk}))

    ctx = {"source": year, "made": service.already_carried(year), "plan": plan}
    return form_page(request, form, "journal/setup/new_year.html", ctx, create)
