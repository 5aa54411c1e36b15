"""Forms of the contingent (issue 15): a new pupil, a parent, a class list to import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Guardianship, User
from ejournal import params

from ..services.contingent import NAME_MAX, PHONE_MAX
from .records import DATE_INPUT


class PupilForm(forms.Form):
    last_name = forms.CharField(label=_("Фамилия"), max_length=NAME_MAX)
    first_name = forms.CharField(label=_("Имя"), max_length=NAME_MAX)
    patronymic = forms.CharField(label=_("Отчество"), max_length=NAME_MAX, required=False)
    sex = forms.ChoiceField(label=_("Пол"), choices=[("", "—"), *User.Sex.choices], required=False)
    birth_date = params.DateField(label=_("Дата рождения"), widget=DATE_INPUT)


class ParentForm(forms.Form):
    last_name = forms.CharField(label=_("Фамилия"), max_length=NAME_MAX)
    first_name = forms.CharField(label=_("Имя"), max_length=NAME_MAX)
    patronymic = forms.CharField(label=_("Отчество"), max_length=NAME_MAX, required=False)
    relation = forms.ChoiceField(
        label=_("Кем приходится"), choices=[("", "—"), *Guardianship.Relation.choices], required=False
    )
    phone = forms.CharField(label=_("Телефон"), max_length=PHONE_MAX, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class ClassListForm(forms.Form):
    file = forms.FileField(label=_("Файл списка класса (CSV или XLSX)"))


class StaffListForm(forms.Form):
    file = forms.FileField(label=_("Файл списка сотрудников (CSV или XLSX)"))
