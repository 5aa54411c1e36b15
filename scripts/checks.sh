#!/usr/bin/env bash
# The habits CI checks before the tests: lint, format, migrations in step with the
# models, and Django's deployment checks with production-like settings. Fails on the
# problem, naming it. Needs no database or Redis.
# usage: scripts/checks.sh [lint] [format] [migrations] [deploy]   (no argument: all four)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BIN=${BIN:-.venv/bin}
failed=0
wanted=${*:-lint format migrations deploy}
step() {  # step <name> <what> <command...>
  local name=$1 what=$2; shift 2
  [[ " $wanted " == *" $name "* ]] || return 0
  if ! out=$("$@" 2>&1); then
    echo "== check failed: $what" >&2
    echo "$out" | tail -n 40 >&2
    failed=1
  fi
}
step lint "ruff check (make format fixes most)" "$BIN/ruff" check .
step format "ruff format --check (run make format)" "$BIN/ruff" format --check .
# Production-like: DEBUG off, TLS on, a real secret and host; every warning fails.
prod=(env -u DJANGO_ALLOW_ASYNC_UNSAFE DJANGO_SETTINGS_MODULE=ejournal.settings DEBUG=false HTTPS=true ALLOWED_HOSTS=journal.example.org
  SECRET_KEY="ci-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')")
step migrations "makemigrations --check (a model change has no migration)" \
  "${prod[@]}" "$BIN/python" manage.py makemigrations --check --dry-run --no-input
step deploy "check --deploy (production settings warn)" \
  "${prod[@]}" "$BIN/python" manage.py check --deploy --fail-level WARNING
[ "$failed" = 0 ] && echo "== checks passed: $wanted"
exit "$failed"
