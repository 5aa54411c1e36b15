"""The web server itself: its floor (baseline), its throughput, and (issue 18) a teacher's
cell save through gunicorn, as `make run` starts it, while 50 idle
connections are open to the web port (browsers' preconnected sockets that never send a
request: what held the 3 sync workers before, «WORKER TIMEOUT … no URI read»).

The work happens in the gunicorn process, so the query column is empty here; the queries
of a cell save are in the `cell_save` row.
"""

import socket
import threading
import time

from bench import case
from bench.cases_journal import _biggest_grid, cell_save
from bench.runner import Gunicorn

IDLE = 50


@case("cell_save_50_idle", repeat=20, demo="small")
def cell_save_50_idle(ctx):
    web = Gunicorn()
    idle = [socket.create_connection(("127.0.0.1", web.port), timeout=10) for _ in range(IDLE)]

    class Ctx:  # what cell_save needs: a server with logged-in sessions
        server = web

    save = cell_save(Ctx())
    ctx.cleanup.append(lambda: ([s.close() for s in idle], web.stop()))

    def run():
        save()

    run.note = f"gunicorn gthread, {IDLE} idle connections open"
    return run


@case("baseline")
def baseline(ctx):
    """The floor of this stack on this machine: a logged-in parent's request through every
    middleware to a view that does nothing (/livez). Other rows read as multiples of it."""
    from accounts import roles as R
    from demo.logins import demo_accounts

    http = ctx.server.session(dict(demo_accounts())[R.PARENT])

    def run():
        http.get("/livez")

    run.over_http = True
    run.note = "/livez as a logged-in parent"
    return run


CLIENTS = 4
SECONDS = 5


@case("throughput_grid_4", repeat=1)
def throughput_grid_4(ctx):
    """CLIENTS browsers at once, each with its own login session, loading the biggest
    grade page one after another for SECONDS: requests per second, and their latency."""
    from django.urls import reverse

    _cells, a, period, pupils, lessons = _biggest_grid()
    url = reverse("journal:grid_period", kwargs={"pk": a.pk, "period": period.pk})
    sessions = [ctx.server.session(a.teacher) for _ in range(CLIENTS)]

    def run():
        latencies = []
        stop = time.perf_counter() + SECONDS

        def client(http):
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                http.get(url)
                latencies.append((time.perf_counter() - t0) * 1000)

        threads = [threading.Thread(target=client, args=(h,)) for h in sessions]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        run.latencies = latencies
        run.note = f"{len(latencies) / SECONDS:.1f} req/s, {CLIENTS} clients, {pupils} × {lessons} grid"

    run.over_http = True
    return run
