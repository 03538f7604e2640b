#!/usr/bin/env bash
# Runs a command with the real services the test suites use, started here and stopped after.
#
# PostgreSQL: when CAIRN_TEST_POSTGRES_URL is unset and Debian's PostgreSQL binaries are
# installed (apt-get install -y postgresql), a throwaway cluster is started on loopback for the
# duration of the command (packages/server/scripts/postgres-test-server.sh). Without the
# binaries the PostgreSQL variants are skipped loudly, except under CI=true, where a missing
# PostgreSQL is an error: CI must test both databases.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_dir=""
cleanup() {
  if [[ -n "$pg_dir" ]]; then bash packages/server/scripts/postgres-test-server.sh stop "$pg_dir"; fi
}
trap cleanup EXIT

if [[ -z "${CAIRN_TEST_POSTGRES_URL:-}" ]]; then
  if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    eval "$(bash packages/server/scripts/postgres-test-server.sh start)"
    pg_dir="$CAIRN_TEST_POSTGRES_DIR"
  elif [[ "${CI:-}" == "true" ]]; then
    echo "with-test-services: CI=true but PostgreSQL is not installed (apt-get install -y postgresql)" >&2
    exit 1
  fi
fi

"$@"
