"""Forms of the next-year wizard and the promotion by order (docs/DESIGN.md §3.26). They
parse; journal/services/new_year.py and promotion.py decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal import params

from ..services import new_year
from .records import DATE_INPUT


class NewYearForm(forms.Form):
    name = forms.CharField(label=_("Название нового учебного года"), max_length=20)
    start = params.DateField(label=_("Начало учебного года"), widget=DATE_INPUT)
    end = params.DateField(label=_("Окончание учебного года"), widget=DATE_INPUT)
    first_letters = forms.CharField(
        label=_("Новые первые классы: литеры через запятую (пусто — без первых классов)"),
        max_length=40,
        required=False,
    )
    timetable = forms.ChoiceField(
        label=_("Расписание уроков"),
        choices=[
            (new_year.TIMETABLE_EMPTY, _("начать с пустого")),
            (new_year.TIMETABLE_DRAFT, _("скопировать прошлогоднее как черновик")),
        ],
        initial=new_year.TIMETABLE_EMPTY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.moves = list(moves)
        for m in self.moves:
            if m.grade is None:
                continue
            self.fields[f"letter_{m.old.pk}"] = forms.CharField(
                label=_("Литера класса %(grade)s (был %(klass)s)") % {"grade": m.grade, "klass": m.old},
                max_length=4,
                initial=m.letter,
            )

    def letters(self) -> dict:
        return {m.old.pk: self.cleaned_data[f"letter_{m.old.pk}"] for m in self.moves if m.grade is not None}

    def class_rows(self):
        """(move, its letter field) for the template's table; the graduates have none."""
        return [(m, self[f"letter_{m.old.pk}"] if m.grade is not None else None) for m in self.moves]


class PromotionOrderForm(forms.Form):
    number = forms.CharField(label=_("Номер приказа"), max_length=40)
    date = params.DateField(label=_("Дата приказа"), widget=DATE_INPUT)
