import base64
import io

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from ejournal import params
from ejournal.downloads import file_response

from . import pdf, scopes, services
from .access import (
    get_compromise_for_user,
    get_credential_issue_for_user,
    get_managed_people_for_user,
    get_person_for_user,
    people_readable,
)
from .cards import card_form
from .compromise import CompromiseError, record_compromise
from .forms import CompromiseForm, ConsentForm, OTPTokenForm, OwnPasswordChangeForm, StaffForm
from .middleware import requires_second_factor
from .models import Compromise, CredentialIssue, Guardianship, RoleAssignment, User
from .scopes import is_school_admin


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    return file_response(data, filename, inline=True, private=True)  # a slip carries a password


def _safe_next(request, default="home"):
    """A path of this site to go back to; anything else (another host, a bare word that
    `redirect` would take for a view name, a NUL) goes to `default`."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if (
        nxt.startswith("/")
        and "\x00" not in nxt
        and url_has_allowed_host_and_scheme(nxt, {request.get_host()}, require_https=request.is_secure())
    ):
        return nxt
    return reverse(default)


# --- own account -----------------------------------------------------------------------


@require_POST
@login_required
def session_ping(request):
    """A journal page that is being worked on keeps its session: the gate counts this
    request as activity (accounts.middleware.AccountGateMiddleware). 204, no body."""
    return HttpResponse(status=204)


@login_required
def session_resumed(request):
    """Where the re-login tab lands: it tells the journal tab to send what waits there."""
    return render(request, "accounts/session_resumed.html")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")
    form_class = OwnPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        if getattr(self.request, "axes_locked_out", False):
            # Too many wrong current passwords: this session ends, and AxesMiddleware
            # answers with the lockout page.
            logout(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        try:
            services.change_password(form.user, form.cleaned_data["new_password1"])
        except services.AccountError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        # The new password changed the session hash: keep this session, end the others.
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Пароль изменён."))
        return HttpResponseRedirect(self.get_success_url())


@require_POST
@login_required
def logout_everywhere(request):
    services.logout_everywhere(request.user)
    logout(request)
    messages.info(request, _("Вы вышли на всех устройствах."))
    return redirect("login")


def _qr_data_uri(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


@login_required
def otp_setup(request):
    """Connect an authenticator app: scan the QR code, confirm with a code."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None and confirmed is None:
        device = TOTPDevice.objects.create(user=user, name=_("Приложение-аутентификатор"), confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        confirmed_device = services.confirm_second_factor(user, device, form.cleaned_data["token"])
        if confirmed_device is not None:
            otp_login(request, confirmed_device)
            messages.success(request, _("Двухфакторная аутентификация включена."))
            return redirect("home")
        form.add_error("token", _("Код не подошёл. Проверьте время на телефоне и введите новый код."))
    ctx = {
        "form": form,
        "device": device,
        "confirmed": confirmed,
        "required": requires_second_factor(user),
        "qr": _qr_data_uri(device.config_url) if device is not None and confirmed is None else None,
    }
    return render(request, "accounts/otp_setup.html", ctx)


@login_required
def otp_verify(request):
    """The second step of the login for users with a confirmed device."""
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("Неверный код."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
@login_required
def otp_disable(request):
    try:
        disabled = services.disable_second_factor(request.user)
    except services.NotAllowed:
        raise PermissionDenied from None
    if disabled:
        messages.info(request, _("Двухфакторная аутентификация отключена."))
    return redirect("accounts:otp_setup")


# --- people ----------------------------------------------------------------------------


PEOPLE_PER_PAGE = 50
# The people list's role filter: the assigned roles and the derived ones accounts can see.
PARENT_FILTER, PUPIL_FILTER = "parents", "pupils"


def _role_filters():
    return [*RoleAssignment.Role.choices, (PARENT_FILTER, _("родители")), (PUPIL_FILTER, _("ученики"))]


@login_required
def people(request):
    """The school's people, a page at a time, with search and filters by role and class (issue 15)."""
    qs = people_readable(request.user)
    if not (qs.exists() or is_school_admin(request.user)):
        raise PermissionDenied
    q, problem = params.search_text(request.GET.get("q"))
    if problem:
        messages.error(request, problem)
    role = request.GET.get("role", "")
    klass = params.parse_id(request.GET.get("klass"))
    for word in q.split()[:3]:
        qs = qs.filter(
            Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
            | Q(patronymic__icontains=word)
            | Q(username__icontains=word)
        )
    if role == PARENT_FILTER:
        qs = qs.filter(Exists(Guardianship.objects.filter(parent=OuterRef("pk"))))
    elif role == PUPIL_FILTER:
        qs = qs.filter(Exists(Guardianship.objects.filter(child=OuterRef("pk"))) | Q(enrollments__isnull=False))
    elif role in RoleAssignment.Role.values:
        qs = qs.filter(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role=role)))
    else:
        role = ""
    class_options = scopes.class_filter_options(request.user)
    if klass in {pk for pk, _label in class_options}:
        qs = qs.filter(scopes.class_members_q(request.user, klass))
        klass = str(klass)  # as the template's options
    else:
        klass = ""
    page = Paginator(qs.distinct().order_by("last_name", "first_name", "pk"), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = urlencode({k: v for k, v in (("q", q), ("role", role), ("klass", klass)) if v})
    return render(
        request,
        "accounts/people.html",
        {
            "people": page.object_list,
            "page": page,
            "query": query,
            "q": q,
            "role": role,
            "klass": klass,
            "role_choices": _role_filters(),
            "classes": [(str(pk), label) for pk, label in class_options],
            "is_admin": is_school_admin(request.user),
        },
    )


@login_required
def staff_new(request):
    if not is_school_admin(request.user):
        raise PermissionDenied
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        roles = data.pop("roles")
        try:
            person = services.create_staff(request.user, roles=roles, **data)
        except services.AccountError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Учётная запись создана, логин: %(login)s.") % {"login": person.username})
            return redirect("accounts:person", pk=person.pk)
    return render(request, "accounts/staff_new.html", {"form": form})


@login_required
def person(request, pk):
    person, can_write = get_person_for_user(request.user, pk)
    form, saved = card_form(request, person, can_write, saved_url=reverse("accounts:person", args=[person.pk]))
    if saved:
        return saved
    ctx = {
        "person": person,
        "can_write": can_write,
        "form": form,
        "consent_form": ConsentForm(),
        "issues": CredentialIssue.objects.filter(user=person).select_related("issued_by")[:20],
        "consents": person.pd_consents.select_related("recorded_by"),
        "children": [g.child for g in person.children_links.select_related("child")],
        "parents": [g.parent for g in person.parent_links.select_related("parent")],
        "roles": [r.get_role_display() for r in RoleAssignment.objects.filter(user=person)],
        "is_admin": is_school_admin(request.user),
    }
    return render(request, "accounts/person.html", ctx)


@require_POST
@login_required
def issue_slips(request):
    """Issue new one-time passwords to the selected people and print their slips as one PDF."""
    ids = params.parse_ids(request.POST.getlist("ids"))
    chosen = get_managed_people_for_user(request.user, ids)
    try:
        issued = services.issue_credentials(request.user, chosen)
    except services.AccountError as exc:
        messages.error(request, exc.message)
        return redirect(_safe_next(request, "accounts:people"))
    data = pdf.credential_slips(issued, request.user.school)
    name = "rekvizity.pdf" if len(issued) > 1 else f"rekvizity-{issued[0].username}.pdf"
    return _pdf_response(data, name)


@require_POST
@login_required
def consent_add(request, pk):
    person, can_write = get_person_for_user(request.user, pk)
    if not can_write:
        raise PermissionDenied
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.record_consent(request.user, person, **form.cleaned_data)
        except services.AccountError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Согласие записано."))
    else:
        messages.error(request, _("Укажите, кто дал согласие, и дату."))
    return redirect(
        _safe_next(request, "accounts:people")
        if request.POST.get("next")
        else reverse("accounts:person", args=[person.pk])
    )


@require_POST
@login_required
def credential_signed(request, pk):
    issue, _w = get_credential_issue_for_user(request.user, pk)
    services.mark_signed(request.user, issue)
    messages.success(request, _("Расписка отмечена как полученная."))
    return redirect(_safe_next(request, "accounts:people"))


@login_required
def set_active(request, pk):
    """GET: what locking (or unlocking) the account means, with the button; POST: do it."""
    person, _w = get_person_for_user(request.user, pk)
    if not is_school_admin(request.user):
        raise PermissionDenied
    if request.method == "POST":
        active = request.POST.get("active") == "1"
        try:
            reason = params.parse_text(request.POST.get("reason"), max_length=500, field=_("Причина"))
        except params.BadValue as exc:
            messages.error(request, exc.message)
            return render(request, "accounts/confirm_active.html", {"person": person}, status=400)
        services.set_active(request.user, person, active, reason=reason)
        messages.success(request, _("Учётная запись разблокирована.") if active else _("Учётная запись заблокирована."))
        return redirect("accounts:person", pk=person.pk)
    return render(request, "accounts/confirm_active.html", {"person": person})


@login_required
def issue_confirm(request):
    """What re-issuing credentials does to the chosen people, before the button that does it."""
    ids = params.parse_ids(request.GET.getlist("ids"))
    if not ids:
        messages.error(request, _("Отметьте людей, которым выдать реквизиты."))
        return redirect(_safe_next(request, "accounts:people"))
    chosen = get_managed_people_for_user(request.user, ids)
    return render(
        request,
        "accounts/confirm_issue.html",
        {
            "chosen": chosen,
            "had_password": [p for p in chosen if p.has_usable_password()],
            "locked": [p for p in chosen if not p.is_active],
            "next": _safe_next(request, "accounts:people"),
        },
    )


# --- compromise ------------------------------------------------------------------------


@login_required
def compromises(request):
    if not is_school_admin(request.user):
        raise PermissionDenied
    school_users = User.objects.filter(school_id=request.user.school_id).exclude(pk=request.user.pk)
    form = CompromiseForm(request.POST or None, school_users=school_users)
    if request.method == "POST" and form.is_valid():
        try:
            comp = record_compromise(
                request.user,
                form.cleaned_data["user"],
                learned_at=form.cleaned_data["learned_at"],
                reason=form.cleaned_data["reason"],
            )
        except CompromiseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Учётная запись заблокирована, операции аннулированы."))
            return redirect("accounts:compromise", pk=comp.pk)
    items = Compromise.objects.filter(school_id=request.user.school_id).select_related("user", "recorded_by")
    return render(request, "accounts/compromises.html", {"form": form, "items": items})


def _voided(comp):
    return comp.voided.select_related("event", "reversal").order_by("event__created_at", "event_id")


@login_required
def compromise(request, pk):
    comp, _w = get_compromise_for_user(request.user, pk)
    return render(request, "accounts/compromise.html", {"c": comp, "voided": _voided(comp)})


@login_required
def compromise_pdf(request, pk):
    comp, _w = get_compromise_for_user(request.user, pk)
    return _pdf_response(pdf.voided_list(comp, list(_voided(comp))), f"annulirovanie-{comp.pk}.pdf")
