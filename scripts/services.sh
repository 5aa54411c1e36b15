#!/usr/bin/env bash
# Project-local PostgreSQL and Redis under var/, unless DATABASE_URL / REDIS_URL are given.
# usage: scripts/services.sh start|stop|status|replica-start|replica-stop [--remove]
#
# Both listen only on Unix sockets inside this checkout (no TCP port), so any number of
# checkouts run `make run` and `make test` side by side. Where the sockets are is written
# to var/local.env, which the settings read.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR="$ROOT/var"
mkdir -p "$VAR/log" "$VAR/run"
REDIS_SOCK="$VAR/run/redis.sock"

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

# A Unix socket path must fit in 107 bytes (sun_path); say so instead of failing obscurely.
check_socket_path() {
  if [ ${#1} -gt 100 ]; then
    echo "The checkout path is too deep for a Unix socket ($1: ${#1} characters, at most 100)." >&2
    echo "Clone it to a shorter path, or give DATABASE_URL / REDIS_URL of running servers." >&2
    exit 1
  fi
}

write_local_env() {
  {
    echo "# written by scripts/services.sh: where this checkout's own services listen"
    [ -n "${DATABASE_URL:-}" ] || echo "EJ_PG_HOST=$(pg_home)/run"
    [ -n "${REDIS_URL:-}" ] || echo "EJ_REDIS_SOCKET=$REDIS_SOCK"
  } >"$VAR/local.env.tmp"
  mv "$VAR/local.env.tmp" "$VAR/local.env"
}

start_pg() {
  [ -z "${DATABASE_URL:-}" ] || return 0
  [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || need_apt /usr/lib/postgresql/15/bin/initdb postgresql
  local bin; bin=$(pg_bin)
  local home; home=$(pg_home)
  check_socket_path "$home/run/.s.PGSQL.5432"
  if [ ! -s "$home/pg/PG_VERSION" ]; then
    echo "== creating PostgreSQL cluster in var/pg"
    mkdir -p "$home/pg"
    as_root && chown -R postgres "$home/pg" "$home/run" "$home/log"
    pg_run "$bin/initdb" -D "$home/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$home/log/initdb.log"
  fi
  as_root && chown postgres "$home/run" "$home/log"
  # A cluster started by an older checkout listened on TCP: restart it on the socket.
  if pg_run "$bin/pg_ctl" -D "$home/pg" status >/dev/null 2>&1 && [ ! -S "$home/run/.s.PGSQL.5432" ]; then
    pg_run "$bin/pg_ctl" -D "$home/pg" -m fast -w stop >/dev/null
  fi
  if ! pg_run "$bin/pg_ctl" -D "$home/pg" status >/dev/null 2>&1; then
    # listen_addresses='': no TCP at all, only the socket in this checkout's run/.
    if ! pg_run "$bin/pg_ctl" -D "$home/pg" -l "$home/log/postgresql.log" -w -t 60 \
      -o "-p 5432 -c listen_addresses='' -k $home/run -c fsync=${EJ_PG_FSYNC:-on}" start >/dev/null; then
      echo "PostgreSQL of this checkout did not start; the end of $home/log/postgresql.log:" >&2
      tail -n 15 "$home/log/postgresql.log" >&2
      exit 1
    fi
  fi
  local psql=("$bin/psql" -h "$home/run" -p 5432 -U postgres -qtA)
  # Two roles (docs/ARCHIVE.md): `ejournal` owns the schema (migrations, backups, restore
  # drills; CREATEDB for test and scratch databases); `ejournal_app` is what the web, the
  # worker and beat connect as: it owns nothing and gets its DML from `manage.py migrate`.
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='ejournal'")" ]; then
    "${psql[@]}" -c "CREATE ROLE ejournal LOGIN PASSWORD 'ejournal' CREATEDB"
  fi
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='ejournal_app'")" ]; then
    "${psql[@]}" -c "CREATE ROLE ejournal_app LOGIN PASSWORD 'ejournal_app' NOCREATEDB NOCREATEROLE"
  fi
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname='ejournal'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE ejournal OWNER ejournal"
  fi
}

start_redis() {
  [ -z "${REDIS_URL:-}" ] || return 0
  need_apt redis-server redis-server
  check_socket_path "$REDIS_SOCK"
  mkdir -p "$VAR/redis"
  if ! redis-cli -s "$REDIS_SOCK" ping >/dev/null 2>&1; then
    # port 0: no TCP; the socket is this checkout's own.
    redis-server --port 0 --unixsocket "$REDIS_SOCK" --unixsocketperm 700 --dir "$VAR/redis" --daemonize yes \
      --pidfile "$VAR/run/redis.pid" --logfile "$VAR/log/redis.log" --save 60 1 >/dev/null
    for _ in $(seq 50); do redis-cli -s "$REDIS_SOCK" ping >/dev/null 2>&1 && break; sleep 0.1; done
    if ! redis-cli -s "$REDIS_SOCK" ping >/dev/null 2>&1; then
      echo "Redis of this checkout did not start; the end of var/log/redis.log:" >&2
      tail -n 15 "$VAR/log/redis.log" >&2
      exit 1
    fi
  fi
}

# A streaming replica of this checkout's PostgreSQL (docs/DEPLOY.md "A read replica"): a
# second cluster of the same Debian binaries, copied with pg_basebackup and following the
# primary's WAL. It listens on the socket directory `<primary's>-replica` (DB_REPLICA=1).
start_replica() {
  [ -z "${DATABASE_URL:-}" ] || { echo "DATABASE_URL is given: its replica is DATABASE_REPLICA_URL" >&2; exit 1; }
  start_pg
  exec 9>"$VAR/run/replica.lock" && flock 9  # one replica per checkout, started once
  local home bin
  home=$(pg_home); bin=$(pg_bin)
  mkdir -p "$home/run-replica"
  as_root && chown postgres "$home/run-replica"
  if [ ! -f "$home/pg-replica/standby.signal" ]; then
    rm -rf "$home/pg-replica"
    mkdir -p "$home/pg-replica" && chmod 700 "$home/pg-replica"
    as_root && chown postgres "$home/pg-replica"
    # -R writes primary_conninfo and standby.signal: the copy starts as a hot standby.
    pg_run "$bin/pg_basebackup" -h "$home/run" -p 5432 -U postgres -D "$home/pg-replica" -R -X stream -c fast
  fi
  if ! pg_run "$bin/pg_ctl" -D "$home/pg-replica" status >/dev/null 2>&1; then
    # 9>&-: the server must not inherit (and hold for ever) the lock
    if ! pg_run "$bin/pg_ctl" -D "$home/pg-replica" -l "$home/log/replica.log" -w -t 60 \
      -o "-p 5432 -c listen_addresses='' -k $home/run-replica -c hot_standby=on" start >/dev/null 9>&-; then
      echo "The replica did not start; the end of $home/log/replica.log:" >&2
      tail -n 15 "$home/log/replica.log" >&2
      exit 1
    fi
  fi
  echo "$home/run-replica"
}

stop_replica() {
  exec 9>"$VAR/run/replica.lock" && flock 9
  local home
  home=$(pg_home)
  [ -f "$home/pg-replica/PG_VERSION" ] || return 0
  pg_run "$(pg_bin)/pg_ctl" -D "$home/pg-replica" -m fast stop >/dev/null 2>&1 || true
  [ "${1:-}" != "--remove" ] || rm -rf "$home/pg-replica"
}

stop_all() {
  # A running `make run` stops its web, worker and beat first (and then the services itself).
  local run_pid
  if run_pid=$(cat "$VAR/run/run.pid" 2>/dev/null) && kill -0 "$run_pid" 2>/dev/null; then
    kill -TERM "$run_pid" 2>/dev/null || true
    for _ in $(seq 200); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.2; done
  fi
  if [ -z "${REDIS_URL:-}" ] && redis-cli -s "$REDIS_SOCK" ping >/dev/null 2>&1; then
    redis-cli -s "$REDIS_SOCK" shutdown >/dev/null 2>&1 || true
  fi
  if [ -z "${DATABASE_URL:-}" ] && [ -s "$VAR/pg/PG_VERSION" ]; then
    stop_replica
    pg_run "$(pg_bin)/pg_ctl" -D "$(pg_home)/pg" -m fast stop >/dev/null 2>&1 || true
  fi
}

case "${1:-start}" in
  start) start_pg; start_redis; write_local_env ;;
  stop) stop_all ;;
  replica-start) start_replica ;;
  # --remove: the copy goes too (the next start takes a fresh base backup)
  replica-stop) stop_replica "${2:-}" ;;
  status)
    [ -n "${DATABASE_URL:-}" ] || pg_run "$(pg_bin)/pg_ctl" -D "$(pg_home)/pg" status || true
    [ -n "${REDIS_URL:-}" ] || redis-cli -s "$REDIS_SOCK" ping || true ;;
  *) echo "usage: $0 start|stop|status|replica-start|replica-stop [--remove]" >&2; exit 2 ;;
esac
