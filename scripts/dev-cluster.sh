#!/usr/bin/env bash
# Local Slurm dev/test cluster for ajr: slurmdbd + one slurmctld + four slurmd
# (node1..node4, partition "debug") all on this host. Debian 12 (slurm-wlm,
# slurmdbd 22.05 + munge), sized like production: up to 200,000 job records
# (MaxJobCount), job arrays of up to 100,000 tasks, and accounting in MariaDB
# (sacct shows jobs and their comments). slurmctld's PrologSlurmctld and
# EpilogSlurmctld run ajr's hook (packaging/slurm/ajr-slurmctld-hook), which tells
# the ajr servers configured in $AJR_DEV_CLUSTER_DIR/hook.d/*.conf of each job's
# start and end. slurmrestd (REST API v0.0.38, JWT auth) listens on 127.0.0.1:6820
# as the unprivileged user ajr-restd; a token for the Slurm user "ajr" is in
# $AJR_DEV_CLUSTER_DIR/slurmrestd/ajr.token.
#
# Usage: scripts/dev-cluster.sh up|down|status
#
#   up      install slurm-wlm/slurmdbd/munge if missing (root); create the
#           accounting database and its user in MariaDB (127.0.0.1:3306, root
#           without a password: it must be running); write /etc/slurm/slurm.conf
#           and /etc/slurm/slurmdbd.conf; start munged (if not running), slurmdbd,
#           register the cluster with sacctmgr, start slurmctld, four slurmd and
#           slurmrestd; return when all four nodes are ready (idle/mix/alloc). Safe to repeat;
#           a changed configuration restarts slurmdbd/slurmctld (jobs are kept).
#   down    stop the daemons that `up` started (munged only if `up` started it).
#           Safe to repeat. Installed packages and the database are left in place.
#   status  show daemons and `sinfo -N`; exit 0 if the cluster is up, 1 otherwise.
#
# Environment:
#   AJR_DEV_CLUSTER_DIR   state dir (spool, logs, pids)   default /var/lib/ajr-dev-cluster
#   AJR_DEV_CLUSTER_WAIT  seconds `up` waits for nodes    default 60
#
# No systemd needed: daemons are started directly (works in CI containers).
# scripts/queue-fill.sh fills the queue with up to 100,000 held jobs.
set -euo pipefail

STATE_DIR="${AJR_DEV_CLUSTER_DIR:-/var/lib/ajr-dev-cluster}"
WAIT_SECS="${AJR_DEV_CLUSTER_WAIT:-60}"
# how long slurmctld/slurmdbd may take to exit after SIGTERM before SIGKILL: with
# 100,000 jobs slurmctld saves its state and hands slurmdbd its records for seconds
STOP_SECS=120
CONF=/etc/slurm/slurm.conf
DBD_CONF=/etc/slurm/slurmdbd.conf
MARK="# written by ajr dev-cluster"
CLUSTER=ajrdev
NODES=(node1 node2 node3 node4)
NODE_SPEC="node[1-4]"
SLURMCTLD_PORT=6817
SLURMD_PORT_BASE=17001          # node1 -> 17001 ... node4 -> 17004
SLURMDBD_PORT=6819
# accounting database: MariaDB on this host, administered as root without a password
DB_HOST=127.0.0.1
DB_PORT=3306
DB_NAME=ajr_dev_slurm_acct
DB_USER=ajr_slurmdbd
MUNGE_KEY=/etc/munge/munge.key
MUNGE_PIDFILE=/run/munge/munged.pid

