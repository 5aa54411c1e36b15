from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import access
from ..forms import PlanItemForm, UploadForm
from ..models import PlanItem, ThematicPlan
from ..services import plans
from ..services.errors import ServiceError
from ..services.plan_import import parse_plan_file

SESSION_KEY = "ktp_import_{}"


def _item_for_user(user, pk):
    """(item, assignment, can_write) through the journal's access helper."""
    item = PlanItem.objects.select_related("plan").filter(pk=pk).first()
    if item is None:
        raise Http404
    assignment, can_write = access.get_plan_assignment_for_user(user, item.plan.assignment_id)
    return item, assignment, can_write


@login_required
def plan(request, pk):
    assignment, can_write = access.get_plan_assignment_for_user(request.user, pk)
    school = assignment.school_class.year.school
    form = PlanItemForm(school=school)
    if request.method == "POST":
        if not can_write:
            raise Http404
        form = PlanItemForm(request.POST, school=school)
        if form.is_valid():
            try:
                plans.add_item(request.user, assignment_id=assignment.pk, **form.cleaned_data)
                messages.success(request, _("Тема добавлена."))
                return redirect("journal:plan", pk=assignment.pk)
            except ServiceError as e:
                form.add_error(None, e.message)
    plan_obj = ThematicPlan.objects.filter(assignment=assignment).first()
    items = list(plan_obj.items.select_related("work_type")) if plan_obj else []
    ctx = {
        "assignment": assignment,
        "can_write": can_write,
        "items": items,
        "form": form,
        "check": plans.hours_check(assignment, sum(i.hours for i in items)),
        "work_types": form.fields["work_type"].queryset,
    }
    return render(request, "journal/records/plan.html", ctx)


@require_POST
@login_required
def plan_item_edit(request, pk):
    item, assignment, can_write = _item_for_user(request.user, pk)
    if not can_write:
        raise Http404
    form = PlanItemForm(request.POST, school=assignment.school_class.year.school)
    if form.is_valid():
        try:
            plans.update_item(request.user, item_id=item.pk, **form.cleaned_data)
            messages.success(request, _("Тема сохранена."))
        except ServiceError as e:
            messages.error(request, _("Строка %(row)s: %(error)s") % {"row": item.position, "error": e.message})
    else:
        errors = "; ".join(f"{form.fields[f].label}: {' '.join(v)}" for f, v in form.errors.items() if f in form.fields)
        messages.error(
            request, _("Строка %(row)s: %(error)s") % {"row": item.position, "error": errors or _("проверьте значения")}
        )
    return redirect("journal:plan", pk=assignment.pk)


@require_POST
@login_required
def plan_item_move(request, pk):
    item, assignment, can_write = _item_for_user(request.user, pk)
    if not can_write:
        raise Http404
    try:
        plans.move_item(request.user, item_id=item.pk, delta=-1 if request.POST.get("dir") == "up" else 1)
    except ServiceError as e:
        messages.error(request, _("Строка %(row)s: %(error)s") % {"row": item.position, "error": e.message})
    return redirect("journal:plan", pk=assignment.pk)


@require_POST
@login_required
def plan_item_delete(request, pk):
    item, assignment, can_write = _item_for_user(request.user, pk)
    if not can_write:
        raise Http404
    try:
        plans.delete_item(request.user, item_id=item.pk)
    except ServiceError as e:
        messages.error(request, _("Строка %(row)s: %(error)s") % {"row": item.position, "error": e.message})
    else:
        messages.success(request, _("Тема удалена."))
    return redirect("journal:plan", pk=assignment.pk)


@login_required
def plan_import(request, pk):
    """Upload → preview (nothing saved); the preview's button posts to plan_import_confirm."""
    assignment, can_write = access.get_plan_assignment_for_user(request.user, pk)
    if not can_write:
        raise Http404
    form = UploadForm()
    ctx = {"assignment": assignment, "form": form}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        ctx["form"] = form
        if form.is_valid():
            try:
                parsed = parse_plan_file(form.cleaned_data["file"], assignment.school_class.year.school)
            except ServiceError as e:
                form.add_error("file", e.message)
            else:
                request.session[SESSION_KEY.format(assignment.pk)] = {
                    "rows": [r.as_dict() for r in parsed.rows],
                    "ok": not parsed.errors,
                    "file": form.cleaned_data["file"].name,
                }
                ctx.update(parsed=parsed, check=plans.hours_check(assignment, parsed.total_hours))
    return render(request, "journal/records/plan_import.html", ctx)


@require_POST
@login_required
def plan_import_confirm(request, pk):
    assignment, can_write = access.get_plan_assignment_for_user(request.user, pk)
    if not can_write:
        raise Http404
    pending = request.session.get(SESSION_KEY.format(assignment.pk))
    if not pending or not pending["ok"]:
        messages.error(request, _("Загрузите файл заново: в нём были ошибки или предпросмотр устарел."))
        return redirect("journal:plan_import", pk=assignment.pk)
    try:
        plans.replace_plan(request.user, assignment_id=assignment.pk, rows=pending["rows"], source=pending["file"])
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("journal:plan_import", pk=assignment.pk)
    del request.session[SESSION_KEY.format(assignment.pk)]
    count = len(pending["rows"])
    # Russian keeps one form here ("тем"); ngettext gives English its singular.
    messages.success(
        request, ngettext("КТП загружено: %(count)s тем.", "КТП загружено: %(count)s тем.", count) % {"count": count}
    )
    return redirect("journal:plan", pk=assignment.pk)


@require_POST
@login_required
def plan_fill(request, pk):
    assignment, can_write = access.get_plan_assignment_for_user(request.user, pk)
    if not can_write:
        raise Http404
    try:
        result = plans.fill_topics_from_plan(request.user, assignment_id=assignment.pk)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        text = _("Темы из КТП внесены в уроки: %(count)s.") % {"count": len(result.filled)}
        if result.skipped_locked:
            text += " " + _("Закрытые уроки без темы пропущены: %(count)s.") % {"count": result.skipped_locked}
        if result.lessons_without_topic:
            text += " " + _("Уроков больше, чем часов в КТП: %(count)s без темы.") % {
                "count": result.lessons_without_topic
            }
        messages.success(request, text)
    return redirect("journal:plan", pk=assignment.pk)
