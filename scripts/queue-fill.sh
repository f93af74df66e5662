#!/usr/bin/env bash
# Fills the dev cluster's queue (scripts/dev-cluster.sh) with held jobs, to run ajr and Slurm at
# production size (100,000 jobs and more), and empties it again.
#
# Usage: scripts/queue-fill.sh fill N [--arrays SIZE] [--via api|sbatch] [--parallel P]
#        scripts/queue-fill.sh empty
#        scripts/queue-fill.sh count
#
#   fill N               submit N held single jobs: N records in slurmctld
#   fill N --arrays SIZE submit N held array tasks as job arrays of SIZE tasks each (the last one
#                        smaller): a pending array is ONE record in slurmctld until its tasks start,
#                        so 100,000 tasks in arrays of 1,000 are 100 records. SIZE <= 100,000.
#     --via api          (default) single jobs through Slurm's Perl API (Debian's libslurm-perl,
#                        installed on first use when run as root): one submission RPC per job from
#                        P clients (--parallel, default 2), about 10x the rate of sbatch
#     --via sbatch       single jobs with one sbatch per job, P at a time (--parallel, default 1:
#                        2 were 20% faster on an idle 2-core machine, 2 or more slower on a busy one)
#   empty                cancel every job this script submitted (its name, this user's) with one
#                        scancel; returns when none is left pending or running
#   count                print how many of them are queued: tasks (an array counts its tasks) and
#                        records in slurmctld
#
# The jobs are named ajr-queue-fill and carry the comment ajr-queue-fill; they belong to the user
# who runs the script, go to partition debug, are held (priority 0, like sbatch --hold: they never
# start unless released) and would run `true` with output to /dev/null. Cancelled jobs stay in
# slurmctld (squeue -t all) for MinJobAge (300 s) and count against MaxJobCount (200,000) until
# then. Measurements: docs/benchmarks.md, "Queue at production size".
set -euo pipefail

NAME=ajr-queue-fill
PARTITION=debug
MAX_ARRAY=100000 # MaxArraySize in scripts/dev-cluster.sh is 100001: task ids 0..100000

log() { echo "queue-fill: $*" >&2; }
die() { echo "queue-fill: ERROR: $*" >&2; exit 1; }
usage() {
    sed -n '5,7p' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2
    exit 2
}

now_ms() { date +%s%3N; }
secs_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

is_count() { [[ "$1" =~ ^[1-9][0-9]*$ ]]; }

me() { id -un; }

require_cluster() {
    command -v squeue >/dev/null || die "squeue not found; start the dev cluster: ./ajr dev-cluster up"
    sinfo -h >/dev/null 2>&1 \
        || die "slurmctld does not answer; start the dev cluster: ./ajr dev-cluster up"
}

require_perl_api() {
    perl -MSlurm -e 1 2>/dev/null && return 0
    [ "$(id -u)" -eq 0 ] \
        || die "Slurm's Perl API is missing; run as root once, or: apt-get install libslurm-perl (or use --via sbatch)"
    log "installing libslurm-perl (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends libslurm-perl >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends libslurm-perl >/dev/null; } \
        || die "apt-get install libslurm-perl failed"
    perl -MSlurm -e 1 || die "libslurm-perl is installed but perl cannot load Slurm"
}

# N held single jobs, one RPC each, from P perl processes (slurmctld takes submissions on
# several threads; two clients beat one on 2 cores)
fill_api() { # <n> <p>
    require_perl_api
    local n=$1 p=$2 i part pids=() failed=0
    [ "$p" -le "$n" ] || p=$n
    for ((i = 0; i < p; i++)); do
        part=$((n / p + (i < n % p ? 1 : 0)))
        submit_api "$part" "$((i == 0 ? p : 0))" &
        pids+=("$!")
    done
    for i in "${pids[@]}"; do wait "$i" || failed=1; done
    [ "$failed" -eq 0 ] || die "some submissions failed (see above); scripts/queue-fill.sh count tells how many are queued"
}

