"""Logins and one-time passwords.

Logins are the transliterated surname and first-name initial in the scheme of the
Russian international passport (ICAO Doc 9303, via `iuliia`): «Иванова Мария» →
`ivanova.m`; a digit is added while the login is taken (`ivanova.m2`).
Passwords are random, one-time (must be changed at first login) and never stored in
clear: they exist only on the printed slip.
"""

import re
import secrets

import iuliia
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from .models import User

# No look-alikes (0/O, 1/l/I) on a slip read from paper.
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"


def transliterate(text: str) -> str:
    return iuliia.ICAO_DOC_9303.translate(text or "")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", transliterate(text).lower())


def login_base(last_name: str, first_name: str) -> str:
    last = _slug(last_name) or "user"
    first = _slug(first_name)
    return f"{last}.{first[0]}" if first else last


def generate_login(last_name: str, first_name: str, exclude_pk=None) -> str:
    base = login_base(last_name, first_name)
    taken = set(
        User.objects.filter(username__iregex=rf"^{re.escape(base)}[0-9]*$")
        .exclude(pk=exclude_pk)
        .values_list("username", flat=True)
    )
    taken = {t.lower() for t in taken}
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def generate_password(user=None) -> str:
    """Three groups of four, e.g. `Kq7m-x4Rt-9bPz`: about 70 bits, passes the validators."""
    alphabet = _LOWER + _UPPER + _DIGITS
    while True:
        chars = [secrets.choice(alphabet) for _ in range(12)]
        pw = "-".join("".join(chars[i : i + 4]) for i in (0, 4, 8))
        if not (any(c in _LOWER for c in pw) and any(c in _UPPER for c in pw) and sum(c in _DIGITS for c in pw) >= 2):
            continue
        try:
            validate_password(pw, user)
        except ValidationError:
            continue
        return pw
