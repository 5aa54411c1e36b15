import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")

app = Celery("ejournal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _refuse_insecure_start(**kwargs):
    """The worker signs unsubscribe links in its letters: no start on the development key.
    (SystemExit, because Celery logs and ignores an exception raised by a signal handler.)"""
    from django.core.exceptions import ImproperlyConfigured

    from .checks import refuse_insecure_start

    try:
        refuse_insecure_start()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"ejournal: {exc}") from None
