#!/usr/bin/env bash
# Measures what watching a large queue costs ajr and slurmctld, and whether recovery stays fast
# (results in docs/benchmarks.md, "Tracking at production size").
#
# Usage: scripts/bench-scale.sh [--sizes "0 10000 100000"] [--formats "text+hooks text json"]
#                               [--window SECONDS] [--arrays SIZE] [--out FILE]
#
# For each queue size and each listing format (slurm.listing-format; "+hooks": with slurmctld's
# hooks telling the server of each job's start and end), on the local dev cluster:
#   1. fills the queue with that many held jobs (scripts/queue-fill.sh; --arrays SIZE submits them
#      as job arrays instead of single jobs);
#   2. starts `./ajr server` watching it (embedded database in a temporary directory, act mode);
#   3. over WINDOW seconds (default 120) of watching only, measures ajr's CPU (its own, and that of
#      the Slurm commands it ran), its resident memory, slurmctld's RPCs (sdiag: job listings and
#      single-job look-ups, count and time) and what ajr read from Slurm per minute;
#   4. runs a job like the installation guide's verification job (a segmentation fault, requeued
#      once) and reports fault line written -> next attempt running;
#   5. stops the server and empties the queue.
# Prints a Markdown table and writes it to FILE (default target/bench-scale.md). Needs root (it
# submits and cancels jobs and resets sdiag's counters) and the dev cluster (./ajr dev-cluster up).
# A run at 100,000 jobs takes several minutes per format: filling the queue is most of it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SIZES="0 10000 100000"
FORMATS="text+hooks text json"
HOOK_CONF=/var/lib/ajr-dev-cluster/hook.d/bench-scale.conf
WINDOW=120
ARRAYS=""
OUT="$ROOT/target/bench-scale.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --formats) FORMATS="$2"; shift 2 ;;
    --window) WINDOW="$2"; shift 2 ;;
    --arrays) ARRAYS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) sed -n '5,6p' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2; exit 2 ;;
  esac
done

