#!/usr/bin/env bash
# Measures the web UI's pages in Debian's Chromium with 10,000 jobs and 100,000 attempts in the
# store (see docs/benchmarks.md): from asking for a page to its data being on screen.
#   scripts/bench-pages.sh [LOADS]   (default 30 loads per page; report in
#   ajr-server/target/dashboard-page-benchmark.md)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/test-tools.sh"
# shellcheck source=/dev/null
source "$ROOT/scripts/java-home.sh"
./mvnw -B -q -pl ajr-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dit.test=DashboardPageBenchmark -Dajr.bench.requests="${1:-30}" | grep -v " INFO "
cat ajr-server/target/dashboard-page-benchmark.md
