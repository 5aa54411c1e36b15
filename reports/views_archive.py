"""The archive page (docs/ARCHIVE.md): items with their term and last check, the signature
(who, when) and its verification on request; building the archive; the certificate."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ejournal import params
from journal import roles as R
from journal.access import current_year

from . import access_archive as A
from . import archive, signing
from .models_archive import ArchiveRun, SchoolCertificate

MAX_CERTIFICATE_BYTES = 256 * 1024  # a PKCS#12 file is a few KB (docs/DESIGN.md §3.24)


class CertificateForm(forms.Form):
    file = forms.FileField(label=_("Файл сертификата (PKCS#12, .p12 или .pfx)"))
    password = forms.CharField(label=_("Пароль"), widget=forms.PasswordInput, strip=False, max_length=200)

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_CERTIFICATE_BYTES:
            raise forms.ValidationError(_("Файл сертификата больше 256 КБ: это не файл PKCS#12."))
        return file


class SignForm(forms.Form):
    password = forms.CharField(label=_("Пароль сертификата"), widget=forms.PasswordInput, strip=False)


@login_required
def index(request):
    items = A.items_readable(request.user).select_related("school_class", "period", "signed_by")
    roles = R.user_roles(request.user)
    year = current_year(request.user.school)
    return render(
        request,
        "reports/archive/index.html",
        {
            "items": items[:500],
            "runs": ArchiveRun.objects.filter(school_id=request.user.school_id)[:10],
            "periods": year.periods.order_by("scheme", "number") if year else [],
            "can_build": bool(roles & A.BUILDERS),
            "can_sign": bool(roles & A.SIGNERS),
            "certificate": SchoolCertificate.objects.filter(school_id=request.user.school_id).first(),
            "sign_form": SignForm(),
        },
    )


@login_required
@require_POST
def build(request):
    A.check(request.user, A.BUILDERS)
    year = current_year(request.user.school)
    period = year.periods.filter(pk=params.parse_id(request.POST.get("period"), 0)).first() if year else None
    if period is None:
        raise Http404
    archive.start(request.user.school, period, request.user)
    messages.success(request, _("Формирование архива поставлено в очередь."))
    return redirect("archive:index")


@login_required
def certificate(request):
    A.check(request.user, A.BUILDERS)
    form = CertificateForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                signing.save_certificate(
                    request.user.school, form.cleaned_data["file"].read(), form.cleaned_data["password"], request.user
                )
            except signing.SigningError as exc:
                form.add_error("password", str(exc))
            else:
                messages.success(request, _("Сертификат подписи загружен."))
                return redirect("archive:index")
        status = 400
    current = SchoolCertificate.objects.filter(school_id=request.user.school_id).first()
    return render(request, "reports/archive/certificate.html", {"form": form, "current": current}, status=status)


@login_required
@require_POST
def sign(request, pk):
    item = A.get_item_for_user(request.user, pk, A.SIGNERS)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            signing.sign_item(item, request.user, form.cleaned_data["password"])
        except signing.SigningError as exc:
            messages.error(request, str(exc))
            return redirect("archive:index")
        messages.success(request, _("Документ подписан."))
    return redirect("archive:index")


@login_required
@require_POST
def verify(request, pk):
    item = A.get_item_for_user(request.user, pk)
    damaged = archive.verify([item])
    result = None
    if item.signed_path:
        try:
            result = signing.validate_item(item)
        except signing.SigningError as exc:
            result = {"ok": False, "error": str(exc)}
    item.refresh_from_db()
    return render(request, "reports/archive/verify.html", {"item": item, "intact": not damaged, "signature": result})


@login_required
def download(request, pk):
    item = A.get_item_for_user(request.user, pk)
    relpath = item.signed_path if request.GET.get("signed") and item.signed_path else item.path
    try:
        f = open(archive.media()[0] / relpath, "rb")  # noqa: SIM115 — FileResponse closes it
    except OSError as exc:
        raise Http404 from exc
    return FileResponse(f, as_attachment=True, filename=relpath.rsplit("/", 1)[-1], content_type="application/pdf")
