#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for @cairn/server's tests from Debian's binaries
# (apt-get install -y postgresql). It installs nothing: it runs initdb + pg_ctl on a temporary
# directory, listening only on 127.0.0.1, with durability switched off (fsync=off: test data only).
#
#   start:  eval "$(bash packages/server/scripts/postgres-test-server.sh start)"
#           -> exports CAIRN_TEST_POSTGRES_URL and CAIRN_TEST_POSTGRES_DIR
#   stop:   bash packages/server/scripts/postgres-test-server.sh stop "$CAIRN_TEST_POSTGRES_DIR"
#
# PostgreSQL refuses to run as root; when run as root the cluster is owned by and run as the
# `postgres` system user (created by the Debian package), falling back to `nobody`.
# Environment: CAIRN_PG_PORT (default: first free port from 55432).
set -euo pipefail

cmd="${1:-start}"

pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
    echo "postgres-test-server: no PostgreSQL binaries under /usr/lib/postgresql/*/bin; run: apt-get update && apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "$bin"
}

run_as_owner() {
  if [[ "$(id -u)" == "0" ]]; then
    local user=postgres
    id -u postgres >/dev/null 2>&1 || user=nobody
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

owner_of_dir() {
  if [[ "$(id -u)" == "0" ]]; then
    if id -u postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
  else
    id -un
  fi
}

port_free() {
  ! (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

case "$cmd" in
  start)
    bin="$(pg_bin)"
    port="${CAIRN_PG_PORT:-}"
    if [[ -z "$port" ]]; then
      port=55432
      while ! port_free "$port"; do port=$((port + 1)); done
    fi
    dir="$(mktemp -d /tmp/cairn-pg.XXXXXX)"
    chmod 700 "$dir"
    chown "$(owner_of_dir)" "$dir"
    run_as_owner "$bin/initdb" -D "$dir/data" -U cairn -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2; exit 1; }
    run_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "export CAIRN_TEST_POSTGRES_URL=postgres://cairn@127.0.0.1:$port/postgres"
    echo "export CAIRN_TEST_POSTGRES_DIR=$dir"
    echo "postgres-test-server: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir" >&2
    ;;
  stop)
    dir="${2:?usage: postgres-test-server.sh stop DIR}"
    bin="$(pg_bin)"
    if [[ -d "$dir/data" ]]; then
      run_as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    case "$dir" in /tmp/cairn-pg.*) rm -rf "$dir" ;; esac
    ;;
  *)
    echo "usage: postgres-test-server.sh start | stop DIR" >&2
    exit 2
    ;;
esac
