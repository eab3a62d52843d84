#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on 127.0.0.1 for the storage tests and prints its URL.
# Installs the Debian server package when missing. The cluster lives in a temporary folder owned by
# the postgres user; the server listens on loopback only.
set -euo pipefail
port=${PGPORT_TEST:-55432}
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
data=${PGDATA_TEST:-/tmp/noticedesk-pg}
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    as_pg "$bin/initdb -D $data -U noticedesk --auth=trust -E UTF8 --locale=C.UTF-8" >&2
fi
if ! as_pg "$bin/pg_ctl -D $data status" >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl -D $data -l $data/server.log -w -o \"-h 127.0.0.1 -p $port -k /tmp\" start" >&2
fi
as_pg "$bin/psql -h 127.0.0.1 -p $port -U noticedesk -d postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='noticedesk_test'\"" \
    | grep -q 1 || as_pg "$bin/createdb -h 127.0.0.1 -p $port -U noticedesk noticedesk_test" >&2
echo "postgresql+psycopg://noticedesk@127.0.0.1:$port/noticedesk_test"
