from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.downloads import file_response, in_print_language

from .. import access
from ..forms import BlankForm, OutageCloseForm, OutageForm, TempImportForm
from ..models import TempJournalImport
from ..printing import pdf_response, render_pdf
from ..services import temp_journal
from ..services.errors import ServiceError
from .common import parse_day, staff_required

SESSION_KEY = "temp_import_{}"


@staff_required(access.can_read_outages)
def outage_list(request):
    can_manage = access.can_manage_outages(request.user)
    form = OutageForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                outage = temp_journal.create_outage(request.user, **form.cleaned_data)
            except ServiceError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("Сбой записан."))
                return redirect("journal:outage", pk=outage.pk)
    classes = access.classes_readable(request.user).filter(year=access.current_year(request.user.school))
    return render(
        request,
        "journal/records/outages.html",
        {
            "outages": access.outages_readable(request.user).prefetch_related("imports")[:100],
            "form": form,
            "can_manage": can_manage,
            "blank_form": BlankForm(request.GET or None, classes=classes),
        },
    )


@login_required
def outage_detail(request, pk):
    outage, can_manage = access.get_outage_for_user(request.user, pk)
    year = access.current_year(request.user.school, timezone.localtime(outage.start).date())
    imports = TempJournalImport.objects.filter(outage=outage).select_related("school_class", "imported_by")
    classes = access.classes_readable(request.user).filter(year=year)
    return render(
        request,
        "journal/records/outage.html",
        {
            "outage": outage,
            "can_manage": can_manage,
            "due": temp_journal.transfer_due_date(outage, year),
            "imports": imports,
            "close_form": OutageCloseForm(),
            "import_form": TempImportForm(classes=classes),
            "blank_form": BlankForm(classes=classes),
        },
    )


@require_POST
@login_required
def outage_close(request, pk):
    outage, can_manage = access.get_outage_for_user(request.user, pk)
    if not can_manage:
        raise Http404
    form = OutageCloseForm(request.POST)
    if form.is_valid():
        try:
            temp_journal.close_outage(request.user, outage_id=outage.pk, end=form.cleaned_data["end"])
            messages.success(request, _("Окончание сбоя записано."))
        except ServiceError as e:
            messages.error(request, e.message)
    else:
        messages.error(request, _("Укажите дату и время окончания сбоя."))
    return redirect("journal:outage", pk=outage.pk)


def _blank_class(request, pk, day):
    klass, _writable = access.get_class_for_user(request.user, pk)
    return klass, parse_day(day)


@login_required
def day_blank_pdf(request, pk, day):
    """Printable blank of the temporary journal for a class's day."""
    klass, day = _blank_class(request, pk, day)
    ctx = {"klass": klass, "day": day, "lessons": temp_journal.blank_rows(klass, day), "school": klass.year.school}
    pdf = render_pdf("journal/records/day_blank_pdf.html", ctx, request)
    return pdf_response(pdf, f"vremennyi-zhurnal-{klass.grade}-{day:%Y-%m-%d}.pdf")


@login_required
def day_blank_xlsx(request, pk, day):
    """The same blank as a table to type the paper into, ready for the import."""
    klass, day = _blank_class(request, pk, day)
    with in_print_language():  # printed documents are in Russian (docs/DESIGN.md §4.5)
        content = temp_journal.blank_xlsx(klass, day)
    return file_response(content, f"vremennyi-zhurnal-{klass.pk}-{day:%Y-%m-%d}.xlsx")


@login_required
def temp_import(request, pk):
    """Upload the filled temporary journal → preview; nothing is written until confirmed."""
    outage, _writable = access.get_outage_for_user(request.user, pk)
    if not access.can_transfer_temp_journal(request.user):
        raise Http404
    classes = access.classes_readable(request.user)
    form = TempImportForm(request.POST or None, request.FILES or None, classes=classes)
    ctx = {"outage": outage, "form": form}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            parsed = temp_journal.parse_temp_file(
                request.user, d["file"], outage=outage, school_class=d["school_class"], paper_date=d["paper_date"]
            )
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            request.session[SESSION_KEY.format(outage.pk)] = {
                "class": d["school_class"].pk,
                "paper_date": d["paper_date"].isoformat(),
                "entries": parsed.as_session(),
                "ok": not parsed.errors,
                "file": d["file"].name,
            }
            year = d["school_class"].year
            due = temp_journal.transfer_due_date(outage, year)
            ctx.update(parsed=parsed, due=due, late=due is not None and timezone.localdate() > due)
    return render(request, "journal/records/temp_import.html", ctx)


@require_POST
@login_required
def temp_import_confirm(request, pk):
    from datetime import date

    outage, _writable = access.get_outage_for_user(request.user, pk)
    if not access.can_transfer_temp_journal(request.user):
        raise Http404
    pending = request.session.get(SESSION_KEY.format(outage.pk))
    if not pending or not pending["ok"]:
        messages.error(request, _("Загрузите файл заново: в нём были ошибки или предпросмотр устарел."))
        return redirect("journal:temp_import", pk=outage.pk)
    klass, _writable = access.get_class_for_user(request.user, pending["class"])
    try:
        imp = temp_journal.apply_import(
            request.user,
            outage_id=outage.pk,
            school_class_id=klass.pk,
            paper_date=date.fromisoformat(pending["paper_date"]),
            entries=pending["entries"],
            file_name=pending["file"],
        )
    except ServiceError as e:
        messages.error(request, _("Ничего не перенесено: %(error)s") % {"error": e.message})
        return redirect("journal:temp_import", pk=outage.pk)
    del request.session[SESSION_KEY.format(outage.pk)]
    text = _("Перенесено записей: %(count)s.") % {"count": imp.entries}
    if imp.is_late:
        text += " " + _("Перенос выполнен позже установленного срока — отмечен как просроченный.")
    messages.success(request, text)
    return redirect("journal:outage", pk=outage.pk)
