#!/usr/bin/env bash
# Web server, Celery worker and Celery beat together; Ctrl-C stops all of it.
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

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo "== stopping"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/services.sh stop
}
trap cleanup INT TERM EXIT

$BIN/gunicorn ejournal.wsgi:application --bind "127.0.0.1:$PORT" --workers "${WEB_WORKERS:-3}" \
  --access-logfile - --log-level warning &
pids+=($!)
$BIN/celery -A ejournal worker --loglevel=warning --concurrency="${CELERY_CONCURRENCY:-2}" -n "worker@%h" &
pids+=($!)
$BIN/celery -A ejournal beat --loglevel=warning --schedule var/celerybeat-schedule --pidfile= &
pids+=($!)
wait -n "${pids[@]}" || true
