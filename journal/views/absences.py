from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access
from ..forms import AbsenceReasonForm
from ..models import Attendance
from ..services import absences
from ..services.errors import ServiceError


@login_required
def absence_reasons(request, pk):
    """The class teacher's list of absences without a reason; overdue ones highlighted."""
    klass, can_write = access.get_class_for_user(request.user, pk)
    if not (can_write or access.reads_whole_school(request.user)):
        raise Http404
    form = None
    if request.method == "POST":
        if not can_write:
            raise Http404
        form = AbsenceReasonForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            scope = {}
            if d["scope"] == "one":
                scope["attendance_ids"] = [d["attendance"]] if d["attendance"] else []
            elif d["scope"] == "day":
                att = (
                    Attendance.objects.filter(pk=d["attendance"], pupil_id=d["pupil"]).select_related("lesson").first()
                )
                day = att.lesson.date if att else d["date_from"]
                scope.update(date_from=day, date_to=day)
            else:
                scope.update(date_from=d["date_from"], date_to=d["date_to"])
            if not scope.get("attendance_ids") and not scope.get("date_from"):
                form.add_error(None, _("Укажите даты пропусков."))
            else:
                try:
                    n = absences.set_reason(
                        request.user,
                        school_class_id=klass.pk,
                        pupil_id=d["pupil"],
                        code=d["code"],
                        document=d["document"],
                        **scope,
                    )
                except ServiceError as e:
                    form.add_error(None, e.message)
                else:
                    messages.success(request, _("Причина указана для пропусков: %(count)s.") % {"count": n})
                    return redirect("journal:absence_reasons", pk=klass.pk)
    rows = absences.absences_without_reason(klass)
    ctx = {
        "klass": klass,
        "can_write": can_write,
        "rows": rows,
        "form": form,
        "overdue": sum(1 for r in rows if r.overdue),
        "days": klass.year.school.absence_reason_days,
        "today": timezone.localdate(),
        "codes": AbsenceReasonForm.base_fields["code"].choices,
    }
    return render(request, "journal/records/absence_reasons.html", ctx)
