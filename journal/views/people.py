"""Class teacher's people pages: the class list with parents and credentials, the pupil card."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.cards import card_form
from accounts.forms import ConsentForm
from accounts.models import CredentialIssue, Guardianship, User

from ..access import (
    can_see_class_personal_data,
    get_class_for_user,
    get_contingent_class_for_user,
    get_pupil_for_user,
    managed_people_q,
)
from ..models import Enrollment


@login_required
def class_people(request, pk):
    """Pupils of the class with their parents; the class teacher issues credentials here.
    Logins and credential dates only for the class teacher and the administration."""
    try:
        klass, can_write = get_class_for_user(request.user, pk)
        cards = True  # who reads the class reads its pupils' cards
    except Http404:
        # The secretary and the administrator keep the school's contingent (issue 15),
        # not the pupils' cards (docs/DESIGN.md §1.3): their names are not links.
        klass, can_write = get_contingent_class_for_user(request.user, pk)
        cards = False
    today = timezone.localdate()
    enrollments = (
        Enrollment.objects.on(today)
        .filter(school_class=klass)
        .select_related("pupil")
        .prefetch_related(
            Prefetch("pupil__parent_links", queryset=Guardianship.objects.select_related("parent"), to_attr="guardians")
        )
        .order_by("pupil__last_name", "pupil__first_name")
    )
    people_ids = []
    for e in enrollments:
        people_ids.append(e.pupil_id)
        people_ids += [g.parent_id for g in e.pupil.guardians]
    last_issue = {}
    # Credential dates are personal data (docs/DESIGN.md §1.3): not even loaded for a subject teacher.
    if can_see_class_personal_data(request.user, klass):
        for i in CredentialIssue.objects.filter(user_id__in=people_ids).order_by("issued_at"):
            last_issue[i.user_id] = i
    # Staff who are parents here keep their credentials with the administrator: no
    # checkbox or card link for them (the slip view would answer 404).
    managed = set()
    if can_write:
        managed = set(
            User.objects.filter(managed_people_q(request.user), pk__in=people_ids).values_list("pk", flat=True)
        )
    for e in enrollments:
        e.pupil.last_issue = last_issue.get(e.pupil_id)
        e.pupil.managed = e.pupil_id in managed
        for g in e.pupil.guardians:
            g.parent.last_issue = last_issue.get(g.parent_id)
            g.parent.managed = g.parent_id in managed
    return render(
        request,
        "journal/class_people.html",
        {"klass": klass, "can_write": can_write, "enrollments": enrollments, "cards": cards},
    )


@login_required
def pupil_card(request, pk):
    """The pupil's personal card; opening it is logged (152-ФЗ)."""
    pupil, can_write = get_pupil_for_user(request.user, pk)
    form, saved = card_form(request, pupil, can_write, saved_url=reverse("journal:pupil_card", args=[pupil.pk]))
    if saved:
        return saved
    ctx = {
        "pupil": pupil,
        "can_write": can_write,
        "form": form,
        "consent_form": ConsentForm(),
        "history": Enrollment.objects.filter(pupil=pupil).select_related("school_class__year").order_by("start"),
        "parents": [g.parent for g in Guardianship.objects.filter(child=pupil).select_related("parent")],
        "consents": pupil.pd_consents.select_related("recorded_by"),
    }
    return render(request, "journal/pupil_card.html", ctx)
