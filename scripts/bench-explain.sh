#!/usr/bin/env bash
# Times ./ajr explain over a generated training log (default 1024 MB), start-up included, and
# runs the JMH comparison of the rule engine with a plain regex loop. See docs/benchmarks.md.
#   scripts/bench-explain.sh [MEGABYTES]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
source "$ROOT/scripts/java-home.sh"
MB="${1:-1024}"
./mvnw -B -q install -DskipTests
LOG="$(mktemp -d)/training.log"
"$JAVA_HOME/bin/java" -cp ajr-benchmarks/target/ajr-benchmarks.jar dev.ajr.benchmarks.WriteTrainingLog "$LOG" "$MB"
bytes=$(stat -c %s "$LOG")
start=$(date +%s.%N)
./ajr explain "$LOG" >/dev/null
end=$(date +%s.%N)
python3 - "$bytes" "$start" "$end" <<'PY'
import sys
b, s, e = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"ajr explain: {b/1e6:.0f} MB in {e-s:.2f} s = {b/1e6/(e-s):.0f} MB/s (start-up included)")
PY
rm -f "$LOG"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar ajr-benchmarks/target/ajr-benchmarks.jar \
  -wi 3 -i 5 -f 1 RuleEngineBenchmark
