#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests and for trying the PostgreSQL backend by hand.
#
#   scripts/dev/postgres.sh start   initdb into a temporary folder, start on a free localhost port,
#                                   create the database and a user with a random password, print the URL
#   scripts/dev/postgres.sh env     print `export AJ_SESSIONS_TEST_PG_URL=… _USER=… _PASSWORD=…` lines
#   scripts/dev/postgres.sh stop    stop the server and delete the folder
#
# The folder is $AJ_SESSIONS_PG_DIR (default: $TMPDIR/aj-sessions-pg-$UID). Run as root, the server runs as the
# `postgres` account (initdb refuses root) and the folder is owned by it. Installs Debian's postgresql package if no
# /usr/lib/postgresql/*/bin/initdb exists. fsync stays on (the server's default): the tests measure a real server.
# Try it:   eval "$(scripts/dev/postgres.sh start >/dev/null && scripts/dev/postgres.sh env)"
set -euo pipefail

dir=${AJ_SESSIONS_PG_DIR:-${TMPDIR:-/tmp}/aj-sessions-pg-$(id -u)}
db=aj_sessions_test
user=aj_sessions

find_bin() {
    local initdb
    initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$initdb" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "postgres.sh: installing Debian's postgresql package" >&2
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
    fi
    [ -n "$initdb" ] || { echo "postgres.sh: no PostgreSQL server found (/usr/lib/postgresql/*/bin/initdb)" >&2; exit 2; }
    bin=$(dirname "$initdb")
}

# runs a command as the server's owner: `postgres` when we are root, ourselves otherwise
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    find_bin
    if [ -f "$dir/port" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "jdbc:postgresql://127.0.0.1:$(cat "$dir/port")/$db"
        return
    fi
    rm -rf "$dir"
    (umask 077 && mkdir -p "$dir")
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    local password port
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    port=$(free_port)
    (umask 077 && printf '%s\n' "$password" >"$dir/password" && printf '%s\n' "$port" >"$dir/port")
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir/password" "$dir/port"; fi
    # local socket (in the owner-only folder) trusted for the setup below; TCP needs the password
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=on -c max_connections=100" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE $user LOGIN CREATEDB PASSWORD '$password'" \
        -c "CREATE DATABASE $db OWNER $user" >/dev/null
    echo "jdbc:postgresql://127.0.0.1:$port/$db"
}

env_lines() {
    [ -f "$dir/port" ] || { echo "postgres.sh: not started ($dir)" >&2; exit 2; }
    echo "export AJ_SESSIONS_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$(cat "$dir/port")/$db"
    echo "export AJ_SESSIONS_TEST_PG_USER=$user"
    echo "export AJ_SESSIONS_TEST_PG_PASSWORD=$(cat "$dir/password")"
}

stop() {
    [ -d "$dir" ] || return 0
    find_bin
    if [ -d "$dir/data" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    env) env_lines ;;
    stop) stop ;;
    *) echo "usage: $0 start|env|stop" >&2; exit 2 ;;
esac
