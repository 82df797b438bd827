#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the benchmark, in a temporary folder,
# on a free port of 127.0.0.1 (Debian's postgresql package; scripts/setup.sh installs it).
#
#   eval "$(bash scripts/postgres.sh start)"   # sets MANJU_TEST_POSTGRES=postgres://…, MANJU_PG_DIR
#   bash scripts/postgres.sh stop "$MANJU_PG_DIR"
#
# As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail

die() { echo "postgres: $*" >&2; exit 1; }

bin=$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -1 || true)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || die "no PostgreSQL server (initdb): run scripts/setup.sh, or apt-get install postgresql"

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "${1:-}" in
start)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/manju-pg.XXXXXX")
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # --no-sync: a throwaway cluster need not survive the machine; the server itself
    # still fsyncs every commit (fsync=on), as the durability test wants.
    as_pg "$bin/initdb" -D "$dir/data" -U manju -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=on -c synchronous_commit=on" \
        start >/dev/null || { cat "$dir/server.log" >&2; die "the server did not start"; }
    echo "export MANJU_PG_DIR='$dir'"
    echo "export MANJU_TEST_POSTGRES='postgres://manju@127.0.0.1:$port/postgres'"
    ;;
stop)
    dir=${2:?usage: postgres.sh stop <dir>}
    [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*)
    die "usage: postgres.sh start | stop <dir>"
    ;;
esac
