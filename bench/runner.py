"""Runs benchmark cases against a seeded demo database, over real HTTP where asked.

Each demo size has its own database (`<name>_bench_<size>`), created, migrated and
seeded once, then reused: seeding the district takes minutes, a run should not.
"""

import http.client
import json
import os
import subprocess
import sys
import threading
from http.cookies import SimpleCookie
from socketserver import ThreadingMixIn
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

RESULT_MARK = "BENCH-RESULT "


def run_cases(names):
    """Group the cases by demo size and run each group in a child process on its database."""
    import bench

    results = []
    by_demo: dict = {}
    forced = os.environ.get("BENCH_FORCE_DEMO")  # e.g. "small" while developing a case
    for n in names:
        by_demo.setdefault(forced or bench.CASES[n]["demo"], []).append(n)
    for demo, group in by_demo.items():
        env = dict(os.environ, BENCH_DEMO=demo)
        proc = subprocess.run(
            [sys.executable, "-m", "bench.runner", demo, *group],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        for line in proc.stdout.splitlines():
            if line.startswith(RESULT_MARK):
                results.append(bench.Result(**json.loads(line[len(RESULT_MARK) :])))
            else:
                print(line)
        if proc.returncode:
            raise SystemExit(f"benchmark group {demo} failed (exit {proc.returncode})")
    order = {n: i for i, n in enumerate(names)}
    return sorted(results, key=lambda r: order[r.name])


def _prepare_database(demo):
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    name = settings.DATABASES["default"]["NAME"]
    # Create the database through the maintenance DB if it does not exist yet.
    import psycopg

    # As the owner role (the runtime role may not create databases; docs/ARCHIVE.md "Database roles").
    db = settings.DATABASES.get("owner", settings.DATABASES["default"])
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname="postgres", autocommit=True
    ) as maint:
        if maint.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            maint.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0, interactive=False)
    from accounts.models import School

    if not School.objects.exists():
        print(f"== seeding the {demo} demo into {name} (once)", flush=True)
        call_command("seed_demo", size=demo, seed=1, verbosity=1)
    connection.close()
    del django


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class QueryCountingApp:
    """Wraps the WSGI app; counts the SQL queries of each request on the server thread."""

    def __init__(self, app):
        self.app = app
        self.last_queries = 0

    def __call__(self, environ, start_response):
        from django.db import connection

        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                # what a WSGI server does: Django's request_finished (closing the thread's
                # database connection, or handing it back to the pool) runs on close()
                result.close()
        self.last_queries = count[0]
        return [body]


class HttpSession:
    """A logged-in browser-like session against the live server: real HTTP, real cookies."""

    def __init__(self, server, user):
        from django.conf import settings
        from django.test import Client

        self.server = server
        client = Client()
        client.force_login(user)
        self.cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
        self.csrf = None

    def request(self, method, path, data=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=120)
        hdrs = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": "127.0.0.1"}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        if method != "GET":
            if self.csrf is None:
                self._fetch_csrf()
            hdrs["X-CSRFToken"] = self.csrf
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            hdrs["Referer"] = f"http://127.0.0.1:{self.server.port}/"
        hdrs.update(headers or {})
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        content = resp.read()
        self.server.last_bytes = len(content)
        if resp.headers.get("X-Queries") is not None:  # gunicorn (BENCH_QUERY_HEADER)
            self.server.last_queries = int(resp.headers["X-Queries"])
        for header in resp.headers.get_all("Set-Cookie") or []:
            for k, morsel in SimpleCookie(header).items():
                self.cookies[k] = morsel.value
        conn.close()
        if resp.status >= 400:
            raise RuntimeError(f"{method} {path} -> {resp.status}: {content[:300]!r}")
        return resp.status, content

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, data=None, **kw):
        return self.request("POST", path, data=data, **kw)

    def _fetch_csrf(self):
        from django.conf import settings
        from django.middleware.csrf import _get_new_csrf_string

        token = _get_new_csrf_string()
        self.cookies[settings.CSRF_COOKIE_NAME] = token
        self.csrf = token


