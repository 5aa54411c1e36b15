from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, User


class CardForm(forms.Form):
    last_name = forms.CharField(label=_("Фамилия"), max_length=150)
    first_name = forms.CharField(label=_("Имя"), max_length=150)
    patronymic = forms.CharField(label=_("Отчество"), max_length=150, required=False)
    birth_date = forms.DateField(
        label=_("Дата рождения"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sex = forms.ChoiceField(label=_("Пол"), choices=[("", "—"), *User.Sex.choices], required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Телефон"), max_length=32, required=False)


class StaffForm(CardForm):
    roles = forms.MultipleChoiceField(
        label=_("Роли"), choices=RoleAssignment.Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class ConsentForm(forms.Form):
    given_by = forms.CharField(label=_("Кто дал согласие (ФИО)"), max_length=300)
    given_on = forms.DateField(label=_("Дата согласия"), widget=forms.DateInput(attrs={"type": "date"}))


class OTPTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Код из приложения"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Введите шесть цифр из приложения-аутентификатора.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CompromiseForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Учётная запись"), queryset=User.objects.none())
    learned_at = forms.DateTimeField(
        label=_("Когда школе стало известно о нарушении"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
    )
    reason = forms.CharField(label=_("Обстоятельства"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, school_users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if school_users is not None:
            self.fields["user"].queryset = school_users