log() { echo "bench-scale: $*" >&2; }
die() { echo "bench-scale: ERROR: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (it resets sdiag's counters and fills the queue)"
command -v python3 >/dev/null || die "needs python3 to read the API's JSON"
"$ROOT/scripts/dev-cluster.sh" status >/dev/null 2>&1 || die "the dev cluster is down: ./ajr dev-cluster up"
[ -f ajr-server/target/ajr.jar ] || ./ajr --version >/dev/null

TICKS=$(getconf CLK_TCK)
PORT=18181
PASSWORD="bench-$RANDOM$RANDOM"
WORK="$(mktemp -d /tmp/ajr-bench-scale.XXXXXX)"
SERVER_PID=""
cleanup() {
  rm -f "$HOOK_CONF"
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  "$ROOT/scripts/queue-fill.sh" empty >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The first start creates the administrator "admin" with AJR_ADMIN_PASSWORD.
api() { curl -sf -u "admin:$PASSWORD" "http://127.0.0.1:$PORT$1"; }

# CPU seconds of a process: its own (utime+stime) and its waited-for children's (cutime+cstime).
cpu_of() { awk -v t="$TICKS" '{ printf "%.2f %.2f\n", ($14+$15)/t, ($16+$17)/t }' "/proc/$1/stat"; }
rss_mib() { awk '/VmRSS/ { printf "%d", $2/1024 }' "/proc/$1/status"; }
hwm_mib() { awk '/VmHWM/ { printf "%d", $2/1024 }' "/proc/$1/status"; }

# "count total_ms" of one RPC type in sdiag's per-message-type statistics, from a line like
#   REQUEST_JOB_INFO     ( 2003) count:19     ave_time:59363  total_time:1127914
sdiag_rpc() {
  sdiag | awk -v rpc="$1" '$1 == rpc && !done { gsub(/[^0-9 ]/, " "); split($0, f, " "); print f[2], int(f[4]/1000); done = 1 }
    END { if (!done) print "0 0" }'
}

metric() { # sum of a Prometheus metric's samples whose labels contain $2
  api /metrics | awk -v name="$1" -v label="$2" 'index($0, name) == 1 && index($0, label) { s += $NF } END { printf "%.0f", s }'
}

start_server() { # <format>[+hooks]
  local dir="$WORK/server-$1"
  rm -rf "$dir"; mkdir -p "$dir"
  cat >"$dir/ajr.yaml" <<EOF
slurm:
  listing-format: ${1%+hooks}
EOF
  rm -f "$HOOK_CONF"
  if [ "${1%+hooks}" != "$1" ]; then
    [ -d "$(dirname "$HOOK_CONF")" ] || die "the dev cluster has no hook directory: ./ajr dev-cluster up"
    printf 'url=http://127.0.0.1:%s\ntoken-file=%s\n' "$PORT" "$dir/data/agent.token" >"$HOOK_CONF"
  fi
  AJR_ADMIN_PASSWORD="$PASSWORD" AJR_HEAP="${AJR_HEAP:-512m}" \
    ./ajr server --port "$PORT" --data-dir "$dir/data" --config "$dir/ajr.yaml" \
    >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  # /healthz, not /readyz: with squeue --json and a large queue no read of Slurm may ever succeed,
  # and that is what the run is to show.
  local deadline=$((SECONDS + 120))
  until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server stopped: $(tail -5 "$dir/server.log")"
    [ $SECONDS -lt $deadline ] || die "the server was not ready in 120 s"
    sleep 1
  done
}

stop_server() {
  rm -f "$HOOK_CONF"
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# The guide's verification job with time stamps: attempt 0 prints a segmentation fault line,
# attempt 1 says when it started. Prints "fault->next-attempt ms" or "timeout".
recovery_ms() {
  local dir="$WORK/guide-$RANDOM"
  mkdir -p "$dir"
  cat >"$dir/job.sh" <<'EOF'
#!/bin/bash
#SBATCH --comment='{"APS": {"auto_resume_mode": "requeue", "max_requeue_times": 1}}'
if [ "${SLURM_RESTART_COUNT:-0}" = 0 ]; then
  sleep 3
  echo "$(date +%s.%N) Rank0: segmentation fault: benchmark" >>fault.txt
  echo "Rank0: segmentation fault: benchmark"
  sleep 120
  exit 1
fi
echo "$(date +%s.%N)" >>started.txt
EOF
  local id
  id=$(cd "$dir" && sbatch --parsable -J ajr-bench-scale -p debug job.sh)
  local deadline=$((SECONDS + 240))
  until [ -s "$dir/started.txt" ]; do
    [ $SECONDS -lt $deadline ] || { scancel "$id"; echo "timeout"; return; }
    sleep 1
  done
  python3 - "$dir" <<'EOF'
import sys
d = sys.argv[1]
fault = float(open(d + "/fault.txt").read().split()[0])
started = float(open(d + "/started.txt").read().split()[0])
print(int((started - fault) * 1000))
EOF
}

mkdir -p "$(dirname "$OUT")"
ROWS=()
# Formats outside, sizes inside: the jobs cancelled after a run stay in slurmctld for MinJobAge
# (300 s) and count against MaxJobCount, so two runs at 100,000 must not follow each other.
for format in $FORMATS; do
  for size in $SIZES; do
    log "queue of $size held jobs${ARRAYS:+ (arrays of $ARRAYS)}, listing format $format"
    "$ROOT/scripts/queue-fill.sh" empty >/dev/null
    # Cancelled jobs stay in slurmctld for MinJobAge (300 s), and every listing of the queue
    # (--states=all) carries them: a run starts only once those of the run before are purged.
    wait_until=$((SECONDS + 420))
    while [ "$(squeue -h -t all -o %i | wc -l)" -gt 100 ]; do
      [ $SECONDS -lt $wait_until ] || die "slurmctld still holds the jobs of the run before"
      log "waiting for slurmctld to purge the jobs of the run before (MinJobAge)"
      sleep 15
    done
    if [ "$size" -gt 0 ]; then
      if [ -n "$ARRAYS" ]; then
        "$ROOT/scripts/queue-fill.sh" fill "$size" --arrays "$ARRAYS" >/dev/null
      else
        "$ROOT/scripts/queue-fill.sh" fill "$size" >/dev/null
      fi
    fi
    start_server "$format"
    sleep 10 # the first rounds record what is new
    sdiag -r >/dev/null
    read -r own0 kids0 < <(cpu_of "$SERVER_PID")
    bytes0=$(metric ajr_slurm_command_output_bytes_total 'command="squeue"')
    sleep "$WINDOW"
    read -r own1 kids1 < <(cpu_of "$SERVER_PID")
    bytes1=$(metric ajr_slurm_command_output_bytes_total 'command="squeue"')
    read -r lists list_ms < <(sdiag_rpc REQUEST_JOB_INFO)
    read -r singles single_ms < <(sdiag_rpc REQUEST_JOB_INFO_SINGLE)
    own=$(python3 -c "print(f'{100*($own1-$own0)/$WINDOW:.1f}')")
    kids=$(python3 -c "print(f'{100*($kids1-$kids0)/$WINDOW:.1f}')")
    mb_min=$(python3 -c "print(f'{($bytes1-$bytes0)/1e6*60/$WINDOW:.1f}')")
    rss=$(rss_mib "$SERVER_PID")
    hwm=$(hwm_mib "$SERVER_PID")
    recovery=$(recovery_ms)
    stop_server
    row="| $size | $format | $own % | $kids % | $rss / $hwm | ${lists:-0} / ${list_ms:-0} | ${singles:-0} / ${single_ms:-0} | $mb_min | $recovery |"
    log "$row"
    ROWS+=("$row")
  done
done

{
  echo "Window: $WINDOW s of watching per row; $(nproc) cores; $(sinfo -V); queue of held ${ARRAYS:+array }jobs."
  echo
  echo "| queued jobs | listing | ajr CPU (own) | its Slurm commands' CPU | ajr RSS now / peak (MiB) | slurmctld job listings: count / ms | single-job look-ups: count / ms | read from Slurm (MB/min) | fault line → next attempt running (ms) |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee "$OUT"
