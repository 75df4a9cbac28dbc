#!/usr/bin/env bash
# Idempotent installer for the services the tests need.
#
#   infra/services/install.sh              # every known component
#   infra/services/install.sh postgres     # only the named ones
#
# Each component is a function install_<name> that returns at once when the
# component is already present, so running this before every test run is a
# cheap no-op. CI machines start bare; this machine already has most of it.
# To add a component (rabbitmq, s3rver, chromium, torch, ...): write an
# install_<name> function and append <name> to KNOWN below.
set -euo pipefail

# Everything below must run unattended: as root, no TTY, no stdin (CI).
export DEBIAN_FRONTEND=noninteractive

KNOWN=(postgres torch s3rver compose rabbitmq chromium)

log() { echo "install.sh: $*" >&2; }

# apt-get needs root; fall back to sudo for a developer running as themselves.
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else SUDO=(false); fi
fi

has_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# `apt-get update` costs 10+ s, so it runs at most once per invocation and only
# when something is actually missing.
APT_UPDATED=0
apt_install() {
    if [[ $APT_UPDATED -eq 0 ]]; then
        log "apt-get update"
        "${SUDO[@]}" apt-get update -qq >&2
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    # --no-upgrade: never touch a package that is already there;
    # --no-install-recommends: keeps the install small and fast.
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends --no-upgrade "$@" >&2
}

install_postgres() {
    if has_deb postgresql-15 && [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
        log "postgres: already installed"
        return
    fi
    # Debian's postinst would create (and, with systemd, start) a "main"
    # cluster on port 5432. Tests only use throwaway clusters from
    # postgres.sh, so switch that off before the package arrives.
    "${SUDO[@]}" mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" |
        "${SUDO[@]}" tee /etc/postgresql-common/createcluster.d/no-main-cluster.conf >/dev/null
    apt_install postgresql-15
    /usr/lib/postgresql/15/bin/pg_ctl --version >&2
}

# PyTorch is the test oracle for ml/ (gradients, PEFT/HF interop) and the
# benchmark reference. Debian's torch falls back to the netlib reference BLAS
# (~7 GFLOP/s); libopenblas0-openmp gives it AVX-512 kernels. The -pthread
# variant fights torch's OpenMP pool, so it must not be the one installed.
install_torch() {
    if has_deb python3-torch && has_deb python3-numpy && has_deb libopenblas0-openmp; then
        log "torch: already installed"
        return
    fi
    apt_install python3-torch python3-numpy libopenblas0-openmp
    /usr/bin/python3 -c 'import torch; print("torch", torch.__version__)' >&2
}

# s3rver is the S3 endpoint for the artifact-store tests: an npm package pinned by
# s3rver/package-lock.json, installed into s3rver/node_modules (gitignored).
install_s3rver() {
    local dir
    dir=$(dirname "$(readlink -f "$0")")/s3rver
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        apt_install nodejs npm
    fi
    if [[ -f $dir/node_modules/s3rver/bin/s3rver.js ]]; then
        log "s3rver: already installed"
        return
    fi
    log "s3rver: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund >&2)
}

# docker-compose v1 only validates docker-compose.yml (`config -q`); there is no
# engine here. Without --no-install-recommends apt would pull in a whole Docker
# engine, which apt_install already leaves out.
install_compose() {
    if command -v docker-compose >/dev/null 2>&1; then
        log "compose: already installed"
        return
    fi
    apt_install docker-compose
    docker-compose version >&2
}

# RabbitMQ for the event bus tests. apt does not start it (no systemd here);
# rabbitmq.sh starts throwaway nodes as plain processes.
install_rabbitmq() {
    if has_deb rabbitmq-server && command -v rabbitmq-server >/dev/null 2>&1; then
        log "rabbitmq: already installed"
        return
    fi
    apt_install rabbitmq-server
    dpkg-query -W -f='rabbitmq-server ${Version}\n' rabbitmq-server >&2
}

# Chromium for the UI's browser tests (Playwright for .NET drives Debian's
# /usr/bin/chromium; Playwright's own browser download is never used). With
# --no-install-recommends no fonts come along: fonts-liberation keeps the
# screenshots' text readable.
install_chromium() {
    if [[ -x /usr/bin/chromium ]]; then
        log "chromium: already installed"
        return
    fi
    apt_install chromium fonts-liberation
    /usr/bin/chromium --version >&2
}

main() {
    local components=("$@") c k ok
    [[ ${#components[@]} -gt 0 ]] || components=("${KNOWN[@]}")
    # Validate every name before installing anything.
    for c in "${components[@]}"; do
        ok=0
        for k in "${KNOWN[@]}"; do [[ $c == "$k" ]] && ok=1; done
        if [[ $ok -eq 0 ]]; then
            log "unknown component '$c' (known: ${KNOWN[*]})"
            exit 2
        fi
    done
    for c in "${components[@]}"; do "install_$c"; done
}

main "$@"
