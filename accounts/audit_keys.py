"""The secret that keys the audit chain (docs/DESIGN.md §5; docs/ARCHIVE.md "Audit chain").

The key never lives in the database nor in a backup: it comes from AUDIT_HMAC_KEY in the
environment, or from the file AUDIT_KEY_FILE (var/keys/audit.key, mode 0600, written by
scripts/bootstrap.sh). Without the key nobody can re-chain an edited trail so that it
verifies again; the anchors (accounts/anchors.py) are signed with a key derived from it.
"""

import hashlib
import hmac
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _load(env_value: str, path: str) -> bytes:
    raw = env_value.strip()
    if not raw:
        p = Path(path)
        if not p.is_file():
            raise ImproperlyConfigured(
                f"The audit key is missing: set AUDIT_HMAC_KEY or create {p} (scripts/bootstrap.sh does)."
            )
        raw = p.read_text().strip()
    if len(raw) < 32:
        raise ImproperlyConfigured("The audit key is too short: at least 32 characters (128 bits in hex).")
    return raw.encode()


def audit_key() -> bytes:
    return _load(getattr(settings, "AUDIT_HMAC_KEY", "") or "", str(getattr(settings, "AUDIT_KEY_FILE", "")))


def derived_key(purpose: str) -> bytes:
    """A separate key per use (event hashes, anchor signatures), all from the one secret."""
    return hmac.new(audit_key(), f"ejournal:{purpose}".encode(), hashlib.sha256).digest()


def mac(purpose: str, data: bytes) -> str:
    return hmac.new(derived_key(purpose), data, hashlib.sha256).hexdigest()


def forget():
    """Tests change the key through settings; drop the cached one."""
    _load.cache_clear()
