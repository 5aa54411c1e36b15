"""Issue 18: a teacher's cell save through gunicorn, as `make run` starts it, while 50 idle
connections are open to the web port (browsers' preconnected sockets that never send a
request: what held the 3 sync workers before, «WORKER TIMEOUT … no URI read»).

The work happens in the gunicorn process, so the query column is empty here; the queries
of a cell save are in the `cell_save` row.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench import case
from bench.cases_journal import cell_save

ROOT = Path(__file__).resolve().parent.parent
IDLE = 50


class Gunicorn:
    """The web server of scripts/serve.sh (ejournal/gunicorn.conf.py) on a free port."""

    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = dict(os.environ, PORT=str(self.port), WEB_ACCESS_LOG="")  # no access log
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        cmd = [gunicorn, "-c", "ejournal/gunicorn.conf.py", "ejournal.wsgi:application"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)


@case("cell_save_50_idle", repeat=20, demo="small")
def cell_save_50_idle(ctx):
    web = Gunicorn()
    idle = [socket.create_connection(("127.0.0.1", web.port), timeout=10) for _ in range(IDLE)]

    from bench.runner import HttpSession

    class Server:  # what cell_save needs of a server: its port and logged-in sessions
        port = web.port

        def session(self, user):
            return HttpSession(self, user)

    class Ctx:
        server = Server()

    save = cell_save(Ctx())
    ctx.cleanup.append(lambda: ([s.close() for s in idle], web.stop()))

    def run():
        save()

    run.note = f"gunicorn gthread, {IDLE} idle connections open"
    return run
