"""The landing page, the health check and the JavaScript catalogue."""

from . import Row

EVERYONE = ("teacher", "class_teacher", "parent", "other_parent", "pupil", "deputy", "director", "admin", "outsider")

ROWS = [
    Row("home", expect=dict.fromkeys(EVERYONE, 200)),
    # Monitoring calls it without a session; no worker runs in this test, hence 503.
    Row("healthz", expect=dict.fromkeys((*EVERYONE, "anonymous"), 503), public=True),
    # The load balancer's liveness probe: the process answers, with or without a session.
    Row("livez", expect=dict.fromkeys((*EVERYONE, "anonymous"), 200), public=True),
    # The translations of our scripts: base.html loads them on every page, the login page too.
    Row("javascript-catalog", expect=dict.fromkeys((*EVERYONE, "anonymous"), 200), public=True),
]
