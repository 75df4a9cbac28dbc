#!/usr/bin/env bash
# Throwaway PostgreSQL clusters as plain processes (no systemd, no Docker).
#
#   postgres.sh start  DIR [PORT]   # initdb if needed, start, print the connection string
#   postgres.sh status DIR          # print the connection string if running, else exit 3
#   postgres.sh stop   DIR          # fast shutdown; no error if not running
#
# Layout under DIR: data/ (PGDATA), sock/ (unix socket), postgres.log.
# The server listens on 127.0.0.1 only; user postgres, password postgres.
# stdout carries exactly one line (the Npgsql connection string), so callers
# can capture it; everything else goes to stderr.
#
# Environment:
#   PG_FAST=1            fsync/synchronous_commit/full_page_writes off (tests).
#                        Default keeps them on so benchmarks stay honest.
#   PG_MAX_CONNECTIONS   default 200.
#   PG_OWNER_PID         tie the cluster to a process (e.g. a test host): once
#                        that process is gone, the cluster is stopped and DIR
#                        deleted, however the process ended (vstest kills its
#                        test hosts ~100 ms after the run, often before
#                        ProcessExit handlers finish).
#   PG_BIN               server binaries, default /usr/lib/postgresql/15/bin.
set -euo pipefail

# Keep the real stdout on fd 3 for the one result line; route everything else
# (initdb chatter, pg_ctl progress) to stderr.
exec 3>&1 1>&2

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

SCRIPT=$(readlink -f "$0")
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[[ -x $PG_BIN/pg_ctl ]] || die "no PostgreSQL in $PG_BIN; run infra/services/install.sh postgres"

# The server refuses to run as root, so as root every server command runs as
# the postgres OS user; as anyone else it runs as that user.
# 3>&-: the server daemon must not inherit our stdout (fd 3), or a caller
# reading it ($(...), a redirected Process) would wait for EOF forever.
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' OS user; run infra/services/install.sh postgres"
    as_pg() { runuser -u postgres -- "$@" 3>&-; }
    OWNER=postgres
else
    as_pg() { "$@" 3>&-; }
    OWNER=$(id -un)
fi

usage() { die "usage: postgres.sh start DIR [PORT] | status DIR | stop DIR"; }

conn_string() { echo "Host=127.0.0.1;Port=$1;Username=postgres;Password=postgres;Database=postgres" >&3; }

