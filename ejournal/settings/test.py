"""Settings for the test suite: production settings with a fast password hasher and one
Redis database per xdist worker.

Production hashes with Argon2 (tests/test_settings.py proves it). Hashing is deliberate
work, about 0.5 s a user on this machine, and every factory user would pay it; the tests
check who may log in, not how hard a hash is to crack. Argon2 stays in the list so
passwords set by a subprocess with the production settings (the demo seed) still verify.
"""

import os

from . import *  # noqa: F403
from . import DATABASES, DEV_SECRET_KEY, REDIS_URL, SECRET_KEY, env
from .local_services import celery_broker_url, redis_with_db

# The suite runs with DEBUG off like production, which refuses the development key; a
# checkout's own key (var/env) or the environment's is used where there is one.
if SECRET_KEY == DEV_SECRET_KEY:
    SECRET_KEY = "tests-only-key-never-served-0f6c1d9e8b7a6f5e4d3c2b1a0f9e8d7c"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# pytest-xdist runs workers gw0, gw1, …: each gets its own Redis database (cache and
# Celery broker), so a worker thread of one never takes another's tasks. PostgreSQL
# test databases are already per worker (pytest-django suffixes them).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_db = 1 + int(_worker[2:]) if _worker[2:].isdigit() else 15
REDIS_URL = env("TEST_REDIS_URL", default=redis_with_db(REDIS_URL, _db))
CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
CELERY_BROKER_URL = celery_broker_url(REDIS_URL)

# The test runner creates the test databases and empties them between transactional
# tests (TRUNCATE), which only the schema owner may do: the suite connects as the owner.
# Tests that prove what the runtime role is refused open their own connection as it
# (DATABASE_RUNTIME; tests/test_db_roles.py). docs/ARCHIVE.md "Database roles".
DATABASE_RUNTIME = dict(DATABASES["default"])
DATABASES["default"] = {
    **DATABASES["owner"],
    **{k: DATABASE_RUNTIME[k] for k in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS")},
}
DATABASES["default"].pop("TEST", None)
DATABASES["owner"] = {**DATABASES["owner"], "TEST": {"MIRROR": "default"}}
AUDIT_HMAC_KEY = "test-audit-key-0123456789abcdef0123456789abcdef"

# A transaction that locks a row before the audit chain lock fails its test
# (accounts/audit.py `_check_order`): the order that keeps concurrent saves deadlock-free.
AUDIT_LOCK_ORDER_CHECK = "raise"
