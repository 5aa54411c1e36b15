"""ORM queries compiled to SQL once per process and shape, then run with each request's values.

The queries every signed-in page runs (the menu's roles, the unread counters) are built by
the ORM from several subqueries; building and compiling them took longer than PostgreSQL
took to answer them. The queryset stays their one definition: `first_row(key, build, **values)`
calls `build` once per `key` with placeholder values (integers and moments nobody uses),
compiles it, remembers which parameters are which placeholder, and from then on runs the
SQL with the request's values in their place.

`build` must give the same SQL whatever the values: anything that changes the query's
shape, such as a role, belongs in `key`, and a None value is a shape of its own (`IS NULL`).
A placeholder written into the SQL text instead of passed as a parameter fails loudly.
"""

from datetime import UTC, datetime

from django.db import connections

_COMPILED: dict = {}
_INT_BASE = -7_301_000_000_000


def _placeholders(values: dict) -> dict:
    """A placeholder per value; None stays None (`= NULL` is not `IS NULL`: part of the shape)."""
    out = {}
    for i, (name, value) in enumerate(sorted(values.items()), 1):
        if value is None:
            out[name] = None
        elif isinstance(value, datetime):
            out[name] = datetime(1901, 1, 1, 0, 0, 0, i, tzinfo=UTC)
        elif isinstance(value, int) and not isinstance(value, bool):
            out[name] = _INT_BASE - i
        else:
            raise TypeError(f"prepared queries take integers and moments, not {name}={value!r}")
    return out


def _compile(build, values: dict):
    marks = _placeholders(values)
    qs = build(**marks)[:1]
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    by_mark = {(type(v), v): name for name, v in marks.items() if v is not None}
    slots = []
    for p in params:
        name = by_mark.get((type(p), p))
        slots.append((True, name) if name is not None else (False, p))
    for name, mark in marks.items():
        if isinstance(mark, int) and str(mark) in sql:
            raise ValueError(f"prepared query: {name} was written into the SQL, not passed as a parameter")
    return qs.db, sql, tuple(slots)


def first_row(key, build, **values) -> dict | None:
    """The first row of `build(**values)` (a `.values()` queryset), as a dict."""
    shape = (key, frozenset(name for name, value in values.items() if value is None))
    compiled = _COMPILED.get(shape)
    if compiled is None:
        compiled = _COMPILED[shape] = _compile(build, values)
    db, sql, slots = compiled
    params = [values[p] if is_mark else p for is_mark, p in slots]
    with connections[db].cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        return {col.name: value for col, value in zip(cur.description, row, strict=True)}