is_running() { [[ -f $DATA/PG_VERSION ]] && as_pg "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

# Line 4 of postmaster.pid is the port the running server listens on.
running_port() { sed -n 4p "$DATA/postmaster.pid"; }

port_in_use() { (exec 5<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Random port below Linux's ephemeral range (32768+), so it does not collide
# with outgoing connections; a race with another process is handled by the
# retry in cmd_start.
pick_port() {
    local p i
    for i in $(seq 1 100); do
        p=$((20000 + RANDOM % 12000))
        port_in_use "$p" || { echo "$p"; return; }
    done
    die "no free port found"
}

# Make DIR usable by the server user: it owns the cluster dir, and must be
# able to traverse every parent (e.g. a 0700 mktemp dir under /tmp).
prepare_dir() {
    mkdir -p "$DIR/sock"
    if [[ $(id -u) -eq 0 ]]; then
        chown -R postgres:postgres "$DIR"
        local d
        d=$(dirname "$DIR")
        while [[ $d != / ]]; do
            runuser -u postgres -- test -x "$d" || { log "chmod o+x $d (so postgres can reach $DIR)"; chmod o+x "$d"; }
            d=$(dirname "$d")
        done
    fi
}

init_cluster() {
    log "initdb $DATA"
    local pwfile="$DIR/.pwfile" sync=()
    [[ ${PG_FAST:-0} == 1 ]] && sync=(--no-sync)
    echo postgres >"$pwfile"
    chmod 600 "$pwfile"
    chown "$OWNER" "$pwfile"
    # scram for TCP (what the tests use); trust on the private unix socket so
    # local tooling (psql -h DIR/sock) needs no password.
    as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" \
        -A scram-sha-256 --auth-local=trust -E UTF8 --locale=C "${sync[@]}" >&2
    rm -f "$pwfile"
}

# pg_ctl passes -o through /bin/sh, hence the single quotes around the path.
server_options() {
    local port=$1
    local opts="-c listen_addresses=127.0.0.1 -p $port -k '$DIR/sock'"
    opts+=" -c max_connections=${PG_MAX_CONNECTIONS:-200}"
    # Log lines a human can read later; the log file itself is pg_ctl -l.
    opts+=" -c log_line_prefix='%m [%p] %q%u@%d '"
    if [[ ${PG_FAST:-0} == 1 ]]; then
        # Durability is pointless for a cluster that is deleted afterwards.
        opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    echo "$opts"
}

wait_ready() {
    local port=$1 i
    for i in $(seq 1 120); do
        "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" && return 0
        sleep 1
    done
    die "server on port $port not ready after 120 s; see $DIR/postgres.log"
}

# A detached watcher (own session, so Ctrl-C or a killed parent does not take
# it along) polls the owner and cleans up after it. Its stdio and our fd 3 are
# closed so it never holds a caller's pipe open.
start_reaper() {
    [[ -n ${PG_OWNER_PID:-} ]] || return 0
    [[ $PG_OWNER_PID =~ ^[0-9]+$ ]] || die "PG_OWNER_PID must be a process id"
    log "will stop the cluster and delete $DIR when process $PG_OWNER_PID exits"
    # A killed owner can linger as a zombie until its parent reaps it; that
    # counts as gone.
    setsid bash -c '
        while [[ -e /proc/$1 ]] && ! grep -q "^State:.*zombie" "/proc/$1/status" 2>/dev/null; do sleep 1; done
        bash "$2" stop "$3"
        rm -rf "$3"
    ' reaper "$PG_OWNER_PID" "$SCRIPT" "$DIR" </dev/null >/dev/null 2>&1 3>&- &
}

cmd_start() {
    local want_port=${1:-} port attempt
    if is_running; then
        port=$(running_port)
        [[ -z $want_port || $want_port == "$port" ]] || log "already running on port $port (ignoring $want_port)"
        log "already running on port $port"
        conn_string "$port"
        return
    fi
    prepare_dir
    [[ -f $DATA/PG_VERSION ]] || init_cluster
    # Unix socket paths are limited to 107 bytes.
    (( ${#DIR} + 20 < 107 )) || die "DIR too long for a unix socket path: $DIR"
    local log_size
    for attempt in 1 2 3 4 5; do
        port=$want_port
        # Reuse the port of the last run if it is still free, so a restarted
        # cluster keeps its address.
        if [[ -z $port && -f $DIR/port ]] && ! port_in_use "$(cat "$DIR/port")"; then
            port=$(cat "$DIR/port")
        fi
        [[ -n $port ]] || port=$(pick_port)
        log "starting on 127.0.0.1:$port (log: $DIR/postgres.log)"
        log_size=$(stat -c %s "$DIR/postgres.log" 2>/dev/null || echo 0)
        if as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -w -t 120 \
            -o "$(server_options "$port")" start >&2; then
            echo "$port" >"$DIR/port"
            start_reaper
            wait_ready "$port"
            conn_string "$port"
            return
        fi
        rm -f "$DIR/port"
        # A port we picked ourselves may have been taken in the meantime (the
        # check above is racy): try another. An explicit PORT is not retried.
        [[ -z $want_port ]] || break
        tail -c +$((log_size + 1)) "$DIR/postgres.log" 2>/dev/null |
            grep -q 'could not bind\|could not create any TCP/IP sockets' || break
        log "port $port taken, retrying"
    done
    tail -n 20 "$DIR/postgres.log" >&2 2>/dev/null || true
    die "pg_ctl start failed; see $DIR/postgres.log"
}

cmd_status() {
    is_running || { log "not running"; exit 3; }
    conn_string "$(running_port)"
}

cmd_stop() {
    if is_running; then
        as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 120 stop >&2
    else
        log "not running"
    fi
}

[[ $# -ge 2 ]] || usage
CMD=$1
DIR=$2
shift 2
[[ $DIR != *"'"* ]] || die "DIR must not contain a single quote"
if [[ ! -d $DIR ]]; then
    [[ $CMD == start ]] || { log "no cluster in $DIR"; [[ $CMD == stop ]] && exit 0 || exit 3; }
    mkdir -p "$DIR"
fi
DIR=$(cd "$DIR" && pwd)
DATA=$DIR/data
# Commands run as postgres inherit the cwd; make sure it is one they can enter.
cd "$DIR"

case $CMD in
    start) cmd_start "${1:-}" ;;
    status) cmd_status ;;
    stop) cmd_stop ;;
    *) usage ;;
esac
