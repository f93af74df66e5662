#!/usr/bin/env bash
# Local Slurm dev/test cluster for ajr: one slurmctld + four slurmd (node1..node4,
# partition "debug") all on this host. Debian 12 (slurm-wlm 22.05 + munge).
#
# Usage: scripts/dev-cluster.sh up|down|status
#
#   up      install slurm-wlm/munge if missing (root), write /etc/slurm/slurm.conf,
#           start munged (if not running), slurmctld and four slurmd; return when
#           all four nodes are ready (idle/mix/alloc). Safe to repeat.
#   down    stop the daemons that `up` started (munged only if `up` started it).
#           Safe to repeat. Installed packages are left in place.
#   status  show daemons and `sinfo -N`; exit 0 if the cluster is up, 1 otherwise.
#
# Environment:
#   AJR_DEV_CLUSTER_DIR   state dir (spool, logs, pids)   default /var/lib/ajr-dev-cluster
#   AJR_DEV_CLUSTER_WAIT  seconds `up` waits for nodes    default 60
#
# No systemd needed: daemons are started directly (works in CI containers).
set -euo pipefail

STATE_DIR="${AJR_DEV_CLUSTER_DIR:-/var/lib/ajr-dev-cluster}"
WAIT_SECS="${AJR_DEV_CLUSTER_WAIT:-60}"
CONF=/etc/slurm/slurm.conf
MARK="# written by ajr dev-cluster"
NODES=(node1 node2 node3 node4)
NODE_SPEC="node[1-4]"
SLURMCTLD_PORT=6817
SLURMD_PORT_BASE=17001          # node1 -> 17001 ... node4 -> 17004
MUNGE_KEY=/etc/munge/munge.key
MUNGE_PIDFILE=/run/munge/munged.pid

RUN_DIR="$STATE_DIR/run"        # daemon pid files written by the daemons
LOG_DIR="$STATE_DIR/log"
STARTED_DIR="$STATE_DIR/started" # pids of daemons *this script* started

log() { echo "dev-cluster: $*" >&2; }
die() { echo "dev-cluster: ERROR: $*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# alive = exists and is not a zombie (PID 1 in containers may reap late or never)
pid_alive() {
    [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
    local st
    st=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null || true)
    [ "$st" != Z ] && [ "$st" != X ]
}

read_pid() { if [ -r "$1" ]; then tr -dc '0-9' <"$1"; fi; }

# pid of a running daemon from its pid file, if its command name matches
running_pid() { # <pidfile> <comm>
    local pid comm
    pid=$(read_pid "$1")
    pid_alive "$pid" || return 1
    comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
    [ -z "$comm" ] || [ "$comm" = "$2" ] || return 1
    echo "$pid"
}

# --------------------------------------------------------------------------- install
have_binaries() {
    local b
    for b in slurmctld slurmd sinfo squeue scontrol sbatch munged munge; do
        command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || return 1
    done
}

install_packages() {
    have_binaries && return 0
    is_root || die "slurm-wlm/munge are not installed and this is not root; run: sudo apt-get install slurm-wlm munge (or run this script as root)"
    command -v apt-get >/dev/null || die "slurm-wlm/munge missing and apt-get not available"
    log "installing slurm-wlm munge (apt-get) ..."
    # keep the package scripts from starting services (no init system in CI)
    local prc=/usr/sbin/policy-rc.d saved=""
    if [ -e "$prc" ]; then saved="$prc.ajr-dev-cluster.bak"; mv -f "$prc" "$saved"; fi
    printf '#!/bin/sh\nexit 101\n' >"$prc"
    chmod 755 "$prc"
    local rc=0
    (
        export DEBIAN_FRONTEND=noninteractive
        opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
        apt-get install "${opts[@]}" slurm-wlm munge >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null && apt-get install "${opts[@]}" slurm-wlm munge >/dev/null; }
    ) || rc=$?
    rm -f "$prc"
    if [ -n "$saved" ]; then mv -f "$saved" "$prc"; fi
    [ "$rc" -eq 0 ] || die "apt-get install slurm-wlm munge failed (exit $rc)"
    hash -r
    have_binaries || die "slurm/munge binaries still missing after install"
}

