#!/usr/bin/env bash
# Diagnosis speed (docs/benchmarks.md, "Diagnosis speed"): for each mix, writes a training log of
# MEGABYTES (default 1024) with dev.ajr.benchmarks.WriteTrainingLog, times `./ajr explain` on it
# (JVM start-up included, output to /dev/null) and `grep -E -c` with a handful of failure words on
# the same file as a reference, checks that `./ajr explain --json` names the planted segmentation
# fault (the file's last line) as the root for the realistic and synthetic mixes, and prints a
# markdown table. Then, unless SKIP_JMH=1, runs the JMH benchmark RuleEngineBenchmark on the
# synthetic and the realistic mix.
#   scripts/bench-explain.sh [MEGABYTES] [MIX ...]      MIX: realistic synthetic pathological
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
source "$ROOT/scripts/java-home.sh"
MB="${1:-1024}"
shift $(( $# > 0 ? 1 : 0 ))
if [ $# -gt 0 ]; then MIXES=("$@"); else MIXES=(realistic synthetic pathological); fi
GREP_WORDS='segmentation fault|watchdog|Xid|out of memory|NCCL WARN|LustreError|uncorrectable ECC|illegal memory access|RuntimeError|Killed'

./mvnw -B -q -DskipTests -DskipITs package
JAR=ajr-benchmarks/target/ajr-benchmarks.jar
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

seconds() { date +%s.%N; }

ROWS="$WORK/rows.tsv"
: > "$ROWS"
for mix in "${MIXES[@]}"; do
  LOG="$WORK/$mix.log"
  "$JAVA_HOME/bin/java" -cp "$JAR" dev.ajr.benchmarks.WriteTrainingLog "$LOG" "$MB" "$mix"
  bytes=$(stat -c %s "$LOG")
  lines=$(wc -l < "$LOG")

  start=$(seconds)
  ./ajr explain "$LOG" >/dev/null
  end=$(seconds)
  explain=$(python3 -c "print(f'{$end - $start:.3f}')")

  start=$(seconds)
  hits=$(grep -E -c "$GREP_WORDS" "$LOG" || true)
  end=$(seconds)
  grep_time=$(python3 -c "print(f'{$end - $start:.3f}')")

  root="(not checked)"
  if [ "$mix" != pathological ]; then
    ./ajr explain --json "$LOG" > "$WORK/$mix.json"
    root=$(python3 - "$WORK/$mix.json" "$lines" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
lines = int(sys.argv[2])
ok = d.get("cause") == "CRASH_SEGFAULT" and d.get("rule") == "crash.segfault" \
    and d.get("lineNumber") == lines and d.get("lines") == lines
if not ok:
    print(f"root is not the planted segfault at line {lines}: cause {d.get('cause')}, "
          f"rule {d.get('rule')}, line {d.get('lineNumber')} of {d.get('lines')}", file=sys.stderr)
    sys.exit(1)
print(f"{d['cause']} at line {d['lineNumber']} (planted)")
PY
)
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mix" "$bytes" "$lines" "$explain" "$grep_time" "$hits" "$root" >> "$ROWS"
  rm -f "$LOG"
done

echo
python3 - "$ROWS" <<'PY'
import sys
print("| mix | size | lines | `ajr explain` (start-up included) | `grep -E -c` | explain ÷ grep | grep matches | root cause found |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for row in open(sys.argv[1]):
    mix, size, lines, explain, grep, hits, root = row.rstrip("\n").split("\t")
    mb = int(size) / 1e6
    e, g = float(explain), float(grep)
    print(f"| {mix} | {mb:,.0f} MB | {int(lines):,} | {e:.2f} s = {mb / e:,.0f} MB/s "
          f"| {g:.2f} s = {mb / g:,.0f} MB/s | {e / g:.1f} × | {int(hits):,} | {root} |")
PY

if [ "${SKIP_JMH:-0}" != 1 ]; then
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" \
    -wi 3 -i 5 -f 1 -p mix=synthetic,realistic RuleEngineBenchmark
fi
