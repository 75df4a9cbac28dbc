#!/usr/bin/env bash
# A throwaway S3 endpoint (s3rver, pinned in s3rver/package.json) as a plain background process.
#
#   s3rver.sh start DIR PORT   # serve DIR on 127.0.0.1:PORT; returns once the port accepts connections
#   s3rver.sh stop  DIR        # stop the server started for DIR; no error if not running
#
# Layout under DIR: data/ (buckets and objects), s3rver.pid, s3rver.log.
# Credentials: any (S3RVER/S3RVER by convention); path-style addressing, region us-east-1.
# Needs node and infra/services/s3rver/node_modules: run `infra/services/install.sh s3rver` first.
#
# Environment:
#   S3RVER_OWNER_PID   tie the server to a process (e.g. a test host): once that process is gone, the server
#                      is stopped and DIR deleted, however the process ended.
set -euo pipefail

log() { echo "s3rver.sh: $*" >&2; }
die() { log "$*"; exit 1; }

SCRIPT=$(readlink -f "$0")
HERE=$(dirname "$SCRIPT")
ENTRY=$HERE/s3rver/node_modules/s3rver/bin/s3rver.js

usage() { die "usage: s3rver.sh start DIR PORT | stop DIR"; }

port_open() { (exec 5<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

is_running() { [[ -f $DIR/s3rver.pid ]] && kill -0 "$(cat "$DIR/s3rver.pid")" 2>/dev/null; }

start_reaper() {
    [[ -n ${S3RVER_OWNER_PID:-} ]] || return 0
    [[ $S3RVER_OWNER_PID =~ ^[0-9]+$ ]] || die "S3RVER_OWNER_PID must be a process id"
    setsid bash -c '
        while [[ -e /proc/$1 ]] && ! grep -q "^State:.*zombie" "/proc/$1/status" 2>/dev/null; do sleep 1; done
        bash "$2" stop "$3"
        rm -rf "$3"
    ' reaper "$S3RVER_OWNER_PID" "$SCRIPT" "$DIR" </dev/null >/dev/null 2>&1 &
}

cmd_start() {
    local port=$1 pid i
    [[ $port =~ ^[0-9]+$ ]] || usage
    command -v node >/dev/null 2>&1 || die "node not found; run infra/services/install.sh s3rver"
    [[ -f $ENTRY ]] || die "s3rver not installed ($ENTRY missing); run infra/services/install.sh s3rver"
    is_running && die "already running for $DIR (pid $(cat "$DIR/s3rver.pid"))"
    port_open "$port" && die "port $port is already in use"
    mkdir -p "$DIR/data"
    # setsid + closed stdio: the server outlives this script and holds no caller's pipe open.
    setsid node "$ENTRY" -d "$DIR/data" -a 127.0.0.1 -p "$port" --silent \
        </dev/null >"$DIR/s3rver.log" 2>&1 &
    pid=$!
    echo "$pid" >"$DIR/s3rver.pid"
    # Ready in ~0.5 s when idle; allow 60 s for a busy 2-core machine.
    for i in $(seq 1 600); do
        if port_open "$port"; then
            log "ready on 127.0.0.1:$port (pid $pid, data $DIR/data)"
            start_reaper
            return
        fi
        kill -0 "$pid" 2>/dev/null || { cat "$DIR/s3rver.log" >&2; die "s3rver exited during startup"; }
        sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    die "s3rver not listening on port $port after 60 s; see $DIR/s3rver.log"
}

cmd_stop() {
    if ! is_running; then
        log "not running"
        rm -f "$DIR/s3rver.pid"
        return
    fi
    local pid i
    pid=$(cat "$DIR/s3rver.pid")
    kill "$pid"
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$DIR/s3rver.pid"; return; }
        sleep 0.1
    done
    log "pid $pid ignored SIGTERM for 10 s; sending SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$DIR/s3rver.pid"
}

[[ $# -ge 2 ]] || usage
CMD=$1
DIR=$2
case $CMD in
    start)
        [[ $# -eq 3 ]] || usage
        mkdir -p "$DIR"
        DIR=$(cd "$DIR" && pwd)
        cmd_start "$3"
        ;;
    stop)
        [[ -d $DIR ]] || { log "no server in $DIR"; exit 0; }
        DIR=$(cd "$DIR" && pwd)
        cmd_stop
        ;;
    *) usage ;;
esac
