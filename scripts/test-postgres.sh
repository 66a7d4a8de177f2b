#!/usr/bin/env bash
# Starts (or reuses) a throwaway PostgreSQL server on loopback for the integration tests and
# prints its SQLAlchemy URL. Installs PostgreSQL from the system packages when it is missing.
#   scripts/test-postgres.sh start   # prints postgresql+asyncpg://postgres@127.0.0.1:54329/postgres
#   scripts/test-postgres.sh stop
set -euo pipefail

port="${INSPECTION_READY_TEST_POSTGRES_PORT:-54329}"
data_dir="${INSPECTION_READY_TEST_POSTGRES_DIR:-/tmp/inspection-ready-test-pg-$(id -u)}"
url="postgresql+asyncpg://postgres@127.0.0.1:${port}/postgres"

log() { echo "test-postgres: $*" >&2; }

find_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

install_postgres() {
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL is not installed and this is not root; install the 'postgresql' package."
    exit 1
  fi
  log "installing PostgreSQL from the system packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
}

# PostgreSQL refuses to run as root, so root runs it as the 'postgres' system user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  bin_dir="$(find_bin_dir)"
  if [ -z "$bin_dir" ]; then install_postgres; bin_dir="$(find_bin_dir)"; fi
  if [ ! -s "$data_dir/PG_VERSION" ]; then
    mkdir -p "$data_dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$data_dir"
    as_owner "$bin_dir/initdb" -D "$data_dir" -U postgres -A trust --no-sync >/dev/null
  fi
  if ! as_owner "$bin_dir/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
    as_owner "$bin_dir/pg_ctl" -D "$data_dir" -l "$data_dir/server.log" -w -t 60 start \
      -o "-h 127.0.0.1 -p $port -k $data_dir -c fsync=off -c full_page_writes=off" >/dev/null \
      || { log "PostgreSQL did not start; its log follows"; cat "$data_dir/server.log" >&2; exit 1; }
  fi
  echo "$url"
}

stop() {
  bin_dir="$(find_bin_dir)"
  [ -n "$bin_dir" ] && [ -d "$data_dir" ] || exit 0
  as_owner "$bin_dir/pg_ctl" -D "$data_dir" -m fast stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
