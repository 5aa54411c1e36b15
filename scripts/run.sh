#!/usr/bin/env bash
# Web server, Celery worker and Celery beat together (supervised by scripts/serve.sh);
# Ctrl-C or `make stop` stops all of it, PostgreSQL and Redis included.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PORT=${PORT:-8000}
BIN=.venv/bin

# The web port is the one TCP port a checkout takes: say who holds it instead of failing later.
if holder=$(ss -Hltnp "sport = :$PORT" 2>/dev/null) && [ -n "$holder" ]; then
  echo "Port $PORT is taken: $(echo "$holder" | grep -o 'users:(.*)' || echo "$holder")" >&2
  echo "Stop that program or choose another port: PORT=8080 make run" >&2
  exit 1
fi

$BIN/python manage.py seed_demo --if-empty
echo
echo "ejournal: http://127.0.0.1:$PORT/"
$BIN/python manage.py demo_logins
echo

# The three processes run under scripts/serve.sh, which restarts any that exits. Nothing
# they do stops PostgreSQL or Redis: only Ctrl-C here, or `make stop`, does.
echo $$ >var/run/run.pid
serve=""
cleanup() {
  trap '' INT TERM  # a second Ctrl-C (or make passing one on) must not cut the stop short
  trap - EXIT
  echo "== stopping"
  if [ -n "$serve" ]; then kill -TERM "$serve" 2>/dev/null || true; wait "$serve" 2>/dev/null || true; fi
  rm -f var/run/run.pid
  scripts/services.sh stop
}
trap cleanup INT TERM EXIT

PORT=$PORT scripts/serve.sh &
serve=$!
wait "$serve" || true
