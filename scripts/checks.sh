#!/usr/bin/env bash
# The habits CI checks before the tests: lint, format, migrations in step with the
# models, and Django's deployment checks with production-like settings. Fails on the
# first problem, naming it. Needs no database or Redis.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BIN=${BIN:-.venv/bin}
failed=0
step() {  # step <what> <command...>
  local what=$1; shift
  if ! out=$("$@" 2>&1); then
    echo "== check failed: $what" >&2
    echo "$out" | tail -n 40 >&2
    failed=1
  fi
}
step "ruff check (make format fixes most)" "$BIN/ruff" check .
step "ruff format --check (run make format)" "$BIN/ruff" format --check .
# Production-like: DEBUG off, TLS on, a real secret and host; every warning fails.
prod=(env -u DJANGO_ALLOW_ASYNC_UNSAFE DJANGO_SETTINGS_MODULE=ejournal.settings DEBUG=false HTTPS=true ALLOWED_HOSTS=journal.example.org
  SECRET_KEY="ci-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')")
step "makemigrations --check (a model change has no migration)" \
  "${prod[@]}" "$BIN/python" manage.py makemigrations --check --dry-run --no-input
step "check --deploy (production settings warn)" \
  "${prod[@]}" "$BIN/python" manage.py check --deploy --fail-level WARNING
[ "$failed" = 0 ] && echo "== checks passed: ruff, format, migrations, check --deploy"
exit "$failed"
