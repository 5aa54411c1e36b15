"""Issue 18, F9: no production start on the development SECRET_KEY.

Without SECRET_KEY the settings fall back to a key that is in the repository; whoever
reads it forges sessions and unsubscribe links. With DEBUG off that key is a system
check error, and the web and Celery refuse to start on it with a message that says
what to set; with a real key and HTTPS on, `check --deploy` stays clean.
"""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from ejournal.settings import DEV_SECRET_KEY

from .child_env import child_env

PYTHON = sys.executable
NO_KEY = {"SECRET_KEY": "", "DEBUG": "false"}  # an empty variable beats a key in var/env


def _env(**overrides):
    env = child_env(**overrides)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the tests' own, a deployment error of its own
    return env


def _run(*args, **env):
    return subprocess.run(
        [PYTHON, *args], cwd=settings.BASE_DIR, env=_env(**env), capture_output=True, text=True, timeout=120
    )


@override_settings(DEBUG=False, SECRET_KEY=DEV_SECRET_KEY)
def test_the_development_key_is_a_system_check_error_with_debug_off():
    with pytest.raises(SystemCheckError) as exc:
        call_command("check")
    assert "ejournal.E001" in str(exc.value) and "SECRET_KEY is not set" in str(exc.value)


@override_settings(DEBUG=True, SECRET_KEY=DEV_SECRET_KEY)
def test_a_developer_with_debug_on_may_use_it():
    call_command("check")


def test_the_web_refuses_to_start_without_a_key():
    done = _run("-c", "import ejournal.wsgi", **NO_KEY)
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr and "secrets.token_urlsafe" in done.stderr


def test_manage_py_refuses_to_migrate_without_a_key():
    done = _run("manage.py", "migrate", "--check", **NO_KEY)
    assert done.returncode != 0
    assert "ejournal.E001" in done.stderr


def test_check_deploy_names_the_missing_key_and_passes_with_a_real_one():
    https = {"HTTPS": "true", "ALLOWED_HOSTS": "journal.example.org"}
    done = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **https, **NO_KEY)
    assert done.returncode != 0 and "ejournal.E001" in done.stderr

    real_key = "k" + "9aF3xQ7mZ2pL8wR4tY6uV1nB5cH0jD" * 2
    done = _run(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", **https, DEBUG="false", SECRET_KEY=real_key
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_refuses_to_start_without_a_key(service, tmp_path):
    # Were it to start after all, beat writes its schedule into the test's own directory.
    args = {"worker": ["worker", "-n", "refused@%h"], "beat": ["beat", "--schedule", str(tmp_path / "s"), "--pidfile="]}
    done = subprocess.run(
        [f"{settings.BASE_DIR}/.venv/bin/celery", "-A", "ejournal", *args[service], "--loglevel=warning"],
        cwd=settings.BASE_DIR,
        env=_env(**NO_KEY),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stdout + done.stderr
