"""The suite's xdist scheduler (tests/scheduling.py): a module that builds its data once is
one unit of work, every other test a unit of its own."""

from pathlib import Path

from .scheduling import SharedDataScheduling, modules_with_shared_data

TESTS = Path(__file__).resolve().parent


def test_modules_that_build_data_once_are_found_by_their_fixtures():
    shared = modules_with_shared_data(TESTS)
    # a module-scoped fixture of its own; the conftest's small demo; the conftest's world
    assert {"tests/test_archive.py", "tests/test_seed_demo.py", "tests/test_access_matrix.py"} <= shared
    assert "tests/test_flush.py" not in shared and "tests/test_browser_grid.py" not in shared


def test_a_shared_module_is_one_unit_and_other_tests_each_their_own():
    scheduler = SharedDataScheduling.__new__(SharedDataScheduling)  # no xdist session needed
    scheduler.shared = modules_with_shared_data(TESTS)
    rows = [
        "tests/test_access_matrix.py::test_row[journal:grid:GET:1]",
        "tests/test_access_matrix.py::test_row[x:POST:2]",
    ]
    assert {scheduler._split_scope(n) for n in rows} == {"tests/test_access_matrix.py"}
    grid = ["tests/test_browser_grid.py::test_a", "tests/test_browser_grid.py::test_b"]
    assert [scheduler._split_scope(n) for n in grid] == grid
