"""The demo keeps going on any date it is opened (a one-line Celery wrapper)."""

from celery import shared_task


@shared_task(name="demo.keep_going")
def keep_going(today_iso=None):
    from .keeping import keep_going as run

    return run(today_iso)
