#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite's PostgreSQL pass.
#   scripts/test-postgres.sh start   -> prints the SQLAlchemy URL of its maintenance database
#   scripts/test-postgres.sh stop    -> stops it and removes its files
# Uses the OS's PostgreSQL server (Debian: apt-get install postgresql); exits 3 when
# there is none.  Trust authentication on 127.0.0.1 only, fsync off: for tests, not data.
set -euo pipefail
dir="${MEDBILL_PG_DIR:-${TMPDIR:-/tmp}/medbill-test-pg}"
port="${MEDBILL_PG_PORT:-55432}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bin" ] && command -v pg_ctl >/dev/null; then bin="$(dirname "$(command -v pg_ctl)")"; fi
if [ -z "$bin" ]; then
  echo "no PostgreSQL server is installed (Debian: apt-get install postgresql)" >&2
  exit 3
fi

as_owner() {  # initdb and postgres refuse to run as root
  # from /: the postgres user may not enter the checkout (a clone in a 0700 folder)
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case "${1:-}" in
  start)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir" && mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U medbill --auth=trust -E UTF8 >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
      start >/dev/null
    echo "postgresql+psycopg://medbill@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
