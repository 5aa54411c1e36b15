"""python -m loadtest.peak [--users N] [--time 5m] [--mode both|replica|single]

Starts the web as `make run` does (gunicorn, the pool, DEBUG off) on the district demo
(12 schools; the bench's seeded database, seeded once), signs the peak's people in
(loadtest/prepare.py) and runs loadtest/locustfile.py headless for the given time: once
with the streaming replica serving the reads that may lag, once with one database. Prints
p50/p95 and failures per page for both and exits non-zero on any failure or a p95 over
500 ms. The figures of a run are in docs/DEPLOY.md ("A region's evening peak").
"""

import argparse
import csv
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "loadtest"
SERVICES = str(ROOT / "scripts" / "services.sh")
P95_BUDGET_MS = 500


NGINX_CONF = """daemon off;
worker_processes 1;
pid {out}/nginx.pid;
error_log {out}/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {out}/nginx-body;
    proxy_temp_path {out}/nginx-proxy;
    # the web processes of docs/DEPLOY.md "More than one machine", here on one
    upstream ejournal {{
{servers}
        keepalive 32;
        keepalive_timeout 4s;  # below gunicorn's 5 s (docs/DEPLOY.md "nginx")
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://ejournal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
        }}
    }}
}}
"""


class Nginx:
    """nginx in front of the web processes, as a region's deployment has it."""

    def __init__(self, ports):
        from bench.runner import free_port, wait_for_port

        self.port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in ports)
        conf = OUT / "nginx.conf"
        conf.write_text(NGINX_CONF.format(out=OUT, servers=servers, port=self.port))
        self.proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(OUT)])
        wait_for_port(self.port, "nginx", 20)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


def _run_mode(mode: str, args) -> list[dict]:
    from bench.runner import Gunicorn

    replica = mode == "replica"
    if replica:
        subprocess.run([SERVICES, "replica-stop", "--remove"], check=True)
        subprocess.run([SERVICES, "replica-start"], check=True, stdout=subprocess.DEVNULL)
    # Several web processes (one worker each, as one per machine would have its cores) behind nginx.
    webs = [Gunicorn(DB_REPLICA="1" if replica else "0", WEB_WORKERS="1") for _ in range(args.webs)]
    web = Nginx([w.port for w in webs])
    try:
        prefix = OUT / mode
        env = dict(os.environ, LOADTEST_PEOPLE=str(OUT / "people.json"), PYTHONPATH=str(ROOT))
        cmd = [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(ROOT / "loadtest" / "locustfile.py"),
            "--headless",
            "--host",
            f"http://127.0.0.1:{web.port}",
            "-u",
            str(args.users),
            "-r",
            str(args.rate),
            "-t",
            args.time,
            "--csv",
            str(prefix),
            "--only-summary",
            # at the end users finish the request they are in (not cut off as failures)
            "--stop-timeout",
            "20",
            "--loglevel",
            "WARNING",
        ]
        subprocess.run(cmd, env=env, check=False, cwd=ROOT)
    finally:
        web.stop()
        for w in webs:
            w.stop()
        if replica:
            subprocess.run([SERVICES, "replica-stop", "--remove"], check=True)
    with open(f"{prefix}_stats.csv") as f:
        return list(csv.DictReader(f))


def _print(mode: str, rows: list[dict], args) -> bool:
    print(f"\n{mode}: {args.users} users for {args.time}, {args.webs} web processes behind nginx")
    header = f"{'page':<28} {'requests':>9} {'failures':>9} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}"
    print(header)
    print("-" * len(header))
    ok = True
    for r in rows:
        name = r["Name"] if r["Name"] != "Aggregated" else "all"
        failures = int(r["Failure Count"])
        ok = ok and failures == 0
        if name == "all":  # the budget is the peak's, over all its requests
            ok = ok and float(r["95%"] or 0) <= P95_BUDGET_MS
        print(
            f"{name:<28} {r['Request Count']:>9} {failures:>9} {r['50%']:>8} {r['95%']:>8} {float(r['Requests/s']):>7.1f}"
        )
    return ok


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=int(os.environ.get("PEAK_USERS", 300)))
    parser.add_argument("--rate", type=float, default=10, help="users started per second")
    parser.add_argument("--time", default=os.environ.get("PEAK_TIME", "5m"))
    parser.add_argument("--mode", choices=("both", "replica", "single"), default="both")
    parser.add_argument("--webs", type=int, default=2, help="web processes behind nginx")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
    os.environ["BENCH_DEMO"] = "district"  # the bench's district database: 12 schools, seeded once
    import django

    django.setup()
    from bench.runner import _prepare_database
    from loadtest import prepare

    _prepare_database("district")
    OUT.mkdir(parents=True, exist_ok=True)
    teachers = max(1, args.users * 9 // 100)
    ok = True
    for mode in ("replica", "single") if args.mode == "both" else (args.mode,):
        # signed in afresh: the marks' versions the teachers start from are today's
        counts = prepare.write(OUT / "people.json", families=args.users, teachers=teachers)
        print(f"{mode}: signed in", ", ".join(f"{n} {k}" for k, n in counts.items()), flush=True)
        ok = _print(mode, _run_mode(mode, args), args) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
