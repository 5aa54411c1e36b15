"""The personal card form, shared by the administrator's person page and the class
teacher's pupil card: opening either is logged (152-ФЗ, docs/DESIGN.md §1.1)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import services
from .forms import CardForm


def card_form(request, person, can_write, *, saved_url):
    """Log the view, and on a valid POST save the card.

    Returns ``(form, response)``: ``response`` is the redirect to ``saved_url`` after a
    save, else ``None`` and the form (bound, with its errors, after a failed POST)."""
    services.log_card_view(request.user, person)
    form = CardForm(request.POST or None, initial=services.card_state(person))
    if request.method != "POST":
        return form, None
    if not can_write:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.update_card(request.user, person, **form.cleaned_data)
        except services.AccountError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Карточка сохранена."))
            return form, redirect(saved_url)
    return form, None
