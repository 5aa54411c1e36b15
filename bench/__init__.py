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


def case(name, *, repeat=20, demo="district", files=False, warmup=2):
    """Register a benchmark case. `files=True` adds the peak-MB column (rendering cases):
    measured in one more run under tracemalloc, never in the timed ones (tracing every
    allocation makes WeasyPrint several times slower). `warmup`: untimed runs first."""

    def register(fn):
        CASES[name] = {"fn": fn, "repeat": repeat, "demo": demo, "files": files, "warmup": warmup}
        return fn

    return register


@dataclass
class Result:
    name: str
    queries: int
    median_ms: float
    p95_ms: float
    peak_mb: float | None = None
    bytes: int | None = None  # the last answer's body, for cases over HTTP
    note: str = ""
    samples: list = field(default_factory=list)


def print_table(results):
    """One row per case; with a `baseline` row (make bench-http) each row's median is also
    given as a multiple of it, so figures from different machines compare."""
    base = next((r.median_ms for r in results if r.name == "baseline"), None)
    header = f"{'case':<24} {'SQL queries':>11} {'median ms':>10} {'p95 ms':>9} {'peak MB':>8} {'KB':>7}"
    header += f" {'× baseline':>10}" if base else ""
    print(header)
    print("-" * len(header))
    for r in results:
        peak = f"{r.peak_mb:8.1f}" if r.peak_mb is not None else f"{'':>8}"
        size = f"{r.bytes / 1024:7.1f}" if r.bytes is not None else f"{'':>7}"
        ratio = f" {r.median_ms / base:>10.1f}" if base else ""
        row = f"{r.name:<24} {r.queries:>11} {r.median_ms:>10.1f} {r.p95_ms:>9.1f} {peak} {size}{ratio}"
        print(f"{row}  {r.note}".rstrip())
