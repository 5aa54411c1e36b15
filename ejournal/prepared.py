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

`objects(key, build, **values)` does the same for a queryset of model instances (with its
select_related objects and annotations), built from the rows as Django's ModelIterable
builds them: the access helpers every journal page starts with (journal/access/core.py),
the session's user (accounts/backends.py) and the journal's pupils (journal/grid.py).

They run with server-side binding (`_cursor`), so psycopg prepares each after a few runs
(prepare_threshold, ejournal/settings/databases.py) and PostgreSQL plans it once per
connection, kept by the pool or CONN_MAX_AGE. Django's default client-side
binding writes the values into the SQL text, a new plan every time: the lesson access
query's nine-table join took 2.7 ms to plan and 0.2 ms to run.
"""

from datetime import UTC, date, datetime

import psycopg
from django.db import connections, router
from django.db.models.query import get_related_populators

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
        elif isinstance(value, date):
            out[name] = date(1000 + i, 1, 1)
        elif isinstance(value, int) and not isinstance(value, bool):
            out[name] = _INT_BASE - i
        else:
            raise TypeError(f"prepared queries take integers, dates and moments, not {name}={value!r}")
    return out


def _slots(sql, params, marks, *, every=False):
    """Which parameter is which value; with `every`, a value the SQL does not take as a
    parameter fails too (a value the ORM converted would otherwise be run as the placeholder)."""
    by_mark = {(type(v), v): name for name, v in marks.items() if v is not None}
    slots, seen = [], set()
    for p in params:
        name = by_mark.get((type(p), p))
        slots.append((True, name) if name is not None else (False, p))
        seen.add(name)
    for name, mark in marks.items():
        if isinstance(mark, int) and str(mark) in sql:
            raise ValueError(f"prepared query: {name} was written into the SQL, not passed as a parameter")
        if every and mark is not None and name not in seen:
            raise ValueError(f"prepared query: {name} is not among the SQL's parameters")
    return tuple(slots)


def _compile(build, values: dict):
    marks = _placeholders(values)
    qs = build(**marks)[:1]
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    return qs.model, sql, _slots(sql, params, marks)


def _cursor(db):
    """A server-side binding cursor of Django's connection, wrapped as Django wraps its own
    (execute_wrapper, error translation). Where queries are logged (DEBUG, a test's
    CaptureQueriesContext) Django's own cursor runs them: the log wants each query's text
    with its values, which psycopg does not keep for a prepared statement."""
    conn = connections[db]
    if conn.queries_logged:
        return conn.cursor()
    conn.close_if_health_check_failed()
    conn.ensure_connection()
    conn.validate_thread_sharing()
    return conn.make_cursor(psycopg.Cursor(conn.connection))


def first_row(key, build, **values) -> dict | None:
    """The first row of `build(**values)` (a `.values()` queryset), as a dict."""
    shape = (key, frozenset(name for name, value in values.items() if value is None))
    compiled = _COMPILED.get(shape)
    if compiled is None:
        compiled = _COMPILED[shape] = _compile(build, values)
    model, sql, slots = compiled
    params = [values[p] if is_mark else p for is_mark, p in slots]
    # The database is the router's choice now, not when the SQL was compiled (the replica
    # for a diary page, the primary otherwise: ejournal/routers.py).
    with _cursor(router.db_for_read(model)) as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        return {col.name: value for col, value in zip(cur.description, row, strict=True)}


class _Objects:
    """A compiled queryset of model instances: its SQL, and what ModelIterable reads from
    its compiler to build the instances (the compiler is only read after as_sql)."""

    def __init__(self, build, values: dict):
        marks = _placeholders(values)
        qs = build(**marks)
        if qs._known_related_objects or qs._prefetch_related_lookups or qs._fields is not None:
            raise ValueError("prepared objects: a plain queryset of model instances only")
        self.compiler = compiler = qs.query.get_compiler(using=qs.db)
        self.sql, params = compiler.as_sql()
        self.slots = _slots(self.sql, params, marks, every=True)
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, qs.db)
        self.annotations = tuple(compiler.annotation_col_map.items())

    def run(self, values: dict) -> list:
        params = [values[p] if is_mark else p for is_mark, p in self.slots]
        db = router.db_for_read(self.model)
        with _cursor(db) as cur:
            cur.execute(self.sql, params)
            rows = cur.fetchall()
        out = []
        model, start, end, init_list = self.model, self.start, self.end, self.init_list
        for row in self.compiler.results_iter([rows]):
            obj = model.from_db(db, init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, pos in self.annotations:
                setattr(obj, name, row[pos])
            out.append(obj)
        return out


def objects(key, build, **values) -> list:
    """The model instances `build(**values)` gives (a queryset, select_related and annotations
    welcome, no prefetch_related), from SQL compiled once per `key` and shape."""
    shape = (key, frozenset(name for name, value in values.items() if value is None))
    compiled = _COMPILED.get(shape)
    if compiled is None:
        compiled = _COMPILED[shape] = _Objects(build, values)
    return compiled.run(values)


def first_object(key, build, **values):
    """The first instance of `objects(...)`, or None; `build` should ask for one row ([:1])."""
    found = objects(key, build, **values)
    return found[0] if found else None
