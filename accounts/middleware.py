import functools
import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from . import activity
from .audit import current_ip
from .lockout import client_ip
from .roles import TWO_FACTOR_ROLES
from .scopes import assigned_roles


class ActivityMiddleware:
    """Request-scoped bookkeeping: the client IP for the audit trail (the address the
    lockout sees too: accounts.lockout.client_ip, through a trusted proxy's header where
    configured), and the user's
    daily activity row (one upsert per request, never a row per request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            response = self.get_response(request)
            # Counted once the request is through: one the gate turned away for an idle
            # session ends anonymous and is nobody's activity.
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and not is_asset(request.path):
                activity.count_request(user, diary_view=activity.is_diary_view(request))
            return response
        finally:
            current_ip.reset(token)


# Pages open in every state of the gates (assets are open too, see is_asset).
ALWAYS_OPEN_NAMES = ("logout", "set_language")
# The gates, in the order a user passes them; while one holds, only its own page opens.
# The code comes first for whoever has an authenticator: the password alone must not
# let anyone change the password and lock the owner out (issue 18, F3).
VERIFY_STEP = "accounts:otp_verify"
PASSWORD_STEP = "accounts:password_change"
SETUP_STEP = "accounts:otp_setup"
IDLE_KEY = "_ej_last_seen"
NO_2FA_KEY = "_ej_2fa_checked"
# Do not rewrite the session on every request: a minute of precision is enough.
IDLE_WRITE_EVERY = 60

# Requests a page makes for itself: no activity of their own, open behind the gates.
ASSET_NAMES = ("javascript-catalog",)


@functools.cache
def _asset_paths() -> frozenset:
    return frozenset(reverse(n) for n in ASSET_NAMES)


def is_asset(path: str) -> bool:
    """A static file or the JavaScript catalogue: part of a page, not a page."""
    return path.startswith(settings.STATIC_URL) or path in _asset_paths()


def requires_second_factor(user) -> bool:
    """Mandatory for the administrator, director and deputy where the school says so."""
    school = user.school
    return bool(school and school.require_staff_2fa and assigned_roles(user) & TWO_FACTOR_ROLES)


def has_confirmed_device(user) -> bool:
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True))


def is_background(request) -> bool:
    """A request the page sends by itself (htmx, fetch): it cannot follow a login redirect."""
    return request.headers.get("HX-Request") == "true" or request.headers.get("X-Requested-With") == "fetch"


def session_ended(request):
    """401 instead of the login page: the page keeps what was typed and asks to sign in again."""
    response = HttpResponse(
        gettext("Сеанс завершён: войдите снова, введённое не потеряется."),
        status=401,
        content_type="text/plain; charset=utf-8",
    )
    response["X-Login-Url"] = reverse(settings.LOGIN_URL)
    return response


def _to_login(response) -> bool:
    login = reverse(settings.LOGIN_URL)
    return response.status_code in (301, 302) and response.get("Location", "").split("?")[0] == login


class AccountGateMiddleware:
    """Session idle timeout, then the gates of a signed-in user, one at a time: the
    code of the second factor (TOTP) for users with a confirmed authenticator, the
    forced password change after one-time credentials, and setting up a second factor
    where the school requires one. While a gate holds, only its own page (and logout,
    the language switch, the assets) opens; every other page sends to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    @functools.cached_property
    def _always_open_paths(self):
        return frozenset(reverse(n) for n in ALWAYS_OPEN_NAMES)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            response = self.get_response(request)
            # login_required answers an expired session with the login page: a background
            # request would draw it into a journal cell.
            if is_background(request) and _to_login(response):
                return session_ended(request)
            return response

        now = int(time.time())
        last = request.session.get(IDLE_KEY)
        if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
            logout(request)
            if is_background(request):
                return session_ended(request)
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        if last is None or now - last >= IDLE_WRITE_EVERY:
            request.session[IDLE_KEY] = now

        if request.path in self._always_open_paths or is_asset(request.path):
            return self.get_response(request)
        step = pending_step(request, user)
        if step is None or request.path == reverse(step):
            return self.get_response(request)
        if step == VERIFY_STEP:
            return redirect(f"{reverse(step)}?next={request.path}")
        return redirect(step)


def pending_step(request, user) -> str | None:
    """The URL name of the gate holding `user` now, or None when every gate is passed."""
    # The second factor is checked once per session (no device, none required), and again
    # once the school makes it mandatory: the session stores the requirement its check
    # saw, so a director already logged in is caught.
    required = False
    if not user.is_verified():
        school_requires = bool(user.school and user.school.require_staff_2fa)
        checked = request.session.get(NO_2FA_KEY)
        if checked is None or (school_requires and not checked):
            if has_confirmed_device(user):
                return VERIFY_STEP
            required = requires_second_factor(user)
            if not required:
                request.session[NO_2FA_KEY] = school_requires
    if user.must_change_password:
        return PASSWORD_STEP
    if required:
        return SETUP_STEP
    return None
