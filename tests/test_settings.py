"""Production hashes passwords with Argon2; only the test settings trade it for speed."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

from .child_env import child_env

ROOT = Path(__file__).resolve().parent.parent

HASH = "import django; django.setup()\nfrom django.contrib.auth.hashers import make_password\nprint(make_password('x'))"


def test_production_settings_hash_passwords_with_argon2():
    done = subprocess.run(
        [sys.executable, "-c", HASH], cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip().startswith("argon2$argon2id$")


def test_the_suite_runs_with_the_test_settings_and_still_verifies_argon2_hashes():
    assert settings.SETTINGS_MODULE == "ejournal.settings.test"
    assert settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")
    # passwords set by a child process with the production settings (the demo seed) verify here
    assert "django.contrib.auth.hashers.Argon2PasswordHasher" in settings.PASSWORD_HASHERS