class LiveServer:
    """The app in this process on a thread-per-request server: queries counted in-process."""

    last_bytes = None

    def __init__(self):
        from django.core.wsgi import get_wsgi_application

        self.app = QueryCountingApp(get_wsgi_application())
        self.httpd = make_server("127.0.0.1", 0, self.app, server_class=_ThreadingServer, handler_class=_QuietHandler)
        self.port = self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def last_queries(self):
        return self.app.last_queries

    @last_queries.setter
    def last_queries(self, value):
        self.app.last_queries = value

    def session(self, user):
        return HttpSession(self, user)

    def stop(self):
        self.httpd.shutdown()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, what: str, timeout: float):
    """Until a server started in the background accepts connections."""
    import socket
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not start")


class Gunicorn:
    """The web server as `make run` starts it (ejournal/gunicorn.conf.py: gthread workers,
    the connection pool, DEBUG off, the real settings) on a free port of this machine."""

    last_queries = None
    last_bytes = None

    def __init__(self, **env):
        from pathlib import Path

        self.port = free_port()
        env = dict(os.environ, PORT=str(self.port), WEB_ACCESS_LOG="", DEBUG="false", **env)
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        root = Path(__file__).resolve().parent.parent
        cmd = [gunicorn, "-c", "ejournal/gunicorn.conf.py", "ejournal.wsgi:application"]
        self.proc = subprocess.Popen(cmd, cwd=root, env=env)
        wait_for_port(self.port, "gunicorn", 60)

    def session(self, user):
        return HttpSession(self, user)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)


class Bench:
    """What a case gets: the live server and the demo data."""

    def __init__(self, demo, server):
        self.demo = demo
        self.server = server
        self.cleanup = []  # callables run after the case (servers a case started)


def _child(demo, names):
    import statistics
    import time
    import tracemalloc

    import django

    # As the web runs (gunicorn.conf.py): the pages are served from a connection pool. This
    # server starts a thread per request; without the pool each would open a new backend.
    os.environ.setdefault("DB_POOL", "8")
    django.setup()
    _prepare_database(demo)
    import bench

    # make bench-http: the pages through gunicorn, as users get them (docs/DEPLOY.md)
    server = Gunicorn(BENCH_QUERY_HEADER="1") if os.environ.get("BENCH_HTTP") else LiveServer()
    ctx = Bench(demo, server)
    for name in names:
        spec = bench.CASES[name]
        run = spec["fn"](ctx)
        for _ in range(spec.get("warmup", 2)):
            run()
        queries = server.last_queries if getattr(run, "over_http", False) else None
        if queries is None and not getattr(run, "no_query_count", False):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as cq:
                run()
            queries = len(cq.captured_queries)
        samples, peak = [], None
        for _ in range(spec["repeat"]):
            t0 = time.perf_counter()
            run()
            samples.append((time.perf_counter() - t0) * 1000)
        if spec["files"] and not getattr(run, "no_peak", False):
            # Peak memory in one more run: tracemalloc slows every allocation, so it never
            # runs during the timed repetitions (it made a PDF over HTTP look 5-10x slower).
            tracemalloc.start()
            run()
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        # a throughput case times its requests itself: their latencies, not the run's length
        samples = sorted(getattr(run, "latencies", None) or samples)
        p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
        res = {
            "name": name,
            "queries": queries or 0,
            "median_ms": statistics.median(samples),
            "p95_ms": p95,
            "peak_mb": peak,
            "bytes": server.last_bytes if getattr(run, "over_http", False) else None,
            "note": getattr(run, "note", ""),
        }
        print(RESULT_MARK + json.dumps(res), flush=True)
        while ctx.cleanup:
            ctx.cleanup.pop()()
    server.stop()


if __name__ == "__main__":
    import importlib
    import pkgutil

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
    import bench

    for mod in pkgutil.iter_modules(bench.__path__):
        if mod.name.startswith("cases_"):
            importlib.import_module(f"bench.{mod.name}")
    _child(sys.argv[1], sys.argv[2:])
