"""`make test`, and so `.ci/run`, starts with scripts/checks.sh: a lint error, a model
change without its migration and a warning of Django's deployment checks each fail it,
naming what failed. Each case runs the script on a copy of this checkout with one fault."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def checkout(tmp_path):
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    copy = tmp_path / "checkout"
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    for installed in (".venv", "node_modules"):
        (copy / installed).symlink_to(ROOT / installed)
    return copy


def run_checks(checkout, *steps, **env):
    return subprocess.run(
        ["scripts/checks.sh", *steps],
        cwd=checkout,
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_checks_pass_on_this_checkout(checkout):
    done = run_checks(checkout)
    assert done.returncode == 0, done.stderr
    assert "checks passed: lint format migrations deploy" in done.stdout


def test_a_lint_error_fails_the_checks(checkout):
    (checkout / "accounts" / "lint_probe.py").write_text("import os\n")
    done = run_checks(checkout, "lint", "format")
    assert done.returncode == 1
    assert "check failed: ruff check" in done.stderr
    assert "F401" in done.stderr  # `os` imported but unused


def test_a_model_change_without_a_migration_fails_the_checks(checkout):
    models = checkout / "diary" / "models.py"
    models.write_text(
        models.read_text() + "\n\nclass Probe(models.Model):\n    name = models.CharField(max_length=5)\n"
    )
    done = run_checks(checkout, "migrations")
    assert done.returncode == 1
    assert "check failed: makemigrations" in done.stderr
    assert "Create model Probe" in done.stderr


def test_a_deployment_warning_fails_the_checks(checkout):
    done = run_checks(checkout, "deploy", SECURE_HSTS_SECONDS="0")  # an operator turned HSTS off
    assert done.returncode == 1
    assert "check failed: check --deploy" in done.stderr
    assert "security.W004" in done.stderr


def test_make_test_runs_the_checks_before_the_suite():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ntest:\n", 1)[1].split("\n\n", 1)[0]
    lines = [line.strip() for line in recipe.splitlines()]
    checks = next(i for i, line in enumerate(lines) if line.startswith("@scripts/checks.sh"))
    assert checks < next(i for i, line in enumerate(lines) if "pytest" in line)
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")
