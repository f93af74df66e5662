#!/usr/bin/env bash
# Measures log ingestion at cluster scale (see docs/benchmarks.md): 1,000 job output files
# written at 10,000 lines/s in total, followed, classified and stored by the real follower,
# rule engine and SQLite store; reports the delay from a fault line written to its anomaly
# stored, once with file-system notifications and once polling only.
#   scripts/bench-ingest.sh [SECONDS] [extra IngestLatency options, e.g. --files 2000]
#   scripts/bench-ingest.sh 60 --hostile   # and one more job writing hostile output flat out
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
source "$ROOT/scripts/java-home.sh"
SECONDS_MEASURED="${1:-60}"
shift || true
./mvnw -B -q -pl ajr-benchmarks -am package -DskipTests
# The server's log output goes to a file, shown only when a run fails (a wrong option, say).
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
for notifications in true false; do
  if ! "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx1g} -cp ajr-benchmarks/target/ajr-benchmarks.jar \
    dev.ajr.benchmarks.IngestLatency --seconds "$SECONDS_MEASURED" \
    --notifications "$notifications" "$@" 2>"$errors"; then
    tail -n 20 "$errors" >&2
    exit 1
  fi
done
