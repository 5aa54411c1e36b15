from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from ejournal import params

from .lockout import login_wait_seconds
from .models import COMPROMISE_REASON_MAX, RoleAssignment, User


class LoginForm(AuthenticationForm):
    """The login form with the soft limit per login (accounts/lockout.py): a login many
    addresses keep guessing waits a few seconds between tries instead of locking."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if len(username) > User._meta.get_field("username").max_length or "\x00" in username:
            # No account has such a login: refused before authenticate(), so the lockout's
            # records (axes: 255 characters) never see it (issue 18, a 500 before).
            raise self.get_invalid_login_error()
        wait = login_wait_seconds(username)
        if wait:
            raise forms.ValidationError(
                _("Слишком много неудачных попыток входа с этим логином. Повторите через %(n)d с.") % {"n": wait},
                code="throttled",
            )
        return super().clean()


class OwnPasswordChangeForm(PasswordChangeForm):
    """Own password change. The current password is checked through `authenticate`, so
    django-axes counts a wrong one like a failed login and locks the form as it locks the
    login (issue 18, F16); the new password must pass the validators and differ from the
    current one, which after one-time credentials is the slip's (F4)."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_unchanged": _("Новый пароль должен отличаться от текущего (и от пароля с бланка)."),
    }

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        found = authenticate(self.request, username=self.user.get_username(), password=old)
        if found is None or found.pk != self.user.pk:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old

    def clean(self):
        cleaned = super().clean()
        new, old = cleaned.get("new_password2"), cleaned.get("old_password")
        if new and old and new == old and "new_password2" not in self.errors:
            self.add_error("new_password2", forms.ValidationError(self.error_messages["password_unchanged"]))
        return cleaned


class CardForm(forms.Form):
    last_name = forms.CharField(label=_("Фамилия"), max_length=150)
    first_name = forms.CharField(label=_("Имя"), max_length=150)
    patronymic = forms.CharField(label=_("Отчество"), max_length=150, required=False)
    birth_date = params.DateField(
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
    given_on = params.DateField(label=_("Дата согласия"), widget=forms.DateInput(attrs={"type": "date"}))


class OTPTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Код из приложения"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Введите шесть цифр из приложения-аутентификатора.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CompromiseForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Учётная запись"), queryset=User.objects.none())
    learned_at = params.DateTimeField(
        label=_("Когда школе стало известно о нарушении"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
    )
    reason = forms.CharField(
        label=_("Обстоятельства"), widget=forms.Textarea(attrs={"rows": 3}), max_length=COMPROMISE_REASON_MAX
    )

    def __init__(self, *args, school_users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if school_users is not None:
            self.fields["user"].queryset = school_users
