#!/usr/bin/env bash
# Measures the dashboard API at scale (see docs/benchmarks.md): seeds 10,000 jobs with 100,000
# attempts into SQLite and MariaDB (and PostgreSQL when asked), starts the API in-process and
# reports p50/p95/max per call, with the query plans of the jobs list.
#   scripts/bench-api.sh [DATABASES] [REQUESTS]   (default sqlite,mariadb and 200 requests per call;
#   report in ajr-server/target/dashboard-api-benchmark.md)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
source "$ROOT/scripts/java-home.sh"
./mvnw -B -q -pl ajr-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dit.test=DashboardApiBenchmark -Dajr.bench.databases="${1:-sqlite,mariadb}" \
  -Dajr.bench.requests="${2:-200}" | grep -v " INFO "
cat ajr-server/target/dashboard-api-benchmark.md
