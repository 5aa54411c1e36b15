"""The suite's end-of-test emptying (tests/flush.py) leaves the database as Django's flush
does: every table empty but the content types and permissions, which stay as migrate
wrote them, guarded tables included (the audit trail refuses a DELETE)."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts import audit

from .flush import KEPT, empty_database
from .world import build_world


def _counts():
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {connection.ops.quote_name(t)}" for t in tables)
        )
        return dict(cursor.fetchall())


def _world_with_an_audit_trail():
    world = build_world()
    with transaction.atomic():
        audit.record(actor=world.teacher, action="mark.create", obj=world.lessons[0], after={"value": "5"})
    return world


def _kept_rows():
    return (
        sorted(ContentType.objects.values_list("id", "app_label", "model")),
        sorted(Permission.objects.values_list("id", "codename", "content_type_id")),
    )


@pytest.mark.django_db(transaction=True)
def test_emptying_leaves_the_tables_as_flush_does_and_keeps_content_types_and_permissions():
    before = _kept_rows()
    _world_with_an_audit_trail()
    filled = {t for t, n in _counts().items() if n and t not in KEPT}
    assert {"accounts_auditevent", "journal_enrollment", "journal_lesson"} <= filled

    empty_database()
    emptied = _counts()
    assert _kept_rows() == before

    _world_with_an_audit_trail()
    call_command("flush", verbosity=0, interactive=False)
    flushed = _counts()

    assert emptied == flushed
    assert all(n == 0 for t, n in emptied.items() if t not in KEPT)
    assert emptied["django_content_type"] == len(before[0]) > 0


@pytest.mark.django_db(transaction=True)
def test_an_empty_database_is_left_as_it_is():
    empty_database()
    assert all(n == 0 for t, n in _counts().items() if t not in KEPT)


@pytest.mark.django_db(transaction=True)
def test_a_closed_years_records_are_emptied_too():
    """The closed-year triggers (docs/DESIGN.md §3.25) refuse a DELETE while the year is
    closed: the emptying reopens the years first, and DELETEs their rows like the rest."""
    from journal.services import year_closure

    world = _world_with_an_audit_trail()
    after_the_year = timezone.make_aware(datetime.combine(world.year.end + timedelta(days=1), time(12)))
    year_closure.close_year(world.director, world.year, "Закрыт для проверки очистки", now=after_the_year)
    empty_database()
    assert all(n == 0 for t, n in _counts().items() if t not in KEPT)
