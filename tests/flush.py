"""Emptying the test database after a transactional test, in a fraction of Django's time.

Django's `TransactionTestCase` (pytest-django's `transactional_db`, `live_server`: the
browser, worker and concurrency tests) ends each test with `manage.py flush`: one
TRUNCATE of all 80 tables, then the post_migrate signal that writes the content types
and permissions back. A TRUNCATE gives every table and index a new file: 0.3–2 s a test
on this 2-core machine, for tables that hold a few dozen rows or none.

`empty_database` leaves the database as flush does (the state right after `migrate`),
faster:
- it finds the tables that hold rows (one query) and DELETEs from those, with the
  foreign keys deferred (Django makes them DEFERRABLE INITIALLY DEFERRED);
- tables whose row triggers refuse a DELETE (the append-only audit trail, archive items
  kept for their term) are TRUNCATEd, as flush does: TRUNCATE does
  not fire row triggers, and the schema owner, whom the suite connects as, may run it;
- closed years' records are refused only while their year is closed: the years are
  reopened first, then their rows are DELETEd like the rest;
- content types and permissions are what post_migrate would write again: they are kept,
  so their ids (cached by accounts.permissions) stay valid.

tests/test_flush.py proves the result equals Django's flush.
"""

from django.db import connections, transaction

# What `migrate` leaves in an empty database and flush's post_migrate writes again.
KEPT = frozenset({"django_content_type", "auth_permission"})

_GUARDED = """
SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE NOT t.tgisinternal AND (t.tgtype & 8) = 8
  AND t.tgname NOT IN ('journal_closed_year_guard', 'journal_academicyear_closed_guard')
"""  # triggers that fire on DELETE (TRIGGER_TYPE_DELETE = 8): TRUNCATE fires none of them.
# The closed-year guards (journal/migrations/0011_year_closure.py) refuse only while a year
# is closed: the years are reopened first, and their tables are DELETEd like the others.
_REOPEN = "UPDATE journal_academicyear SET is_closed = false WHERE is_closed"
_guarded_by_database = {}  # the migrations' triggers: the same for a database all run long


def empty_database(alias="default"):
    connection = connections[alias]
    quote = connection.ops.quote_name
    tables = [
        t for t in connection.introspection.django_table_names(only_existing=True, include_views=False) if t not in KEPT
    ]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(t)})" for t in tables), tables)
        filled = [row[0] for row in cursor.fetchall()]
        if not filled:
            return
        name = connection.settings_dict["NAME"]
        if name not in _guarded_by_database:
            cursor.execute(_GUARDED)
            _guarded_by_database[name] = {row[0] for row in cursor.fetchall()}
        guarded = _guarded_by_database[name]
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if "journal_academicyear" in filled:
            cursor.execute(_REOPEN)
        truncate = [t for t in filled if t in guarded]
        if truncate:
            # CASCADE: a table that references a truncated one is emptied with it (flush's
            # single TRUNCATE of every table does the same).
            cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in truncate)} CASCADE")
        for table in filled:
            if table not in guarded:
                cursor.execute(f"DELETE FROM {quote(table)}")


def install():
    """Make every TransactionTestCase (and pytest-django's transactional fixtures) end
    with `empty_database` instead of flush, unless it asks for what only flush does."""
    from django.test import TransactionTestCase

    django_teardown = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        if self.available_apps is not None or self.serialized_rollback or self.reset_sequences:
            return django_teardown(self)
        for alias in self._databases_names(include_mirrors=False):
            empty_database(alias)

    TransactionTestCase._fixture_teardown = _fixture_teardown