# <n> <report>: submits n jobs; when report > 0, logs progress every 10,000 as n*report
submit_api() {
    perl - "$1" "$2" "$NAME" "$PARTITION" <<'PERL'
use strict;
use warnings;
use Slurm;
my ($n, $report, $name, $partition) = @ARGV;
my $slurm = Slurm::new() or die "queue-fill: cannot load Slurm's configuration\n";
my %job = (
    name => $name, comment => $name, partition => $partition,
    script => "#!/bin/sh\ntrue\n", priority => 0, # priority 0 = held
    std_out => '/dev/null', std_err => '/dev/null', work_dir => '/tmp',
    user_id => $< + 0, group_id => (split ' ', $()[0] + 0, min_nodes => 1,
    environment => { PATH => '/usr/bin:/bin' },
);
for my $i (1 .. $n) {
    my $resp = $slurm->submit_batch_job(\%job);
    if (!$resp) {
        my $err = $slurm->strerror();
        die "queue-fill: ERROR: a client submitted " . ($i - 1) . " of its $n: $err"
            . ($err =~ /temporarily unable/i ? " (MaxJobCount reached? finished jobs stay MinJobAge seconds)" : "")
            . "\n";
    }
    if ($report && $i % 10000 == 0 && $i < $n) {
        printf STDERR "queue-fill: submitted about %d of %d\n", $i * $report, $n * $report;
    }
}
PERL
}

# N held single jobs, one sbatch each, P at a time
fill_sbatch() { # <n> <p>
    seq "$1" | QF_NAME=$NAME QF_PARTITION=$PARTITION xargs -P "$2" -n 100 sh -c '
        for _ do
            sbatch --hold -Q -J "$QF_NAME" --comment="$QF_NAME" -p "$QF_PARTITION" \
                -o /dev/null -e /dev/null --chdir=/tmp --export=NONE --wrap true >/dev/null || exit 255
        done' sh \
        || die "sbatch failed (MaxJobCount reached? finished jobs stay MinJobAge seconds)"
}

# N held array tasks in arrays of SIZE tasks
fill_arrays() { # <n> <size>
    local left=$1 size=$2 k
    while [ "$left" -gt 0 ]; do
        k=$((left < size ? left : size))
        sbatch --hold -Q -J "$NAME" --comment="$NAME" -p "$PARTITION" -o /dev/null -e /dev/null \
            --chdir=/tmp --export=NONE --array="0-$((k - 1))" --wrap true >/dev/null \
            || die "sbatch --array=0-$((k - 1)) failed with $left tasks left to submit"
        left=$((left - k))
    done
}

cmd_fill() {
    [ $# -ge 1 ] && is_count "$1" || usage
    local n=$1 arrays="" via=api parallel=""
    shift
    while [ $# -gt 0 ]; do
        case "$1" in
            --arrays) [ $# -ge 2 ] && is_count "$2" || usage; arrays=$2; shift 2 ;;
            --via) [ $# -ge 2 ] && [[ "$2" =~ ^(api|sbatch)$ ]] || usage; via=$2; shift 2 ;;
            --parallel) [ $# -ge 2 ] && is_count "$2" || usage; parallel=$2; shift 2 ;;
            *) usage ;;
        esac
    done
    [ -z "$arrays" ] || [ "$arrays" -le "$MAX_ARRAY" ] \
        || die "--arrays $arrays is larger than the cluster's MaxArraySize allows ($MAX_ARRAY tasks)"
    require_cluster
    local start
    start=$(now_ms)
    if [ -n "$arrays" ]; then
        log "submitting $n held tasks in arrays of $arrays"
        fill_arrays "$n" "$arrays"
    elif [ "$via" = api ]; then
        parallel=${parallel:-2}
        log "submitting $n held jobs (Perl API, $parallel clients)"
        fill_api "$n" "$parallel"
    else
        parallel=${parallel:-1}
        log "submitting $n held jobs (sbatch, $parallel at a time)"
        fill_sbatch "$n" "$parallel"
    fi
    log "submitted $n in $(secs_since "$start") s"
}

# lines of squeue for our jobs; extra arguments go to squeue
ours() { squeue -h -n "$NAME" -u "$(me)" -o %i "$@"; }

cmd_count() {
    [ $# -eq 0 ] || usage
    require_cluster
    local tasks records
    tasks=$(ours -r | wc -l)
    records=$(ours | wc -l)
    echo "$tasks queued ($records records in slurmctld)"
}

cmd_empty() {
    [ $# -eq 0 ] || usage
    require_cluster
    local start
    start=$(now_ms)
    scancel -n "$NAME" -u "$(me)" || die "scancel -n $NAME -u $(me) failed"
    local deadline=$((SECONDS + 120))
    while [ -n "$(ours -t PD,R,CG,S | head -n 1)" ]; do
        [ "$SECONDS" -lt "$deadline" ] || die "jobs named $NAME are still queued 120 s after scancel"
        sleep 0.5
    done
    log "emptied in $(secs_since "$start") s"
}

case "${1:-}" in
    fill) shift; cmd_fill "$@" ;;
    empty) shift; cmd_empty "$@" ;;
    count) shift; cmd_count "$@" ;;
    *) usage ;;
esac
