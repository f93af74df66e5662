#!/usr/bin/env bash
# Live-pipeline speed (docs/benchmarks.md, "Diagnosis speed"): builds the project and runs the JMH
# benchmark LivePipelineBenchmark, the server's per-line handler (excerpt ring, rule matching,
# progress parsing with hang and straggler bookkeeping) over realistic lines of several jobs on one
# core, then prints MB/s and lines/s per core as a markdown table. Arguments, if any, replace the
# default JMH options `-wi 3 -i 5 -w 2 -r 2 -f 1 -p jobs=1,8,64`, for example `-wi 3 -i 5 -f 1 -p jobs=8`.
#   scripts/bench-live.sh [JMH OPTIONS ...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
source "$ROOT/scripts/java-home.sh"

./mvnw -B -q -DskipTests -DskipITs package
JAR=ajr-benchmarks/target/ajr-benchmarks.jar
RESULT="$(mktemp --suffix=.json)"
trap 'rm -f "$RESULT"' EXIT

if [ $# -gt 0 ]; then JMH_OPTIONS=("$@"); else JMH_OPTIONS=(-wi 3 -i 5 -w 2 -r 2 -f 1 -p jobs=1,8,64); fi

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" \
  "${JMH_OPTIONS[@]}" -rf json -rff "$RESULT" LivePipelineBenchmark

echo
python3 - "$RESULT" <<'PY'
import json, sys
print("| benchmark | jobs | MB/s per core | lines/s per core |")
print("|---|---:|---:|---:|")
for r in json.load(open(sys.argv[1])):
    name = r["benchmark"].rsplit(".", 1)[1]
    jobs = r.get("params", {}).get("jobs", "")
    sec = r["secondaryMetrics"]
    b, l = sec["bytes"], sec["lines"]
    err = float(b["scoreError"])  # "NaN" with fewer than two iterations
    spread = "" if err != err else f" ± {err / 1e6:,.1f}"
    print(f"| {name} | {jobs} | {b['score'] / 1e6:,.1f}{spread} | {l['score']:,.0f} |")
PY
