#!/usr/bin/env bash
# The server profile's services on this machine: PostgreSQL, RabbitMQ (with management) and s3rver on 127.0.0.1,
# state under DIR, for trying the `server` profile locally or for tests. MLflow and Seq cannot run here, so the
# printed settings keep tracking embedded (in PostgreSQL) and logs local.
#
#   local.sh up DIR     # install if needed, start all three, create the bucket, write DIR/pipeline.env
#   local.sh down DIR   # stop all three; state stays in DIR (`up` again restarts on it)
#
#   source DIR/pipeline.env && ./pipeline config check --connect
#
# Ports: PG_PORT (55432), AMQP_PORT (55672), MGMT_PORT (55673), S3_PORT (54569); bucket S3_BUCKET (pipeline).
set -euo pipefail

log() { echo "local.sh: $*" >&2; }
die() { log "$*"; exit 1; }

HERE=$(dirname "$(readlink -f "$0")")
[[ $# -eq 2 ]] || die "usage: local.sh up DIR | down DIR"
CMD=$1
DIR=$(mkdir -p "$2" && readlink -f "$2")
PG_PORT=${PG_PORT:-55432} AMQP_PORT=${AMQP_PORT:-55672} MGMT_PORT=${MGMT_PORT:-55673} S3_PORT=${S3_PORT:-54569}
S3_BUCKET=${S3_BUCKET:-pipeline}

case $CMD in
up)
    # install.sh is idempotent but slow to ask apt; skip it when everything is already there.
    if ! { ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && command -v rabbitmq-server >/dev/null && [[ -d $HERE/s3rver/node_modules ]]; }; then
        "$HERE/install.sh" postgres rabbitmq s3rver
    fi
    "$HERE/postgres.sh" start "$DIR/postgres" "$PG_PORT" >/dev/null
    "$HERE/rabbitmq.sh" start "$DIR/rabbitmq" "$AMQP_PORT" "$MGMT_PORT"
    "$HERE/s3rver.sh" start "$DIR/s3rver" "$S3_PORT"
    # s3rver takes an unsigned bucket PUT; 409 means it exists already.
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "http://127.0.0.1:$S3_PORT/$S3_BUCKET")
    [[ $code == 200 || $code == 409 ]] || die "creating bucket $S3_BUCKET on s3rver answered HTTP $code"
    cat >"$DIR/pipeline.env" <<ENV
export PIPELINE__PROFILE=server
export PIPELINE__STORE='Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=postgres'
export PIPELINE__S3__SERVICEURL=http://127.0.0.1:$S3_PORT
export PIPELINE__S3__BUCKET=$S3_BUCKET
export PIPELINE__S3__ACCESSKEY=S3RVER
export PIPELINE__S3__SECRETKEY=S3RVER
export PIPELINE__BUS__PORT=$AMQP_PORT
export PIPELINE__TRACKING__STORE=Embedded
ENV
    log "PostgreSQL :$PG_PORT, RabbitMQ :$AMQP_PORT (management http://127.0.0.1:$MGMT_PORT, guest/guest), s3rver :$S3_PORT bucket $S3_BUCKET"
    log "settings: source $DIR/pipeline.env"
    ;;
down)
    "$HERE/s3rver.sh" stop "$DIR/s3rver" || true
    "$HERE/rabbitmq.sh" stop "$DIR/rabbitmq" || true
    "$HERE/postgres.sh" stop "$DIR/postgres" || true
    log "stopped; state kept in $DIR"
    ;;
*) die "usage: local.sh up DIR | down DIR" ;;
esac
