#!/usr/bin/env bash
# Measures recovery latency on the local Slurm cluster (see docs/benchmarks.md):
# fault line written -> attempt ended, and attempt ended -> next attempt running.
#   scripts/bench-recovery.sh [RUNS]     (default 5 runs; report in ajr-server/target/recovery-latency.md)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/dev-cluster.sh" up >/dev/null
# shellcheck source=/dev/null
source "$ROOT/scripts/java-home.sh"
./mvnw -B -q install -DskipTests
./mvnw -B -pl ajr-server verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=RecoveryLatencyBenchmark -Dajr.bench.runs="${1:-5}" \
  | sed -n '/^| run/,/^| median/p'
