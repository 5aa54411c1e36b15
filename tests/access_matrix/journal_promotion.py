"""Access rows for the end of the school year (issue 16 points 3–4, docs/DESIGN.md §3.26):
the administrator's next-year wizard (403 for every other role), and the promotion by
order — the director's, or the administrator's on the director's order (403 for every
other role; another school's year, order or class is 404 for them)."""

from datetime import date

from . import Row

ADMIN = {"admin": 200}
RECORDERS = {"admin": 200, "director": 200}
THERE = {"admin": 404, "director": 404}


def _next_year(w):
    from journal.models import SchoolClass
    from journal.services import new_year

    made = SchoolClass.objects.filter(carried_from__year=w.year).first()
    if made is not None:
        return made.year
    return new_year.create_next_year(
        w.admin, from_year_id=w.year.pk, name="2027/2028", start=date(2027, 9, 1), end=date(2028, 5, 31)
    )


def _order(w):
    from journal.models import PromotionOrder

    _next_year(w)
    return PromotionOrder.objects.get_or_create(
        year=w.year, number="112-о", defaults={"date": date(2027, 5, 28), "recorded_by": w.director}
    )[0]


def _foreign_order(w):
    from journal.models import PromotionOrder

    return PromotionOrder.objects.get_or_create(
        year=w.foreign_class.year, number="1", defaults={"date": date(2027, 5, 28), "recorded_by": w.outsider}
    )[0]


_wizard = {"name": "2027/2028", "start": "2027-09-01", "end": "2028-05-31", "first_letters": "А",
           "timetable": "empty"}  # fmt: skip


def _wizard_data(w, **kw):
    data = dict(_wizard, **kw)
    for k in (w.klass, w.other_class):
        data[f"letter_{k.pk}"] = k.letter
    return data


ROWS = [
    Row("journal:setup_new_year", expect=ADMIN, default=403),
    Row("journal:setup_new_year", method="POST", data=lambda w: _wizard_data(w, start="2027-05-01"),
        expect={"admin": 422}, default=403, note="overlaps the old year"),
    Row("journal:setup_new_year", method="POST", data=lambda w: _wizard_data(w), expect={"admin": 302}, default=403),
    Row("journal:promotion", expect=RECORDERS, default=403),
    Row("journal:promotion_year", kwargs=lambda w: {"pk": w.year.pk}, expect=RECORDERS, default=403),
    Row("journal:promotion_year", kwargs=lambda w: {"pk": w.foreign_class.year.pk}, expect=THERE, default=403,
        note="another school's year"),
    Row("journal:promotion_order_add", kwargs=lambda w: {"pk": w.year.pk}, expect=RECORDERS, default=403),
    Row("journal:promotion_order_add", kwargs=lambda w: {"pk": w.year.pk}, method="POST",
        data=lambda w: {"number": "5", "date": "2027-05-28"}, expect={"admin": 422, "director": 422}, default=403,
        note="no next year yet"),
    Row("journal:promotion_order_add", kwargs=lambda w: {"pk": w.foreign_class.year.pk}, expect=THERE, default=403,
        note="another school's year"),
    Row("journal:promotion_class", kwargs=lambda w: {"order": _order(w).pk, "pk": w.klass.pk}, expect=RECORDERS,
        default=403),
    Row("journal:promotion_class", kwargs=lambda w: {"order": _order(w).pk, "pk": w.klass.pk}, method="POST",
        data=lambda w: {f"decision_{w.pupil.pk}": "promoted"}, expect={"director": 302, "admin": 422}, default=403,
        note="the director promotes; the administrator then finds the class done"),
    Row("journal:promotion_class", kwargs=lambda w: {"order": _order(w).pk, "pk": w.foreign_class.pk}, expect=THERE,
        default=403, note="another school's class"),
    Row("journal:promotion_class", kwargs=lambda w: {"order": _foreign_order(w).pk, "pk": w.foreign_class.pk},
        expect=THERE, default=403, note="another school's order"),
    Row("journal:promotion_all", kwargs=lambda w: {"order": _order(w).pk}, expect=RECORDERS, default=403),
    Row("journal:promotion_all", kwargs=lambda w: {"order": _order(w).pk}, method="POST", data=lambda w: {},
        expect={"director": 302, "admin": 422}, default=403, note="the second run finds everyone decided"),
    Row("journal:promotion_all", kwargs=lambda w: {"order": _foreign_order(w).pk}, expect=THERE, default=403,
        note="another school's order"),
]  # fmt: skip
