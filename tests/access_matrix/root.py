"""The landing page and the health check."""

from . import Row

EVERYONE = ("teacher", "class_teacher", "parent", "other_parent", "pupil", "deputy", "director", "admin", "outsider")

ROWS = [
    Row("home", expect=dict.fromkeys(EVERYONE, 200)),
    # Monitoring calls it without a session; no worker runs in this test, hence 503.
    Row("healthz", expect=dict.fromkeys((*EVERYONE, "anonymous"), 503), public=True),
]
