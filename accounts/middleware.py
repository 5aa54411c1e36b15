import functools
import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import activity
from .audit import current_ip
from .roles import TWO_FACTOR_ROLES
from .scopes import assigned_roles


class ActivityMiddleware:
    """Request-scoped bookkeeping: the client IP for the audit trail, and the user's
    daily activity row (one upsert per request, never a row per request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            response = self.get_response(request)
            # Counted once the request is through: one the gate turned away for an idle
            # session ends anonymous and is nobody's activity.
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and not is_asset(request.path):
                activity.count_request(user)
            return response
        finally:
            current_ip.reset(token)


# Pages a user may open while a gate (password change, second factor) holds them.
GATE_OPEN_NAMES = ("logout", "set_language", "accounts:password_change", "accounts:otp_setup", "accounts:otp_verify")
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


class AccountGateMiddleware:
    """Session idle timeout, the forced password change after one-time credentials,
    and the second factor (TOTP) for users who have one or must have one."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def _open(self, path):
        if self._open_paths is None:
            self._open_paths = {reverse(n) for n in GATE_OPEN_NAMES}
        return path in self._open_paths or is_asset(path)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)

        now = int(time.time())
        last = request.session.get(IDLE_KEY)
        if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
            logout(request)
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        if last is None or now - last >= IDLE_WRITE_EVERY:
            request.session[IDLE_KEY] = now

        if not self._open(request.path):
            if user.must_change_password:
                return redirect("accounts:password_change")
            # Checked once per session (no device, none required), and again once the
            # school makes the second factor mandatory: the session stores the
            # requirement its check saw, and a director already logged in is caught.
            school_requires = bool(user.school and user.school.require_staff_2fa)
            checked = request.session.get(NO_2FA_KEY)
            if not user.is_verified() and (checked is None or (school_requires and not checked)):
                if has_confirmed_device(user):
                    return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
                if requires_second_factor(user):
                    return redirect("accounts:otp_setup")
                request.session[NO_2FA_KEY] = school_requires
        return self.get_response(request)