# --------------------------------------------------------------------------- config
render_conf() {
    local host cpus
    host=$(hostname -s)
    cpus=$(nproc 2>/dev/null || echo 1)
    cat <<EOF
$MARK (scripts/dev-cluster.sh); do not edit, it is rewritten by 'up'
ClusterName=ajrdev
SlurmctldHost=${host}(127.0.0.1)
SlurmctldPort=$SLURMCTLD_PORT
SlurmdPort=$SLURMD_PORT_BASE
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$STATE_DIR/slurmctld
SlurmdSpoolDir=$STATE_DIR/slurmd/%n
SlurmctldPidFile=$RUN_DIR/slurmctld.pid
SlurmdPidFile=$RUN_DIR/slurmd-%n.pid
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=5
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobRequeue=1
MinJobAge=300
SlurmdTimeout=60
InactiveLimit=0
KillWait=10
NodeName=$NODE_SPEC NodeHostname=$host NodeAddr=127.0.0.1 Port=[$SLURMD_PORT_BASE-$((SLURMD_PORT_BASE + ${#NODES[@]} - 1))] CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$NODE_SPEC Default=YES MaxTime=INFINITE State=UP
EOF
}

check_conf_ours() {
    if [ -e "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
        die "$CONF exists and was not written by this script (no '$MARK' line); refusing to overwrite it. Move it away to use the dev cluster."
    fi
}

write_conf() {
    check_conf_ours
    local new
    new=$(render_conf)
    if [ -e "$CONF" ] && [ "$(cat "$CONF")" = "$new" ]; then
        CONF_CHANGED=0
        return 0
    fi
    mkdir -p "$(dirname "$CONF")"
    printf '%s\n' "$new" >"$CONF.tmp.$$"
    chmod 644 "$CONF.tmp.$$"
    mv -f "$CONF.tmp.$$" "$CONF"
    CONF_CHANGED=1
    log "wrote $CONF"
}

make_dirs() {
    mkdir -p "$STATE_DIR" "$RUN_DIR" "$LOG_DIR" "$STARTED_DIR" "$STATE_DIR/slurmctld"
    local n
    for n in "${NODES[@]}"; do mkdir -p "$STATE_DIR/slurmd/$n"; done
}

# --------------------------------------------------------------------------- munge
munge_works() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

ensure_munge_key() {
    [ -s "$MUNGE_KEY" ] && return 0
    log "creating munge key $MUNGE_KEY"
    mkdir -p "$(dirname "$MUNGE_KEY")"
    if command -v mungekey >/dev/null 2>&1; then
        mungekey --create --keyfile="$MUNGE_KEY" --force
    else
        dd if=/dev/urandom of="$MUNGE_KEY" bs=1 count=1024 status=none
    fi
    if id munge >/dev/null 2>&1; then chown munge:munge "$MUNGE_KEY"; fi
    chmod 0400 "$MUNGE_KEY"
}

start_munge() {
    if munge_works; then
        log "munged already running"
        return 0
    fi
    ensure_munge_key
    local -a cmd=(/usr/sbin/munged --force)
    if id munge >/dev/null 2>&1; then
        mkdir -p /run/munge /var/lib/munge /var/log/munge
        chown munge:munge /run/munge /var/lib/munge /var/log/munge /etc/munge "$MUNGE_KEY"
        chmod 0755 /run/munge
        cmd=(runuser -u munge -- /usr/sbin/munged --force)
    else
        mkdir -p /run/munge
    fi
    log "starting munged"
    "${cmd[@]}" || die "munged failed to start (see /var/log/munge/munged.log)"
    local pid=""
    for _ in $(seq 1 50); do
        munge_works && pid=$(running_pid "$MUNGE_PIDFILE" munged || true) && [ -n "$pid" ] && break
        sleep 0.1
    done
    munge_works || die "munged does not work (see /var/log/munge/munged.log)"
    [ -n "$pid" ] && echo "$pid" >"$STARTED_DIR/munged.pid"
}

# --------------------------------------------------------------------------- slurm daemons
wait_pidfile() { # <pidfile> <comm>  -> echoes pid
    local pid
    for _ in $(seq 1 100); do
        pid=$(running_pid "$1" "$2" || true)
        [ -n "$pid" ] && { echo "$pid"; return 0; }
        sleep 0.1
    done
    return 1
}

start_slurmctld() {
    local pid
    if pid=$(running_pid "$RUN_DIR/slurmctld.pid" slurmctld); then
        if [ "${CONF_CHANGED:-0}" = 1 ]; then
            log "slurm.conf changed; running 'scontrol reconfigure'"
            scontrol reconfigure || true
        fi
        log "slurmctld already running (pid $pid)"
        return 0
    fi
    log "starting slurmctld"
    /usr/sbin/slurmctld || die "slurmctld failed to start; see $LOG_DIR/slurmctld.log"
    pid=$(wait_pidfile "$RUN_DIR/slurmctld.pid" slurmctld) \
        || { tail -n 30 "$LOG_DIR/slurmctld.log" >&2 || true; die "slurmctld did not come up"; }
    echo "$pid" >"$STARTED_DIR/slurmctld.pid"
}

start_slurmd() { # <node>
    local n=$1 pid
    if pid=$(running_pid "$RUN_DIR/slurmd-$n.pid" slurmd); then
        log "slurmd $n already running (pid $pid)"
        return 0
    fi
    log "starting slurmd -N $n"
    SLURMD_STARTED_AT=${SLURMD_STARTED_AT:-$(date +%s)}
    /usr/sbin/slurmd -N "$n" || die "slurmd -N $n failed to start; see $LOG_DIR/slurmd-$n.log"
    pid=$(wait_pidfile "$RUN_DIR/slurmd-$n.pid" slurmd) \
        || { tail -n 30 "$LOG_DIR/slurmd-$n.log" >&2 || true; die "slurmd $n did not come up"; }
    echo "$pid" >"$STARTED_DIR/slurmd-$n.pid"
}

# "node state" lines, e.g. "node1 idle"
node_states() { sinfo -N -h -o '%N %t' 2>/dev/null | sort -u; }

nodes_ready() {
    local states
    states=$(node_states) || return 1
    [ "$(echo "$states" | grep -cE '^node[1-4] (idle|mix|alloc)$')" -eq "${#NODES[@]}" ] || return 1
    # slurmds started by this run must have registered (a restarted slurmctld
    # reports recovered node states before the slurmds have checked in)
    [ -z "${SLURMD_STARTED_AT:-}" ] && return 0
    local n t
    for n in "${NODES[@]}"; do
        t=$(scontrol show node -o "$n" 2>/dev/null | sed -n 's/.*SlurmdStartTime=\([^ ]*\).*/\1/p')
        t=$(date -d "$t" +%s 2>/dev/null || echo 0)
        [ "$t" -ge $((SLURMD_STARTED_AT - 1)) ] || return 1
    done
}

wait_nodes_ready() {
    local deadline=$((SECONDS + WAIT_SECS)) resumed_at=-100 bad
    while :; do
        nodes_ready && return 0
        # nodes left down/drained (e.g. after an unclean restart): resume them
        bad=$(node_states | awk '$2 ~ /^(down|drain|drng|fail)/ {print $1}' | paste -sd, -)
        if [ -n "$bad" ] && [ $((SECONDS - resumed_at)) -ge 5 ]; then
            log "resuming nodes: $bad"
            scontrol update nodename="$bad" state=resume 2>/dev/null || true
            resumed_at=$SECONDS
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "timeout after ${WAIT_SECS}s waiting for nodes to become idle"
            sinfo -N 2>&1 >&2 || true
            echo "---- slurmctld.log (tail) ----" >&2
            tail -n 25 "$LOG_DIR/slurmctld.log" >&2 2>/dev/null || true
            local n
            for n in "${NODES[@]}"; do
                echo "---- slurmd-$n.log (tail) ----" >&2
                tail -n 8 "$LOG_DIR/slurmd-$n.log" >&2 2>/dev/null || true
            done
            return 1
        fi
        sleep 1
    done
}

# --------------------------------------------------------------------------- commands
cmd_up() {
    install_packages
    is_root || die "'up' must run as root (daemons run as root, config goes to $CONF)"
    check_conf_ours
    make_dirs
    write_conf
    start_munge
    start_slurmctld
    local n
    for n in "${NODES[@]}"; do start_slurmd "$n"; done
    log "waiting (max ${WAIT_SECS}s) for ${NODE_SPEC} to become idle ..."
    wait_nodes_ready || exit 1
    cmd_status || true
    log "cluster is up"
}

stop_recorded() { # <name> <comm>
    local f="$STARTED_DIR/$1.pid" pid comm
    [ -e "$f" ] || return 0
    pid=$(read_pid "$f")
    if pid_alive "$pid"; then
        comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
        if [ -z "$comm" ] || [ "$comm" = "$2" ]; then
            log "stopping $1 (pid $pid)"
            kill -TERM "$pid" 2>/dev/null || true
            STOPPING+=("$pid")
        fi
    fi
    rm -f "$f"
}

cmd_down() {
    [ -d "$STARTED_DIR" ] || { log "nothing to stop (no state in $STARTED_DIR)"; return 0; }
    STOPPING=()
    local n
    for n in "${NODES[@]}"; do stop_recorded "slurmd-$n" slurmd; done
    stop_recorded slurmctld slurmctld
    wait_gone 30
    # munged last: slurm daemons need it while shutting down
    STOPPING=()
    stop_recorded munged munged
    wait_gone 10
    log "down"
}

wait_gone() { # <seconds>  waits for all pids in STOPPING, then SIGKILL leftovers
    local deadline=$((SECONDS + $1)) p left
    while :; do
        left=()
        for p in "${STOPPING[@]+"${STOPPING[@]}"}"; do pid_alive "$p" && left+=("$p"); done
        [ "${#left[@]}" -eq 0 ] && return 0
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "killing ${left[*]} (did not exit after SIGTERM)"
            kill -KILL "${left[@]}" 2>/dev/null || true
            sleep 0.5
            return 0
        fi
        sleep 0.2
    done
}

daemon_line() { # <label> <pidfile> <comm>
    local pid
    if pid=$(running_pid "$2" "$3"); then
        printf '%-14s running (pid %s)\n' "$1" "$pid"
    else
        printf '%-14s not running\n' "$1"
    fi
}

cmd_status() {
    if munge_works; then echo "munged         running"; else echo "munged         not running"; fi
    daemon_line slurmctld "$RUN_DIR/slurmctld.pid" slurmctld
    local n
    for n in "${NODES[@]}"; do daemon_line "slurmd $n" "$RUN_DIR/slurmd-$n.pid" slurmd; done
    if command -v sinfo >/dev/null 2>&1 && sinfo -N 2>/dev/null; then :; else echo "sinfo: controller not reachable"; fi
    nodes_ready
}

case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
