"""The environment of a child Django process that must see this test's database."""

import os

from django.conf import settings


def child_env(**overrides) -> dict:
    """Production settings (as `make run` has them) on the test database of this worker.

    The local PostgreSQL listens on a Unix socket (a directory as HOST), which a
    DATABASE_URL cannot spell; the child then gets the socket directory and the
    database name the way the settings read them.
    """
    db = settings.DATABASES["default"]
    # The child writes audit events this process verifies: the same key.
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="ejournal.settings", AUDIT_HMAC_KEY=settings.AUDIT_HMAC_KEY)
    if db["HOST"].startswith("/"):
        # An empty DATABASE_URL beats one in var/env: the settings then build the socket config.
        env.update(DATABASE_URL="", EJ_PG_HOST=db["HOST"], EJ_PG_DB=db["NAME"])
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # The suite's own key: production settings refuse to start on the development key.
    env.setdefault("SECRET_KEY", settings.SECRET_KEY)
    env.update(overrides)
    return env
