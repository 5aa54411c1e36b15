"""Start-up checks of the project: no production process on the development key.

The settings fall back to DEV_SECRET_KEY so that a developer's DEBUG run and the tooling
work without configuration; that key is in the repository, and whoever reads it signs
sessions, password-reset and unsubscribe links of any user. With DEBUG off it is refused:
a system check error (manage.py runserver, migrate, check --deploy, every command), and
the web (ejournal/wsgi.py) and Celery (ejournal/celery.py) refuse to start on it.
`make run` is production-like (DEBUG off): scripts/bootstrap.sh writes a random key of
the checkout into var/env once.
"""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MESSAGE = (
    "SECRET_KEY is not set: with DEBUG off the built-in development key is refused. "
    "Set SECRET_KEY in the environment (a long random string, the same for the web, the worker "
    "and beat), e.g. SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
)


def insecure_secret_key(settings) -> bool:
    from .settings import DEV_SECRET_KEY

    return not settings.DEBUG and settings.SECRET_KEY in ("", DEV_SECRET_KEY)


@checks.register(checks.Tags.security)
def check_secret_key(app_configs=None, **kwargs):
    from django.conf import settings

    if insecure_secret_key(settings):
        return [checks.Error(MESSAGE, id="ejournal.E001")]
    return []


def refuse_insecure_start() -> None:
    """Called where a server process starts: raise with the message instead of serving."""
    from django.conf import settings

    if insecure_secret_key(settings):
        raise ImproperlyConfigured(MESSAGE)
