"""Who is trying to log in, and how fast they may try again.

- `client_ip(request)`: the client's address, for the lockout (django-axes calls it
  through AXES_CLIENT_IP_CALLABLE) and the audit trail (accounts.middleware). Off by
  default it is REMOTE_ADDR. Behind reverse proxies, TRUSTED_PROXY_COUNT = N says that
  N proxies each append the address they saw to TRUSTED_PROXY_HEADER
  (X-Forwarded-For): the client is the N-th entry from the right, the one the outermost
  trusted proxy wrote; whatever stands to its left the client may have sent itself.
  A header too short, or an entry that is no address, falls back to REMOTE_ADDR.
- `login_wait_seconds(username)`: the soft limit per login, whatever the address.
  The hard lockout (axes) keys on login + client address, so one pupil guessing a
  teacher's password locks only that pair; many addresses guessing one login are
  slowed instead: past LOGIN_SOFT_LIMIT failures within the cool-off time each try
  waits a growing delay after the login's last failure (1, 2, 4 … LOGIN_SOFT_DELAY_MAX
  seconds). A try inside the delay is turned away before the password is checked and
  counts as no failure, so it neither helps a guesser nor lengthens the owner's wait.
"""

import ipaddress
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [h.strip() for h in request.META.get(settings.TRUSTED_PROXY_HEADER, "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count]))
            except ValueError:
                pass
    return remote


def login_wait_seconds(username: str, now=None) -> int:
    """Seconds the login `username` must still wait before its next try (0: try now)."""
    if not username:
        return 0
    now = now or timezone.now()
    window = timedelta(hours=settings.AXES_COOLOFF_TIME)
    row = AccessAttempt.objects.filter(username__iexact=username, attempt_time__gte=now - window).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    over = (row["failures"] or 0) - settings.LOGIN_SOFT_LIMIT
    if over < 0:
        return 0
    delay = min(2**over, settings.LOGIN_SOFT_DELAY_MAX)
    left = (row["last"] + timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(left + 0.999))
