"""Before and after in one run: the same cases measured on an earlier revision too.

    python -m bench --base main~3 grid_30x70 cell_save      (make bench BENCH_BASE=main~3)

The earlier revision is checked out into var/bench-base (a detached git worktree that
shares this checkout's virtualenv, node_modules, PostgreSQL and Redis) and runs its own
bench cases on its own seeded databases (`ejournal_base_bench_<size>`), so a schema the
base does not know never meets its code. A case the base does not have prints "—".
The base must be a revision with the settings package (ejournal/settings/, 2026-12-01).

A case written after the base (issue 14's lesson_page and attendance_column_save) can be
measured on it with this checkout's case code, where that code is written to run on the
older revision too: BENCH_BASE_CASES=lesson_page copies bench/cases_lesson_page.py into the base
before it runs (the next checkout of the base restores its own file).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from . import Result
from .runner import RESULT_MARK

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "var" / "bench-base"

LIST_CASES = (
    "import importlib, json, pkgutil, bench\n"
    "for m in pkgutil.iter_modules(bench.__path__):\n"
    "    m.name.startswith('cases_') and importlib.import_module('bench.' + m.name)\n"
    "print(json.dumps({n: c['demo'] for n, c in bench.CASES.items()}))\n"
)


def _git(*args, cwd=ROOT):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def checkout_base(rev: str) -> str:
    commit = _git("rev-parse", "--verify", f"{rev}^{{commit}}")
    if not (BASE / ".git").exists():
        _git("worktree", "add", "--force", "--detach", str(BASE), commit)
    else:
        _git("checkout", "--force", "--detach", commit, cwd=BASE)
    for shared in (".venv", "node_modules"):
        if not (BASE / shared).exists():
            (BASE / shared).symlink_to(ROOT / shared)
    # The same stopwatch for both: the base is measured by this checkout's runner.
    for stopwatch in ("bench/__init__.py", "bench/runner.py"):
        (BASE / stopwatch).write_text((ROOT / stopwatch).read_text())
    for name in filter(None, os.environ.get("BENCH_BASE_CASES", "").split(",")):
        case_file = f"bench/cases_{name.strip()}.py"
        (BASE / case_file).write_text((ROOT / case_file).read_text())
    return commit


def _base_env() -> dict:
    from django.conf import settings

    db = settings.DATABASES["default"]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="ejournal.settings", REDIS_URL=settings.REDIS_URL)
    # The base's var/ has no keys of its own: it signs its audit chain with this checkout's key.
    env.setdefault("AUDIT_KEY_FILE", str(settings.AUDIT_KEY_FILE))
    if db["HOST"].startswith("/"):
        env.update(DATABASE_URL="", EJ_PG_HOST=db["HOST"], EJ_PG_DB="ejournal_base")
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/ejournal_base"
    return env


def run_base(names) -> dict[str, Result]:
    env = _base_env()
    python = str(ROOT / ".venv" / "bin" / "python")
    known = json.loads(subprocess.run([python, "-c", LIST_CASES], cwd=BASE, env=env, check=True,
                                      capture_output=True, text=True).stdout)  # fmt: skip
    by_demo: dict = {}
    for n in names:
        if n in known:
            by_demo.setdefault(os.environ.get("BENCH_FORCE_DEMO") or known[n], []).append(n)
    results = {}
    for demo, group in by_demo.items():
        proc = subprocess.run([python, "-m", "bench.runner", demo, *group], cwd=BASE,
                              env=dict(env, BENCH_DEMO=demo), stdout=subprocess.PIPE, text=True, check=False)  # fmt: skip
        for line in proc.stdout.splitlines():
            if line.startswith(RESULT_MARK):
                r = Result(**json.loads(line[len(RESULT_MARK) :]))
                results[r.name] = r
            else:
                print(f"[base] {line}")
        if proc.returncode:
            raise SystemExit(f"benchmark group {demo} failed on the base (exit {proc.returncode})")
    return results


def print_comparison(rev, commit, before: dict, after: list):
    print(f"before: {rev} ({commit[:10]})   after: this checkout")
    header = f"{'case':<24} {'queries':>15} {'median ms':>19} {'p95 ms':>17} {'after/before':>12}"
    print(header)
    print("-" * len(header))
    for r in after:
        b = before.get(r.name)
        queries = f"{b.queries if b else '—':>6} → {r.queries:<6}"
        median = (
            f"{b.median_ms if b else float('nan'):>8.1f} → {r.median_ms:<8.1f}"
            if b
            else f"{'—':>8} → {r.median_ms:<8.1f}"
        )
        p95 = f"{b.p95_ms:>7.1f} → {r.p95_ms:<7.1f}" if b else f"{'—':>7} → {r.p95_ms:<7.1f}"
        ratio = f"{r.median_ms / b.median_ms:>12.2f}" if b and b.median_ms else f"{'':>12}"
        print(f"{r.name:<24} {queries:>15} {median:>19} {p95:>17} {ratio}  {r.note}".rstrip())
    sys.stdout.flush()
