"""The role × URL × object matrix: every URL of the project has at least one row.

Each app keeps its rows in `tests/access_matrix/<app>.py` as `ROWS = [Row(...), ...]`.
tests/test_access_matrix.py walks the URLconf and fails for any URL name without a
row, then requests each row as every persona of tests/world.py and as an anonymous
visitor (who must be sent to the login page, unless `public=True`).

    Row(
        "journal:grid",                       # URL name
        kwargs=lambda w: {"pk": w.assignment.pk},   # built from the World
        expect={"teacher": 200, "class_teacher": 200, "deputy": 200, "director": 200},
        default=404,                          # every persona not in expect
        method="GET",                         # or "POST" with data=lambda w: {...}
    )

Out-of-scope objects are rows of their own (e.g. kwargs with w.foreign_lesson.pk and
expect={} → 404 for everyone).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Row:
    name: str
    kwargs: Callable | None = None
    expect: dict = field(default_factory=dict)
    default: int = 404
    method: str = "GET"
    data: Callable | None = None
    public: bool = False
    headers: dict = field(default_factory=dict)
    query: Callable | None = None
    note: str = ""

    def status_for(self, persona: str) -> int:
        return self.expect.get(persona, self.default)
