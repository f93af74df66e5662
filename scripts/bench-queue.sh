#!/usr/bin/env bash
# Measures the dev cluster with a production-size queue (see docs/benchmarks.md, "Queue at
# production size"): fills it with scripts/queue-fill.sh, then measures slurmctld's memory,
# squeue --json against a text squeue, how fast a real job still starts, the RPCs in sdiag, and
# the time to empty it again. Leaves the queue as it found it (only its own jobs are touched).
#   scripts/bench-queue.sh N [queue-fill options]     e.g. 100000, or 100000 --arrays 1000
# Prints "name: value" lines. Resets sdiag's counters. Run on an otherwise idle cluster.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FILL="$ROOT/scripts/queue-fill.sh"
OUT="${TMPDIR:-/tmp}/bench-queue.$$"
mkdir -p "$OUT"
trap 'rm -rf "$OUT"' EXIT

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
rss_mb() { ps -o rss= -C "$1" | awk '{ s += $1 } END { printf "%.0f", s / 1024 }'; }
say() { printf '%-44s %s\n' "$1:" "$2"; }

# timed <label> <file> <command...>: wall time, bytes of stdout and the client's peak RSS
timed() {
    local label=$1 file=$2 t
    shift 2
    /usr/bin/time -f '%e %M' -o "$OUT/time" "$@" >"$file"
    read -r t mem <"$OUT/time"
    say "$label" "$t s, $(stat -c %s "$file") bytes, client peak RSS $((mem / 1024)) MB"
}

# a real job submitted now: milliseconds from sbatch to RUNNING
probe_start() {
    local t0 id st
    t0=$(now)
    id=$(sbatch --parsable -J bench-queue-probe -p debug -o /dev/null -e /dev/null --chdir=/tmp --wrap 'sleep 1')
    local deadline=$((SECONDS + 120))
    until [ "$(squeue -h -j "$id" -o %T)" = RUNNING ]; do
        [ "$SECONDS" -lt "$deadline" ] || { scancel "$id"; echo "not running after 120 s"; return; }
        sleep 0.05
    done
    awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.0f ms\n", (b - a) * 1000 }'
    scancel "$id" 2>/dev/null || true
}

dbd_queue() { sdiag | sed -n 's/^DBD Agent queue size: *//p'; }

[ $# -ge 1 ] || { sed -n '6p' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2; exit 2; }
"$ROOT/scripts/dev-cluster.sh" up >/dev/null 2>&1
say "machine" "$(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"), $(sinfo -V), load $(cut -d' ' -f1-3 /proc/loadavg)"
say "slurmctld RSS before" "$(rss_mb slurmctld) MB"
sdiag --reset >/dev/null

t=$(now)
"$FILL" fill "$@" 2>/dev/null
say "fill $*" "$(since "$t") s"
say "queued" "$("$FILL" count)"
say "records in slurmctld (squeue -t all)" "$(squeue -h -t all -o %i | wc -l)"
say "slurmctld RSS after fill" "$(rss_mb slurmctld) MB (slurmdbd $(rss_mb slurmdbd) MB)"

t=$(now)
while [ "$(dbd_queue)" -gt 0 ]; do sleep 0.5; done
say "DBD agent queue drained after" "$(since "$t") s"

timed "squeue --json --states=all" "$OUT/q.json" squeue --json --states=all
timed "squeue -h -t all -O JobID:|,State:|,RestartCnt:|" "$OUT/q.txt" squeue -h -t all -O 'JobID:|,State:|,RestartCnt:|'
one=$(awk -F'|' 'END { print $1 }' "$OUT/q.txt")
timed "squeue -h -j ONE -O JobID:|,State:|,RestartCnt:|" "$OUT/one.txt" squeue -h -j "$one" -O 'JobID:|,State:|,RestartCnt:|'
timed "scontrol show job ONE" "$OUT/one.scontrol" scontrol show job "$one"
timed "sinfo" "$OUT/sinfo" sinfo
say "real job: sbatch -> RUNNING" "$(probe_start)"
say "real job: sbatch -> RUNNING (again)" "$(probe_start)"
sdiag >"$OUT/sdiag.fill"

t=$(now)
"$FILL" empty 2>/dev/null
say "empty" "$(since "$t") s"
say "slurmctld RSS after empty" "$(rss_mb slurmctld) MB"
say "load after" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "---- sdiag (fill and measurements, before empty) ----"
sed -n '/^Main schedule/,/^Latency/p; /REQUEST_\|MESSAGE_/p; /^DBD/p' "$OUT/sdiag.fill" | grep -v '^Latency'
echo "---- sdiag RPCs since (empty) ----"
sdiag | grep -E 'REQUEST_KILL_JOB|REQUEST_CANCEL' || true
