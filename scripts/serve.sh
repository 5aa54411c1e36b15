#!/usr/bin/env bash
# The web server, the Celery worker and Celery beat, each restarted whenever it exits.
#
# scripts/run.sh (`make run`) starts this after the services; the fault tests start it on
# their own Redis and the test database. It never starts or stops PostgreSQL or Redis:
# whatever a child does, only TERM/INT to this script (Ctrl-C, `make stop`) ends it.
#
# A child that exits is started again after 1 s, then 2, 4 … up to 30 s while it keeps
# exiting within a minute of its start (a broker or database still down, a port taken);
# each restart is logged: "== 12:00:01 serve: worker exited (code 1) after 4 s; restarting in 1 s".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BIN=${BIN:-$ROOT/.venv/bin}
export PORT=${PORT:-8000}
RUN_DIR=${SERVE_RUN_DIR:-$ROOT/var/run}  # <name>.pid of each running child
BEAT_SCHEDULE=${BEAT_SCHEDULE:-$ROOT/var/celerybeat-schedule}
mkdir -p "$RUN_DIR"

log() { echo "== $(date '+%H:%M:%S') serve: $*" >&2; }

supervise() {  # supervise <name> <command...>
  local name=$1; shift
  local child="" delay=1 started rc
  # shellcheck disable=SC2317  # called by the trap
  stop_child() {
    # TERM: gunicorn finishes its requests, the worker its tasks; after STOP_TIMEOUT the whole
    # process group (a worker's pool processes too) is killed.
    if [ -n "$child" ]; then
      kill -TERM "$child" 2>/dev/null
      local waited=0
      while kill -0 "$child" 2>/dev/null && [ "$waited" -lt $((${STOP_TIMEOUT:-30} * 5)) ]; do
        sleep 0.2
        waited=$((waited + 1))
      done
      kill -KILL -- "-$child" 2>/dev/null
      wait "$child" 2>/dev/null
    fi
    rm -f "$RUN_DIR/$name.pid"
    exit 0
  }
  trap stop_child TERM INT
  while :; do
    started=$SECONDS
    # setsid: its own session, so a Ctrl-C in the terminal reaches this script, which stops
    # the children in order, and not the children directly (they would be "restarted").
    setsid "$@" &
    child=$!
    echo "$child" >"$RUN_DIR/$name.pid"
    wait "$child"
    rc=$?
    # What a crashed parent leaves behind (gunicorn workers, a worker's pool processes) goes too.
    kill -KILL -- "-$child" 2>/dev/null
    child=""
    if [ $((SECONDS - started)) -ge 60 ]; then delay=1; fi
    log "$name exited (code $rc) after $((SECONDS - started)) s; restarting in $delay s"
    sleep "$delay" &
    wait $!
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
}

pids=()
# shellcheck disable=SC2317  # called by the trap
stop_all() {
  trap - TERM INT
  log "stopping web, worker and beat"
  kill -TERM "${pids[@]}" 2>/dev/null
  wait
  exit 0
}
trap stop_all TERM INT

supervise web "$BIN/gunicorn" -c ejournal/gunicorn.conf.py ejournal.wsgi:application &
pids+=($!)
supervise worker "$BIN/celery" -A ejournal worker --loglevel=warning \
  --concurrency="${CELERY_CONCURRENCY:-2}" -n "worker@%h" &
pids+=($!)
supervise beat "$BIN/celery" -A ejournal beat --loglevel=warning --schedule "$BEAT_SCHEDULE" --pidfile= &
pids+=($!)
wait
