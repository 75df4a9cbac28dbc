#!/usr/bin/env bash
# Throwaway RabbitMQ nodes as plain processes (no systemd, no Docker).
#
#   rabbitmq.sh start DIR PORT [MGMT_PORT]   # start a node, wait until it is ready
#   rabbitmq.sh stop  DIR                    # stop it; no error if not running
#
# Everything the node writes lives under DIR (mnesia/, log/, rabbitmq.pid,
# rabbitmq.conf, enabled_plugins, .erlang.cookie). A new DIR is a fresh broker;
# starting the same DIR again after a stop is a broker restart: durable queues
# and their messages survive, as they would on a real one. The node name is
# derived from DIR, so two DIRs are two independent nodes side by side.
# Everything listens on 127.0.0.1 only: AMQP on PORT, the management API
# (guest/guest) on MGMT_PORT when given, Erlang distribution on a port picked
# here (epmd itself stays on 127.0.0.1:4369, shared by all nodes).
#
# Environment:
#   RABBITMQ_OWNER_PID   tie the node to a process (a test host): once it is
#                        gone, the node is stopped and DIR deleted.
set -euo pipefail

log() { echo "rabbitmq.sh: $*" >&2; }
die() { log "$*"; exit 1; }

SCRIPT=$(readlink -f "$0")
RMQ_BIN=/usr/lib/rabbitmq/bin
[[ -x $RMQ_BIN/rabbitmq-server ]] || die "rabbitmq-server is not installed; run infra/services/install.sh rabbitmq"

usage() { die "usage: rabbitmq.sh start DIR PORT [MGMT_PORT] | stop DIR"; }

port_in_use() { (exec 5<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The CLI tools take distribution ports DIST+10000..DIST+10010, so DIST stays
# low enough for those to exist.
pick_dist_port() {
    local p i
    for i in $(seq 1 100); do
        p=$((20000 + RANDOM % 5000))
        port_in_use "$p" || { echo "$p"; return; }
    done
    die "no free distribution port found"
}

# Every setting ENVIRONMENT.md lists for a loopback-only node with its state in DIR.
node_env() {
    export HOME=$DIR
    export RABBITMQ_NODENAME="rabbit-$(echo -n "$DIR" | sha1sum | cut -c1-10)@localhost"
    export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export ERL_EPMD_ADDRESS=127.0.0.1
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    export RABBITMQ_MNESIA_BASE=$DIR/mnesia
    export RABBITMQ_LOG_BASE=$DIR/log
    export RABBITMQ_PID_FILE=$DIR/rabbitmq.pid
    export RABBITMQ_CONFIG_FILE=$DIR/rabbitmq.conf
    export RABBITMQ_ENABLED_PLUGINS_FILE=$DIR/enabled_plugins
    [[ -f $DIR/dist_port ]] && export RABBITMQ_DIST_PORT=$(cat "$DIR/dist_port")
    return 0
}

# The server refuses to share files with root; run it and its CLI as rabbitmq,
# keeping the environment above (runuser -u keeps it, except HOME, reset here).
as_rmq() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u rabbitmq -- env HOME="$DIR" "$@"
    else
        "$@"
    fi
}

prepare_dir() {
    local port=$1 mgmt=$2
    mkdir -p "$DIR/mnesia" "$DIR/log"
    [[ -f $DIR/dist_port ]] || pick_dist_port >"$DIR/dist_port"
    {
        echo "listeners.tcp.default = 127.0.0.1:$port"
        if [[ -n $mgmt ]]; then
            echo "management.tcp.ip = 127.0.0.1"
            echo "management.tcp.port = $mgmt"
        fi
    } >"$DIR/rabbitmq.conf"
    if [[ -n $mgmt ]]; then echo "[rabbitmq_management]." >"$DIR/enabled_plugins"; else echo "[]." >"$DIR/enabled_plugins"; fi
    if [[ $(id -u) -eq 0 ]]; then
        chown -R rabbitmq:rabbitmq "$DIR"
        local d
        d=$(dirname "$DIR")
        while [[ $d != / ]]; do
            runuser -u rabbitmq -- test -x "$d" || { log "chmod o+x $d (so rabbitmq can reach $DIR)"; chmod o+x "$d"; }
            d=$(dirname "$d")
        done
    fi
}

start_reaper() {
    [[ -n ${RABBITMQ_OWNER_PID:-} ]] || return 0
    [[ $RABBITMQ_OWNER_PID =~ ^[0-9]+$ ]] || die "RABBITMQ_OWNER_PID must be a process id"
    log "will stop the node and delete $DIR when process $RABBITMQ_OWNER_PID exits"
    setsid bash -c '
        while [[ -e /proc/$1 ]] && ! grep -q "^State:.*zombie" "/proc/$1/status" 2>/dev/null; do sleep 1; done
        bash "$2" stop "$3"
        rm -rf "$3"
    ' reaper "$RABBITMQ_OWNER_PID" "$SCRIPT" "$DIR" </dev/null >/dev/null 2>&1 &
}

cmd_start() {
    local port=${1:-} mgmt=${2:-}
    [[ $port =~ ^[0-9]+$ ]] || usage
    [[ -z $mgmt || $mgmt =~ ^[0-9]+$ ]] || usage
    port_in_use "$port" && die "port $port is already in use"
    [[ -z $mgmt ]] || ! port_in_use "$mgmt" || die "management port $mgmt is already in use"
    prepare_dir "$port" "$mgmt"
    node_env
    log "starting $RABBITMQ_NODENAME on 127.0.0.1:$port${mgmt:+ (management 127.0.0.1:$mgmt)}; logs in $DIR/log"
    as_rmq "$RMQ_BIN/rabbitmq-server" -detached </dev/null >>"$DIR/log/startup.log" 2>&1
    # `wait` first: await_startup alone fails while the node has not registered yet.
    if ! as_rmq "$RMQ_BIN/rabbitmqctl" -q wait --timeout 120 "$RABBITMQ_PID_FILE" >&2 ||
        ! as_rmq "$RMQ_BIN/rabbitmqctl" -q await_startup --timeout 120 >&2; then
        tail -n 30 "$DIR/log/startup.log" "$DIR"/log/*.log >&2 2>/dev/null || true
        die "node not ready after 120 s; see $DIR/log"
    fi
    start_reaper
    log "ready"
}

cmd_stop() {
    node_env
    if [[ -f $RABBITMQ_PID_FILE ]] && kill -0 "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null; then
        as_rmq "$RMQ_BIN/rabbitmqctl" -q stop "$RABBITMQ_PID_FILE" >&2
    else
        log "not running"
    fi
    # Refuses (harmlessly) while another node is still registered with epmd.
    epmd -kill >/dev/null 2>&1 || true
}

[[ $# -ge 2 ]] || usage
CMD=$1
DIR=$(readlink -f "$2")
shift 2
case $CMD in
    start) cmd_start "$@" ;;
    stop) cmd_stop ;;
    *) usage ;;
esac
