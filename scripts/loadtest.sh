#!/usr/bin/env bash
# Load test of the screening service with wrk (Debian: apt-get install wrk).
#
# Starts `redline serve` (release build) on the bundled lists, then
#   1. sustained: single-name POST /v1/screen with CONNS connections for DURATION;
#   2. overload:  10x the connections against the same server, which must shed the
#      excess with 503 + Retry-After at once (max_in_flight) rather than queue it;
#   3. after:     the server must still be healthy and screen correctly.
# The queries are real benchmark names (bench/): hits and non-hits mixed.
# Prints wrk's figures, the server's own counters and its peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS=${CONNS:-32}
DURATION=${DURATION:-30s}
OVERLOAD_CONNS=${OVERLOAD_CONNS:-$((CONNS * 10))}
BIN=${BIN:-target/release/redline}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$BIN" ] || cargo build --release

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

export REDLINE_KEY
REDLINE_KEY=$("$BIN" --data-dir "$WORK/store" keys create --role admin --label loadtest 2>/dev/null)
"$BIN" --data-dir "$WORK/store" serve --addr 127.0.0.1:0 --watch-interval-secs 0 \
  >"$WORK/stdout" 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$WORK/stdout" 2>/dev/null && break
  sleep 0.1
done
BASE=$(sed -n 's/^redline: listening on //p' "$WORK/stdout")
[ -n "$BASE" ] || { cat "$WORK/server.log" >&2; exit 1; }

export BODIES="$WORK/bodies.jsonl"
python3 - "$BODIES" <<'PY'
import json, sys, itertools
out = open(sys.argv[1], "w")
files = ["bench/ssb-all.jsonl", "bench/negatives-global.jsonl",
         "bench/xscript.jsonl"]
for path in files:
    with open(path) as f:
        for line in itertools.islice(f, 2000):
            q = json.loads(line)
            body = {k: q[k] for k in ("name", "schema", "birth_date", "country") if q.get(k)}
            out.write(json.dumps(body, ensure_ascii=False) + "\n")
PY

metric() { curl -s -H "Authorization: Bearer $REDLINE_KEY" "$BASE/metrics" | grep -E "$1" || true; }

echo "== server: $BASE, lists: $(curl -s "$BASE/readyz")"
echo "== queries: $(wc -l < "$BODIES") bodies from bench/, cycled"
echo "== warm-up (5s)"
wrk -t2 -c"$CONNS" -d5s -s scripts/screen.lua "$BASE" >/dev/null
echo "== sustained: wrk -t2 -c$CONNS -d$DURATION --latency"
wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s scripts/screen.lua "$BASE"
echo "== overload: wrk -t2 -c$OVERLOAD_CONNS -d15s --latency (max_queued 128)"
wrk -t2 -c"$OVERLOAD_CONNS" -d15s --latency -s scripts/screen.lua "$BASE"
echo "== after the overload"
echo "healthz: $(curl -s "$BASE/healthz")"
curl -s -H "Authorization: Bearer $REDLINE_KEY" -X POST "$BASE/v1/screen" \
  -d '{"name": "Vladimir Poutine", "limit": 1}' | python3 -c \
  'import json,sys; m=json.load(sys.stdin)["matches"][0]; print("screen:", m["entity_id"], m["caption"], m["score"])'
metric '^redline_(shed_requests|timed_out_requests)_total'
metric '^redline_http_requests_total\{route="/v1/screen"'
echo "server peak RSS: $(grep VmHWM /proc/$SERVER_PID/status | awk '{print $2/1024 " MiB"}')"
