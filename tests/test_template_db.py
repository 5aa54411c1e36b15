"""The test databases are copies of one migrated template (tests/template_db.py)."""

import shutil
from pathlib import Path

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from . import template_db


def test_the_workers_database_is_a_copy_of_the_template_with_every_migration_applied(db):
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    with connection.cursor() as cur:
        cur.execute("SELECT current_database()")
        (name,) = cur.fetchone()
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template_db.template_name()])
        assert cur.fetchone() is not None
    assert name == connection.settings_dict["NAME"] != template_db.template_name()


def test_a_changed_migration_names_another_template(settings, tmp_path):
    root = Path(settings.BASE_DIR)
    for path in root.glob("*/migrations/*.py"):
        copy = tmp_path / path.relative_to(root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    shutil.copyfile(root / "requirements.txt", tmp_path / "requirements.txt")
    settings.BASE_DIR = tmp_path
    same = template_db.digest()
    assert same == template_db.digest()
    changed = tmp_path / "journal" / "migrations" / "0001_initial.py"
    changed.write_text(changed.read_text() + "\n# changed\n")
    assert template_db.digest() != same
    (tmp_path / "requirements.txt").write_text("Django==9.9\n")
    assert len({same, template_db.digest()}) == 2
