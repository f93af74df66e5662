#!/usr/bin/env bash
# Memory and back-pressure under sustained Loki pushes (see docs/benchmarks.md): starts
# `./ajr server` on a temporary data directory and a free port, observing only, with a stand-in
# `squeue` that lists CLIENTS running jobs (no Slurm cluster is touched), then runs
# dev.ajr.benchmarks.LokiPushLoad: CLIENTS shippers push Promtail-like batches of BATCH_BYTES
# (uncompressed) of realistic training-log lines as fast as the server takes them, sending a
# refused push (429) again after its Retry-After; prints the server's resident memory over time
# (ps -o rss) and lines accepted vs pushes refused and retried.
#   scripts/bench-push.sh [SECONDS] [CLIENTS] [BATCH_BYTES]   (default 60, 4, 1048576)
# The server runs with the launcher's default heap unless AJR_HEAP or AJR_JAVA_OPTS say otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
source "$ROOT/scripts/java-home.sh"
SECONDS_MEASURED="${1:-60}"
CLIENTS="${2:-4}"
BATCH_BYTES="${3:-1048576}"

./mvnw -B -q -DskipTests -DskipITs package
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A stand-in squeue: CLIENTS running jobs 1001.. on gpu-node-1.., each with its output file, so
# the pushed lines belong to jobs ajr follows. Other Slurm commands fail (observe mode needs none).
mkdir -p "$WORK/bin"
python3 - "$WORK/bin/squeue" "$CLIENTS" <<'PY'
import json, sys, time
path, clients = sys.argv[1], int(sys.argv[2])
start = int(time.time()) - 60
jobs = [{"job_id": 1001 + k, "name": "train", "user_name": "bench", "partition": "gpu",
         "job_state": "RUNNING", "state_reason": "None", "priority": 100, "restart_cnt": 0,
         "comment": json.dumps({"APS": {"auto_resume_mode": "requeue", "max_requeue_times": 1}}),
         "nodes": f"gpu-node-{k + 1}", "batch_host": f"gpu-node-{k + 1}",
         "submit_time": start, "start_time": start, "eligible_time": start,
         "current_working_directory": "/bench/w",
         "standard_output": f"/bench/w/slurm-{1001 + k}.out",
         "standard_error": f"/bench/w/slurm-{1001 + k}.out",
         "batch_flag": True, "tres_alloc_str": "cpu=8,gres/gpu=8"} for k in range(clients)]
with open(path, "w") as f:
    f.write("#!/bin/sh\ncat <<'JSON'\n" + json.dumps({"jobs": jobs}) + "\nJSON\n")
PY
for cmd in scontrol scancel sinfo sbatch; do
  printf '#!/bin/sh\necho "%s: not available in the benchmark" >&2\nexit 1\n' "$cmd" > "$WORK/bin/$cmd"
done
chmod +x "$WORK/bin/"*

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# The clients stand for shippers on separate nodes: they name their node's address in
# X-Forwarded-For, as a reverse proxy on 127.0.0.1 would.
cat > "$WORK/ajr.yaml" <<YAML
recovery:
  mode: observe
logs:
  follow-files: false
server:
  trusted-proxies: [127.0.0.1]
YAML
PATH="$WORK/bin:$PATH" ./ajr server --config "$WORK/ajr.yaml" \
  --data-dir "$WORK/data" --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" > /dev/null 2>&1 && [ -s "$WORK/data/agent.token" ]; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/healthz" > /dev/null || { cat "$WORK/server.log"; exit 1; }
echo "server: pid $SERVER_PID, java options: $(tr '\0' ' ' < "/proc/$SERVER_PID/cmdline" | grep -o -- '-Xmx[^ ]*' || echo '(no -Xmx)')"

"$JAVA_HOME/bin/java" -Xmx1g -cp ajr-benchmarks/target/ajr-benchmarks.jar \
  dev.ajr.benchmarks.LokiPushLoad --url "http://127.0.0.1:$PORT" \
  --token-file "$WORK/data/agent.token" --pid "$SERVER_PID" --clients "$CLIENTS" \
  --seconds "$SECONDS_MEASURED" --batch-bytes "$BATCH_BYTES"
grep -E "asked to wait|ERROR|OutOfMemory" "$WORK/server.log" | head -5 || true
