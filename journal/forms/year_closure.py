"""Forms of closing and reopening the school year (docs/DESIGN.md §3.25)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.limits import REASON_MAX


class YearCloseForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Причина закрытия без исправления"),
        help_text=_("Нужна, только если проверка нашла незавершённое; не короче 10 символов."),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class YearReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина переоткрытия"),
        help_text=_("Не короче 10 символов: например, номер и дата приказа."),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
