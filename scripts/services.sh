#!/usr/bin/env bash
# Project-local PostgreSQL and Redis under var/, unless DATABASE_URL / REDIS_URL are given.
# usage: scripts/services.sh start|stop|status
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR="$ROOT/var"
PG_PORT=${EJ_PG_PORT:-54329}
REDIS_PORT=${EJ_REDIS_PORT:-63799}
mkdir -p "$VAR/log" "$VAR/run"

as_root() { [ "$(id -u)" = 0 ]; }

need_apt() {  # need_apt <binary-or-path> <debian packages...>
  local probe=$1; shift
  if ! { command -v "$probe" >/dev/null 2>&1 || [ -e "$probe" ]; }; then
    if as_root; then
      echo "== installing $* (apt)"
      [ -n "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock | head -1)" ] || apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || {
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
    else
      echo "Missing $probe. Install it with: sudo apt-get install -y $*" >&2
      exit 1
    fi
  fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
# initdb refuses root: run the server as the postgres user when we are root.
# (from /: the postgres user may not enter the checkout, and says so on every call)
pg_run() { if as_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# As root the server runs as `postgres`, which cannot enter a checkout under a private
# home (/root is 0700): then the cluster lives in /var/lib/ejournal and var/pg links to it.
pg_home() {
  if as_root && ! (cd / && runuser -u postgres -- test -x "$VAR") 2>/dev/null; then
    local outside="/var/lib/ejournal/$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
    mkdir -p "$outside/pg" "$outside/run" "$outside/log"
    [ -L "$VAR/pg" ] || { [ -e "$VAR/pg" ] || ln -s "$outside/pg" "$VAR/pg"; }
    echo "$outside"
  else
    echo "$VAR"
  fi
}

start_pg() {
  [ -z "${DATABASE_URL:-}" ] || return 0
  [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || need_apt /usr/lib/postgresql/15/bin/initdb postgresql
  local bin; bin=$(pg_bin)
  local home; home=$(pg_home)
  if [ ! -s "$home/pg/PG_VERSION" ]; then
    echo "== creating PostgreSQL cluster in var/pg"
    mkdir -p "$home/pg"
    as_root && chown -R postgres "$home/pg" "$home/run" "$home/log"
    pg_run "$bin/initdb" -D "$home/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$home/log/initdb.log"
  fi
  as_root && chown postgres "$home/run" "$home/log"
  if ! pg_run "$bin/pg_ctl" -D "$home/pg" status >/dev/null 2>&1; then
    pg_run "$bin/pg_ctl" -D "$home/pg" -l "$home/log/postgresql.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $home/run -c fsync=${EJ_PG_FSYNC:-on}" start >/dev/null
  fi
  local psql=("$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qtA)
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='ejournal'")" ]; then
    "${psql[@]}" -c "CREATE ROLE ejournal LOGIN PASSWORD 'ejournal' CREATEDB"
  fi
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname='ejournal'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE ejournal OWNER ejournal"
  fi
}

start_redis() {
  [ -z "${REDIS_URL:-}" ] || return 0
  need_apt redis-server redis-server
  mkdir -p "$VAR/redis"
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$VAR/redis" --daemonize yes \
      --pidfile "$VAR/run/redis.pid" --logfile "$VAR/log/redis.log" --save 60 1 >/dev/null
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
}

stop_all() {
  if [ -z "${REDIS_URL:-}" ] && redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  fi
  if [ -z "${DATABASE_URL:-}" ] && [ -s "$VAR/pg/PG_VERSION" ]; then
    pg_run "$(pg_bin)/pg_ctl" -D "$(pg_home)/pg" -m fast stop >/dev/null 2>&1 || true
  fi
}

case "${1:-start}" in
  start) start_pg; start_redis ;;
  stop) stop_all ;;
  status)
    [ -n "${DATABASE_URL:-}" ] || pg_run "$(pg_bin)/pg_ctl" -D "$(pg_home)/pg" status || true
    [ -n "${REDIS_URL:-}" ] || redis-cli -p "$REDIS_PORT" ping || true ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
