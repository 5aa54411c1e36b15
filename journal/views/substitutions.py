from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access
from ..forms import SubstitutionForm
from ..services import substitutions
from ..services.errors import ServiceError
from .common import staff_required


@staff_required(access.can_read_substitutions)
def substitution_log(request):
    """Журнал замещения уроков: who substitutes whom, which lessons, why, by whose order."""
    qs = access.substitutions_readable(request.user).select_related(
        "lesson__bell",
        "lesson__assignment__school_class",
        "lesson__assignment__group",
        "lesson__assignment__subject",
        "lesson__assignment__teacher",
        "substitute",
        "assigned_by",
        "revoked_by",
    )
    return render(
        request,
        "journal/records/substitutions.html",
        {
            "subs": qs.order_by("-lesson__date", "lesson__bell__number")[:500],
            "can_assign": access.can_assign_substitutes(request.user),
        },
    )


@staff_required(access.can_assign_substitutes)
def substitution_new(request):
    school = request.user.school
    form = SubstitutionForm(request.POST or None, school=school, substitutes=substitutions.eligible_substitutes(school))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = substitutions.assign(
                request.user,
                assignment_id=d["assignment"].pk,
                substitute_id=d["substitute"].pk,
                date_from=d["date_from"],
                date_to=d["date_to"],
                reason=d["reason"],
            )
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Замена назначена: уроков — %(count)s.") % {"count": len(created)})
            return redirect("journal:substitutions")
    return render(request, "journal/records/substitution_new.html", {"form": form})


@require_POST
@login_required
def substitution_revoke(request, pk):
    sub, can_revoke = access.get_substitution_for_user(request.user, pk)
    if not can_revoke:
        raise Http404
    try:
        substitutions.revoke(
            request.user, substitution_id=sub.pk, reason=request.POST.get("reason", "")
        )  # checked there
        messages.success(request, _("Замена отменена."))
    except ServiceError as e:
        messages.error(request, e.message)
    return redirect("journal:substitutions")