RUN_DIR="$STATE_DIR/run"        # daemon pid files written by the daemons
LOG_DIR="$STATE_DIR/log"
STARTED_DIR="$STATE_DIR/started" # pids of daemons *this script* started
DB_PASSWORD_FILE="$STATE_DIR/slurmdbd-db-password" # the database user's password (0600)
JWT_KEY="$STATE_DIR/jwt_hs256.key"   # the key slurmctld signs and checks JWTs with (0600)
HOOK="$STATE_DIR/ajr-slurmctld-hook" # PrologSlurmctld/EpilogSlurmctld: runs ajr's hook
HOOK_DIR="$STATE_DIR/hook.d"         # one *.conf per ajr server to tell (tests add theirs)
REPO_HOOK="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/packaging/slurm/ajr-slurmctld-hook"
PACKAGES="slurm-wlm slurmdbd slurmrestd slurm-wlm-jwt-plugin munge"
RESTD_PORT=6820
RESTD_USER=ajr-restd                 # slurmrestd refuses to run as root or SlurmUser
RESTD_DIR="$STATE_DIR/slurmrestd"
REST_SLURM_USER=ajr                  # the Slurm user ajr's REST token is for

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
    for b in slurmctld slurmd slurmdbd slurmrestd sinfo squeue scontrol sbatch sacct sacctmgr munged munge; do
        command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || return 1
    done
    [ -e /usr/lib/x86_64-linux-gnu/slurm-wlm/auth_jwt.so ] || ls /usr/lib/*/slurm-wlm/auth_jwt.so >/dev/null 2>&1
}

install_packages() {
    have_binaries && return 0
    is_root || die "Slurm is not installed and this is not root; run: sudo apt-get install $PACKAGES (or run this script as root)"
    command -v apt-get >/dev/null || die "$PACKAGES missing and apt-get not available"
    log "installing $PACKAGES (apt-get) ..."
    # keep the package scripts from starting services (no init system in CI)
    local prc=/usr/sbin/policy-rc.d saved=""
    if [ -e "$prc" ]; then saved="$prc.ajr-dev-cluster.bak"; mv -f "$prc" "$saved"; fi
    printf '#!/bin/sh\nexit 101\n' >"$prc"
    chmod 755 "$prc"
    local rc=0
    (
        export DEBIAN_FRONTEND=noninteractive
        opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
        # shellcheck disable=SC2086
        apt-get install "${opts[@]}" $PACKAGES >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null && apt-get install "${opts[@]}" $PACKAGES >/dev/null; }
    ) || rc=$?
    rm -f "$prc"
    if [ -n "$saved" ]; then mv -f "$saved" "$prc"; fi
    [ "$rc" -eq 0 ] || die "apt-get install $PACKAGES failed (exit $rc)"
    hash -r
    have_binaries || die "slurm/munge binaries still missing after install"
}

# --------------------------------------------------------------------------- config
# Sized for a production-like queue (scripts/queue-fill.sh): 200,000 job records
# (pending + running + finished within MinJobAge), arrays of up to 100,000 tasks.
# A pending array counts as one record until its tasks start. Changes to
# MaxJobCount and the accounting lines need a slurmctld restart, which `up` does.
render_conf() {
    local host cpus
    host=$(hostname -s)
    cpus=$(nproc 2>/dev/null || echo 1)
    cat <<EOT
$MARK (scripts/dev-cluster.sh); do not edit, it is rewritten by 'up'
ClusterName=$CLUSTER
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
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$SLURMDBD_PORT
AccountingStoreFlags=job_comment
JobCompType=jobcomp/none
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$JWT_KEY
PrologSlurmctld=$HOOK
EpilogSlurmctld=$HOOK
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=5
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MaxJobCount=200000
MaxArraySize=100001
ReturnToService=2
JobRequeue=1
MinJobAge=300
SlurmdTimeout=60
InactiveLimit=0
KillWait=10
NodeName=$NODE_SPEC NodeHostname=$host NodeAddr=127.0.0.1 Port=[$SLURMD_PORT_BASE-$((SLURMD_PORT_BASE + ${#NODES[@]} - 1))] CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$NODE_SPEC Default=YES MaxTime=INFINITE State=UP
EOT
}

# slurmdbd keeps accounting (sacct) in MariaDB. CommitDelay=1 batches the inserts
# of a burst of submissions into one commit a second. Jobs and steps are purged a
# week after they end, so repeated 100,000-job fills (about 80 MB each) do not
# grow the database for ever.
render_dbd_conf() {
    cat <<EOT
$MARK (scripts/dev-cluster.sh); do not edit, it is rewritten by 'up'
AuthType=auth/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$JWT_KEY
DbdHost=$(hostname -s)
DbdAddr=127.0.0.1
DbdPort=$SLURMDBD_PORT
SlurmUser=root
DebugLevel=info
LogFile=$LOG_DIR/slurmdbd.log
PidFile=$RUN_DIR/slurmdbd.pid
CommitDelay=1
PurgeJobAfter=7days
PurgeStepAfter=7days
StorageType=accounting_storage/mysql
StorageHost=$DB_HOST
StoragePort=$DB_PORT
StorageLoc=$DB_NAME
StorageUser=$DB_USER
StoragePass=$(cat "$DB_PASSWORD_FILE")
EOT
}

check_conf_ours() {
    local f
    for f in "$CONF" "$DBD_CONF"; do
        if [ -e "$f" ] && ! grep -qF "$MARK" "$f"; then
            die "$f exists and was not written by this script (no '$MARK' line); refusing to overwrite it. Move it away to use the dev cluster."
        fi
    done
}

# write_file <path> <mode> <content>: 0 if written, 1 if it already had that content
write_file() {
    if [ -e "$1" ] && [ "$(cat "$1")" = "$3" ]; then
        chmod "$2" "$1"
        return 1
    fi
    mkdir -p "$(dirname "$1")"
    (umask 077 && printf '%s\n' "$3" >"$1.tmp.$$")
    chmod "$2" "$1.tmp.$$"
    mv -f "$1.tmp.$$" "$1"
    log "wrote $1"
}

write_conf() {
    check_conf_ours
    write_file "$CONF" 644 "$(render_conf)" || true
    # slurmdbd refuses a config that others can read or that SlurmUser (root) does not own
    write_file "$DBD_CONF" 600 "$(render_dbd_conf)" || true
    chown root:root "$DBD_CONF"
}

# conf_changed_since_start <daemon> <conf>: whether <conf> differs from the one the
# running <daemon> was started with (recorded by started_with), so an `up` that
# failed halfway still restarts what runs on an older configuration.
conf_changed_since_start() {
    [ "$(cat "$STARTED_DIR/$1.conf-sum" 2>/dev/null)" != "$(cksum <"$2")" ]
}

started_with() { # <daemon> <conf>
    cksum <"$2" >"$STARTED_DIR/$1.conf-sum"
}

make_dirs() {
    mkdir -p "$STATE_DIR" "$RUN_DIR" "$LOG_DIR" "$STARTED_DIR" "$STATE_DIR/slurmctld" "$HOOK_DIR"
    local n
    for n in "${NODES[@]}"; do mkdir -p "$STATE_DIR/slurmd/$n"; done
}

# The JWT key slurmctld and slurmdbd share (slurmrestd's tokens), made once.
ensure_jwt_key() {
    [ -s "$JWT_KEY" ] && return 0
    (umask 077 && dd if=/dev/urandom of="$JWT_KEY.tmp.$$" bs=32 count=1 status=none)
    mv -f "$JWT_KEY.tmp.$$" "$JWT_KEY"
    chown root:root "$JWT_KEY"
    log "made $JWT_KEY"
}

# slurmctld runs the hook from the state dir, so the dev cluster does not depend on
# where this checkout lives; AJR_HOOK_DIR points it at the tests' servers.
install_hook() {
    [ -r "$REPO_HOOK" ] || die "$REPO_HOOK is missing"
    write_file "$HOOK.sh" 755 "$(cat "$REPO_HOOK")" || true
    write_file "$HOOK" 755 "#!/bin/sh
AJR_HOOK_DIR=$HOOK_DIR
export AJR_HOOK_DIR
exec /bin/sh $HOOK.sh" || true
    chmod 755 "$HOOK_DIR"
}

# --------------------------------------------------------------------------- accounting database
db_client() {
    if command -v mariadb >/dev/null 2>&1; then echo mariadb
    elif command -v mysql >/dev/null 2>&1; then echo mysql
    else return 1
    fi
}

db_admin() { # SQL on stdin, as MariaDB's root
    "$(db_client)" --protocol=tcp -h "$DB_HOST" -P "$DB_PORT" -u root -N -B "$@"
}

require_mariadb() {
    db_client >/dev/null \
        || die "no MariaDB client (mariadb or mysql) to create the accounting database; run: apt-get install mariadb-client"
    local err
    if ! err=$(echo 'SELECT 1' | db_admin 2>&1 >/dev/null); then
        die "MariaDB is not reachable on $DB_HOST:$DB_PORT as root without a password ($err).
  slurmdbd keeps the dev cluster's accounting there. Start MariaDB first:
    scripts/services.sh   (starts it when installed; or: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd)
  and install it if missing: apt-get install mariadb-server"
    fi
}

# the database and slurmdbd's user in it; idempotent (the password is kept in
# $DB_PASSWORD_FILE and set again on every run, so a lost file heals)
ensure_database() {
    if [ ! -s "$DB_PASSWORD_FILE" ]; then
        (umask 077 && od -An -N18 -tx1 /dev/urandom | tr -dc '0-9a-f' >"$DB_PASSWORD_FILE")
    fi
    chmod 600 "$DB_PASSWORD_FILE"
    local pw h sql
    pw=$(cat "$DB_PASSWORD_FILE")
    sql="CREATE DATABASE IF NOT EXISTS \`$DB_NAME\`;"
    for h in localhost 127.0.0.1; do
        sql+="CREATE USER IF NOT EXISTS '$DB_USER'@'$h' IDENTIFIED BY '$pw';"
        sql+="ALTER USER '$DB_USER'@'$h' IDENTIFIED BY '$pw';"
        sql+="GRANT ALL ON \`$DB_NAME\`.* TO '$DB_USER'@'$h';"
    done
    echo "$sql" | db_admin || die "could not create database $DB_NAME and user $DB_USER in MariaDB on $DB_HOST:$DB_PORT"
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

# stop_pid <pid>: SIGTERM, wait up to STOP_SECS, then SIGKILL
stop_pid() {
    STOPPING=("$1")
    kill -TERM "$1" 2>/dev/null || true
    wait_gone "$STOP_SECS"
}

start_slurmdbd() {
    local pid
    if pid=$(running_pid "$RUN_DIR/slurmdbd.pid" slurmdbd); then
        if conf_changed_since_start slurmdbd "$DBD_CONF"; then
            log "slurmdbd.conf changed; restarting slurmdbd (pid $pid)"
            stop_pid "$pid"
        else
            log "slurmdbd already running (pid $pid)"
            wait_slurmdbd
            return 0
        fi
    fi
    log "starting slurmdbd"
    /usr/sbin/slurmdbd || die "slurmdbd failed to start; see $LOG_DIR/slurmdbd.log"
    pid=$(wait_pidfile "$RUN_DIR/slurmdbd.pid" slurmdbd) \
        || { tail -n 30 "$LOG_DIR/slurmdbd.log" >&2 || true; die "slurmdbd did not come up"; }
    echo "$pid" >"$STARTED_DIR/slurmdbd.pid"
    started_with slurmdbd "$DBD_CONF"
    wait_slurmdbd
}

# slurmdbd answers sacctmgr (its first start creates the tables, which takes a while)
wait_slurmdbd() {
    local deadline=$((SECONDS + WAIT_SECS))
    until timeout 20 sacctmgr -n -P show cluster format=Cluster >/dev/null 2>&1; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            tail -n 30 "$LOG_DIR/slurmdbd.log" >&2 || true
            die "slurmdbd does not answer sacctmgr after ${WAIT_SECS}s; see $LOG_DIR/slurmdbd.log"
        fi
        sleep 0.5
    done
}

# The cluster in the accounting database. Adding it creates the account "root"
# with root's association, so root (the tests' user) submits with an account.
# AccountingStorageEnforce is left unset: users without an association submit too.
register_cluster() {
    if ! sacctmgr -n -P show cluster format=Cluster | grep -qx "$CLUSTER"; then
        log "registering cluster $CLUSTER with slurmdbd"
        sacctmgr -i add cluster "$CLUSTER" >/dev/null || die "sacctmgr add cluster $CLUSTER failed"
    fi
    if ! sacctmgr -n -P show assoc cluster="$CLUSTER" user=root format=User | grep -qx root; then
        log "adding root's association on $CLUSTER"
        sacctmgr -i add user root account=root cluster="$CLUSTER" >/dev/null || die "sacctmgr add user root failed"
    fi
}

start_slurmctld() {
    local pid
    if pid=$(running_pid "$RUN_DIR/slurmctld.pid" slurmctld); then
        if conf_changed_since_start slurmctld "$CONF"; then
            # MaxJobCount and the accounting plugin are read only at start; the
            # slurmds re-read slurm.conf once the new slurmctld is up (reconfigure)
            log "slurm.conf changed; restarting slurmctld (pid $pid), jobs are kept"
            stop_pid "$pid"
            RECONFIGURE_AFTER_START=1
        else
            log "slurmctld already running (pid $pid)"
            return 0
        fi
    fi
    log "starting slurmctld"
    /usr/sbin/slurmctld || die "slurmctld failed to start; see $LOG_DIR/slurmctld.log"
    pid=$(wait_pidfile "$RUN_DIR/slurmctld.pid" slurmctld) \
        || { tail -n 30 "$LOG_DIR/slurmctld.log" >&2 || true; die "slurmctld did not come up"; }
    echo "$pid" >"$STARTED_DIR/slurmctld.pid"
    started_with slurmctld "$CONF"
    if [ "${RECONFIGURE_AFTER_START:-0}" = 1 ]; then
        local deadline=$((SECONDS + WAIT_SECS))
        until scontrol reconfigure 2>/dev/null; do
            [ "$SECONDS" -lt "$deadline" ] || die "scontrol reconfigure failed after the restart of slurmctld"
            sleep 0.5
        done
    fi
}

# slurmrestd on 127.0.0.1:$RESTD_PORT with JWT auth, as an unprivileged user, and a
# token for the Slurm user $REST_SLURM_USER (a local system user) valid for a year.
# Restarted with slurmctld's configuration.
start_slurmrestd() {
    local u
    for u in "$RESTD_USER" "$REST_SLURM_USER"; do
        id -u "$u" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$u"
    done
    mkdir -p "$RESTD_DIR"
    chmod 755 "$RESTD_DIR"
    local pid
    if pid=$(running_pid "$STARTED_DIR/slurmrestd.pid" slurmrestd); then
        if conf_changed_since_start slurmrestd "$CONF"; then
            log "slurm.conf changed; restarting slurmrestd (pid $pid)"
            stop_pid "$pid"
        else
            log "slurmrestd already running (pid $pid)"
            write_rest_token
            return 0
        fi
    fi
    log "starting slurmrestd on 127.0.0.1:$RESTD_PORT"
    # SLURM_JWT=daemon: slurmrestd then speaks to slurmctld with the caller's JWT
    SLURM_JWT=daemon setsid setpriv --reuid="$RESTD_USER" --regid="$RESTD_USER" --init-groups \
        /usr/sbin/slurmrestd -a rest_auth/jwt -s openapi/v0.0.38,openapi/dbv0.0.38 "127.0.0.1:$RESTD_PORT" \
        </dev/null >>"$LOG_DIR/slurmrestd.log" 2>&1 &
    echo $! >"$STARTED_DIR/slurmrestd.pid"
    started_with slurmrestd "$CONF"
    local deadline=$((SECONDS + 20))
    until (exec 3<>"/dev/tcp/127.0.0.1/$RESTD_PORT") 2>/dev/null; do
        running_pid "$STARTED_DIR/slurmrestd.pid" slurmrestd >/dev/null \
            || { tail -n 20 "$LOG_DIR/slurmrestd.log" >&2; die "slurmrestd did not start"; }
        [ "$SECONDS" -lt "$deadline" ] || die "slurmrestd does not listen on $RESTD_PORT"
        sleep 0.2
    done
    write_rest_token
}

write_rest_token() {
    local token
    token=$(scontrol token username="$REST_SLURM_USER" lifespan=31536000 2>/dev/null | sed -n 's/^SLURM_JWT=//p')
    [ -n "$token" ] || die "scontrol token username=$REST_SLURM_USER failed (is AuthAltTypes=auth/jwt in effect?)"
    write_file "$RESTD_DIR/$REST_SLURM_USER.token" 600 "$token" >/dev/null 2>&1 || true
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
        # a slurmctld found running may have been on its way out (killed just before
        # 'up', still saving its state): start it again
        if ! running_pid "$RUN_DIR/slurmctld.pid" slurmctld >/dev/null; then
            log "slurmctld is gone (it was shutting down); starting it again"
            start_slurmctld
        fi
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
    require_mariadb
    ensure_database
    ensure_jwt_key
    install_hook
    write_conf
    start_munge
    start_slurmdbd
    register_cluster
    start_slurmctld
    local n
    for n in "${NODES[@]}"; do start_slurmd "$n"; done
    start_slurmrestd
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
    stop_recorded slurmrestd slurmrestd
    for n in "${NODES[@]}"; do stop_recorded "slurmd-$n" slurmd; done
    stop_recorded slurmctld slurmctld
    wait_gone "$STOP_SECS"
    # slurmdbd after slurmctld, which sends it the last job records
    STOPPING=()
    stop_recorded slurmdbd slurmdbd
    wait_gone "$STOP_SECS"
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
    daemon_line slurmdbd "$RUN_DIR/slurmdbd.pid" slurmdbd
    daemon_line slurmctld "$RUN_DIR/slurmctld.pid" slurmctld
    local n
    for n in "${NODES[@]}"; do daemon_line "slurmd $n" "$RUN_DIR/slurmd-$n.pid" slurmd; done
    daemon_line slurmrestd "$STARTED_DIR/slurmrestd.pid" slurmrestd
    if command -v sinfo >/dev/null 2>&1 && sinfo -N 2>/dev/null; then :; else echo "sinfo: controller not reachable"; fi
    running_pid "$RUN_DIR/slurmdbd.pid" slurmdbd >/dev/null && nodes_ready
}

case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
