"""Speed budgets: `make bench` runs every case and prints one table row per case.

A case is a function registered with @case in a module `bench/cases_*.py`. It gets a
`Bench` context (demo data lookups, an HTTP client) and returns a callable that runs
once per repetition. Queries, wall time (median, p95) and peak memory are measured
by bench/runner.py, so every case is measured the same way.

    @case("diary_week", demo="district")
    def diary_week(ctx):                      # ctx.server is a live HTTP server
        parent = ...                          # look the persona up in the demo data
        http = ctx.server.session(parent)     # real HTTP, logged in
        def run():
            http.get(f"/diary/...")
        run.over_http = True                  # count the server's queries per request
        return run
"""

from dataclasses import dataclass, field

CASES: dict = {}


def case(name, *, repeat=20, demo="district", files=False):
    """Register a benchmark case. `files=True` adds the peak-MB column (rendering cases)."""

    def register(fn):
        CASES[name] = {"fn": fn, "repeat": repeat, "demo": demo, "files": files}
        return fn

    return register


@dataclass
class Result:
    name: str
    queries: int
    median_ms: float
    p95_ms: float
    peak_mb: float | None = None
    note: str = ""
    samples: list = field(default_factory=list)


def print_table(results):
    header = f"{'case':<24} {'SQL queries':>11} {'median ms':>10} {'p95 ms':>9} {'peak MB':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        peak = f"{r.peak_mb:8.1f}" if r.peak_mb is not None else f"{'':>8}"
        print(f"{r.name:<24} {r.queries:>11} {r.median_ms:>10.1f} {r.p95_ms:>9.1f} {peak}  {r.note}".rstrip())
