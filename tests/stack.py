"""The processes of `make run` around the test database, for the fault tests.

`Stack` starts scripts/serve.sh — gunicorn (ejournal/gunicorn.conf.py), the Celery worker and
beat, supervised, exactly as scripts/run.sh does — with the production settings on this
test worker's database and on a throwaway redis-server listening on a Unix socket in a
directory of its own under this checkout's var/ (no TCP port, so another checkout's tests
cannot collide with it). Stopping that Redis never touches the Redis or PostgreSQL the
rest of the suite uses. The children get the environment every other child process of
the suite gets (tests/child_env.py): production settings, the runtime database role.
"""

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from .child_env import child_env

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"not within {timeout} s: {what}")


class ThrowawayRedis:
    """A redis-server of its own on a Unix socket, stopped and started at will (data kept on disk)."""

    def __init__(self, directory: Path):
        self.dir = directory
        self.sock = str(directory / "redis.sock")

    def cli(self, *args, timeout=5):
        return subprocess.run(
            ["redis-cli", "-s", self.sock, *args], capture_output=True, text=True, timeout=timeout, check=False
        )

    def up(self) -> bool:
        return self.cli("ping").stdout.strip() == "PONG"

    def start(self):
        subprocess.run(
            ["redis-server", "--port", "0", "--unixsocket", self.sock, "--unixsocketperm", "700",
             "--dir", str(self.dir), "--daemonize", "yes", "--pidfile", str(self.dir / "redis.pid"),
             "--logfile", str(self.dir / "redis.log"), "--save", "60 1"],
            check=True, capture_output=True, timeout=10,
        )  # fmt: skip
        wait_for(self.up, 10, "the throwaway Redis answers")

    def stop(self):
        """Like an operator's `systemctl stop redis`: it saves, closes every client, and is gone."""
        self.cli("shutdown", "save")
        wait_for(lambda: not os.path.exists(self.sock), 10, "the throwaway Redis is down")

    @property
    def url(self):
        return f"unix://{self.sock}?db=0"


class Stack:
    """Web, worker and beat under scripts/serve.sh; `session(user)` speaks HTTP to the web port."""

    def __init__(self, **env):
        from django.conf import settings

        # Under the checkout's var/, like its own services (scripts/services.sh); a socket
        # path must fit in sun_path (107 bytes).
        (ROOT / "var" / "tmp").mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="faults-", dir=ROOT / "var" / "tmp"))
        self.redis = ThrowawayRedis(self.dir)
        assert len(self.redis.sock) <= 100, f"the checkout path is too deep for a Unix socket: {self.redis.sock}"
        self.port = free_port()
        self.log_path = self.dir / "serve.log"
        self.env = child_env(
            REDIS_URL=self.redis.url,
            SECRET_KEY=settings.SECRET_KEY,  # the sessions the test writes must verify in the children
            # What beat's nightly jobs (anchors, backups, the archive) would write stays here too.
            MEDIA_ROOT=str(self.dir / "media"),
            AUDIT_ANCHOR_FILE=str(self.dir / "anchors" / "audit-anchors.jsonl"),
            BACKUP_DIRS=f"{self.dir / 'backup-a'},{self.dir / 'backup-b'}",
            ARCHIVE_DIRS=f"{self.dir / 'media' / 'archive'},{self.dir / 'archive-b'}",
            SIGNING_DIR=str(self.dir / "signing"),
            PORT=str(self.port),
            SERVE_RUN_DIR=str(self.dir / "run"),
            BEAT_SCHEDULE=str(self.dir / "celerybeat-schedule"),
            WEB_ACCESS_LOG=str(self.dir / "access.log"),
            STOP_TIMEOUT="5",
            **env,
        )
        self.proc = None

    def start(self):
        self.redis.start()
        self._log = open(self.log_path, "ab")  # noqa: SIM115 — closed in stop()
        self.proc = subprocess.Popen(
            [str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )
        wait_for(self.healthy, 90, f"the web answers /healthz with a worker ({self.log()[-2000:]})", interval=0.3)
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                for name in ("web", "worker", "beat"):
                    pid = self.pid(name)
                    if pid:
                        _kill_group(pid)
                self.proc.kill()
                self.proc.wait()
        if self.redis.up():
            self.redis.cli("shutdown", "nosave")
        self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def pid(self, name) -> int | None:
        try:
            return int((self.dir / "run" / f"{name}.pid").read_text())
        except (FileNotFoundError, ValueError):
            return None

    def pids(self) -> dict:
        return {name: self.pid(name) for name in ("web", "worker", "beat")}

    def alive(self, name) -> bool:
        pid = self.pid(name)
        if not pid:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def healthy(self) -> bool:
        try:
            status, _body, _h = self.request("GET", "/healthz", timeout=10)
        except OSError:
            return False
        return status == 200

    def request(self, method, path, *, body=None, headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
            resp = conn.getresponse()
            return resp.status, resp.read(), resp.headers
        finally:
            conn.close()

    def session(self, user):
        return Session(self, user)


class Session:
    """A logged-in browser: the session row is written here, its cookie sent over real HTTP."""

    CSRF = "faultsfaultsfaultsfaultsfaultsfa"  # any 32 characters; cookie and header agree

    def __init__(self, stack, user):
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        self.stack = stack
        self.cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
            f"{settings.CSRF_COOKIE_NAME}={self.CSRF}"
        )

    def get(self, path, **kw):
        return self.stack.request("GET", path, headers={"Cookie": self.cookie}, **kw)

    def post(self, path, data, headers=None, **kw):
        hdrs = {
            "Cookie": self.cookie,
            "X-CSRFToken": self.CSRF,
            "Content-Type": "application/x-www-form-urlencoded",
            **(headers or {}),
        }
        return self.stack.request("POST", path, body=urlencode(data), headers=hdrs, **kw)

    def order_report(self, kind, **params) -> int:
        """The «Сформировать» button of a long report: the job's id from the redirect."""
        status, body, headers = self.post("/reports/jobs/new/", {"kind": kind, **params})
        assert status == 302, (status, body[:500])
        return int(re.search(r"/jobs/(\d+)/", headers["Location"]).group(1))


def _kill_group(pid):
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
