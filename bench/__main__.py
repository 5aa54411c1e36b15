"""python -m bench [case ...]: seed the demo databases once, run the cases, print the table."""

import importlib
import os
import pkgutil
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
# The benchmark data lives in its own databases (one per demo size), seeded once.
os.environ.setdefault("BENCH", "1")

# make bench-http (BENCH_HTTP=1): what users wait for, through gunicorn as `make run` serves
# it, next to the baseline row. The pages of issue 21's table, in its order.
HTTP_CASES = (
    "baseline",
    "grid_30x70",
    "lesson_page",
    "cell_save",
    "diary_subject",
    "diary_week",
    "family_home",
    "throughput_grid_4",
)


def main(argv):
    import bench

    base = None
    if argv[:1] == ["--base"]:
        base, argv = argv[1], argv[2:]
    elif os.environ.get("BENCH_BASE"):
        base = os.environ["BENCH_BASE"]

    for mod in pkgutil.iter_modules(bench.__path__):
        if mod.name.startswith("cases_"):
            importlib.import_module(f"bench.{mod.name}")
    default = [n for n in HTTP_CASES if n in bench.CASES] if os.environ.get("BENCH_HTTP") else list(bench.CASES)
    wanted = argv or default
    unknown = [n for n in wanted if n not in bench.CASES]
    if unknown:
        print(f"unknown cases: {', '.join(unknown)}; known: {', '.join(bench.CASES)}", file=sys.stderr)
        return 2
    from bench.runner import run_cases

    results = run_cases(wanted)
    if base is None:
        bench.print_table(results)
        return 0
    import django

    django.setup()
    from bench import compare

    commit = compare.checkout_base(base)
    before = compare.run_base(wanted)
    compare.print_comparison(base, commit, before, results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
