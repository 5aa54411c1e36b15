"""Promotion by the director's order (docs/DESIGN.md §3.26): the years, a year's orders and
classes, an order's form, a class's decisions, the whole school at once. Thin views over
journal/services/promotion.py; every page is behind `can_promote_pupils` (403 for another
role), every object resolved through journal.access (404 outside the user's school)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ejournal import params

from .. import access
from ..forms.promotion import PromotionOrderForm
from ..forms.setup import ConfirmForm
from ..models import CurriculumLine, PromotionOrder, Subject
from ..services import promotion as service
from ..services.errors import ServiceError
from .common import form_page, staff_required

recorders_only = staff_required(access.can_promote_pupils)
D = service.D


def _year_url(year_id):
    return reverse("journal:promotion_year", kwargs={"pk": year_id})


@recorders_only
def promotion(request):
    """The school's years, each with its next year and orders."""
    years = list(access.promotion_years(request.user).order_by("-start"))
    for y in years:
        y.next_year = service.next_year_of(y)
    return render(request, "journal/promotion/index.html", {"years": years})


@recorders_only
def promotion_year(request, pk):
    year = access.get_promotion_year(request.user, pk)
    orders = list(PromotionOrder.objects.filter(year=year).select_related("recorded_by").order_by("-date", "-pk"))
    progress = service.progress(year)
    classes = list(service.year_classes(year))
    for k in classes:
        k.decided, k.pupils = progress.get(k.pk, (0, 0))
    ctx = {
        "year": year,
        "next_year": service.next_year_of(year),
        "orders": orders,
        "order": orders[0] if orders else None,
        "classes": classes,
        "pending": sum(k.pupils - k.decided for k in classes),
    }
    return render(request, "journal/promotion/year.html", ctx)


@recorders_only
def promotion_order_add(request, pk):
    year = access.get_promotion_year(request.user, pk)
    form = PromotionOrderForm(request.POST or None)

    def add(d):
        order = service.record_order(request.user, year_id=year.pk, number=d["number"], date=d["date"])
        messages.success(request, _("Приказ внесён: %(order)s.") % {"order": order})
        return _year_url(year.pk)

    ctx = {
        "title": _("Приказ о переводе: %(year)s") % {"year": year},
        "button": _("Внести приказ"),
        "back": _year_url(year.pk),
        "intro": _("Приказ директора о переводе обучающихся; затем по нему вносятся решения по классам."),
    }
    return form_page(request, form, "journal/setup/form.html", ctx, add)


def _choices(post, proposals):
    """{pupil: (decision, [subject ids])} typed into the class's form, for its pupils not yet decided."""
    out = {}
    for p in proposals:
        if p.done is not None:
            continue
        pk = p.pupil.pk
        out[pk] = (post.get(f"decision_{pk}", ""), params.parse_ids(post.getlist(f"debts_{pk}")))
    return out


@recorders_only
def promotion_class(request, order, pk):
    order = access.get_promotion_order(request.user, order)
    klass = access.get_promotion_class(request.user, order, pk)
    year = order.year
    proposals = service.propose(year, [klass])
    status, error = 200, ""
    if request.method == "POST":
        choices = _choices(request.POST, proposals)
        try:
            done = service.promote_class(request.user, order_id=order.pk, class_id=klass.pk, choices=choices)
        except ServiceError as e:
            status, error = 422, e.message
            for p in proposals:  # the form keeps what was typed
                if p.pupil.pk in choices:
                    p.decision, typed = choices[p.pupil.pk]
                    p.debt_ids = set(typed)
        else:
            messages.success(
                request,
                _("Класс %(klass)s: решения внесены (%(n)s) по приказу %(order)s.")
                % {"klass": klass, "n": len(done), "order": order},
            )
            return redirect(_year_url(year.pk))
    subject_ids = set(CurriculumLine.objects.filter(school_class=klass).values_list("subject_id", flat=True))
    for p in proposals:
        subject_ids |= {s.pk for s in p.debts}
        if not hasattr(p, "debt_ids"):
            p.debt_ids = {s.pk for s in p.debts}
    subjects = list(Subject.objects.filter(pk__in=subject_ids, school_id=request.user.school_id))
    ctx = {
        "order": order,
        "klass": klass,
        "year": year,
        "proposals": proposals,
        "pending": [p for p in proposals if p.done is None],
        "subjects": subjects,
        "decisions": D.choices,
        "error": error,
    }
    return render(request, "journal/promotion/klass.html", ctx, status=status)


@recorders_only
def promotion_all(request, order):
    order = access.get_promotion_order(request.user, order)
    year = order.year

    def promote(d):
        made = service.promote_school(request.user, order_id=order.pk)
        messages.success(
            request, _("Решения внесены по всей школе (%(n)s) по приказу %(order)s.") % {"n": len(made), "order": order}
        )
        return _year_url(year.pk)

    ctx = {
        "title": _("Перевести всю школу: %(year)s") % {"year": year},
        "what": str(order),
        "consequence": _(
            "Всем ученикам, по которым ещё нет решения, вносится предложенное: переведён, условно с задолженностью "
            "по неудовлетворительным итоговым отметкам, выпускники 11 классов выпущены. Решения, уже внесённые по "
            "классам, не меняются."
        ),
        "button": _("Перевести всю школу"),
        "back": _year_url(year.pk),
    }
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    return form_page(request, form, "journal/setup/confirm.html", ctx, promote)
