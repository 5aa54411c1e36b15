"""How `make test` shares the suite between its xdist workers (`--dist loadscope`, with this
module's scheduler: tests/conftest.py `pytest_xdist_make_scheduler`).

A module that builds its data once (a module-scoped fixture: the small demo, the access
matrix's world, the archive, the fault-injection stack) runs whole on one worker, so that
data is built once: handed out test by test, each worker would build it again at every
break in the run of that module's tests (the archive: 15 s each time). Every other test is
a unit of its own, so the two workers stay evenly loaded to the end.

(`--dist loadgroup` with `xdist_group` marks would say the same, but under pytest 9 xdist
3.8 renames an attribute pytest no longer reads, and every test becomes its own group.)
"""

import re
from pathlib import Path

from xdist.scheduler import LoadScopeScheduling

# What makes a module's data shared: a module-scoped fixture of its own, or one of the
# conftest's (tests/conftest.py `small_demo`, `shared_world`).
SHARED_DATA = re.compile(r"""scope\s*=\s*["']module["']|\bsmall_demo\b|\bshared_world\b""")


def modules_with_shared_data(tests_dir: Path) -> set[str]:
    """The test modules (as node ids spell them: tests/test_x.py) that build data once."""
    root = tests_dir.parent
    return {
        path.relative_to(root).as_posix()
        for path in sorted(tests_dir.glob("test_*.py"))
        if SHARED_DATA.search(path.read_text(encoding="utf-8"))
    }


class SharedDataScheduling(LoadScopeScheduling):
    """loadscope, with a module as the unit only where the module shares data."""

    def __init__(self, config, log=None):
        super().__init__(config, log)
        self.shared = modules_with_shared_data(Path(config.rootpath) / "tests")

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if module in self.shared else nodeid
