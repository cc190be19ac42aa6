#!/usr/bin/env bash
# Load test of three `redline serve` replicas sharing one PostgreSQL database, behind
# nginx as the load balancer (Debian: apt-get install wrk nginx postgresql).
#
#   1. creates a fresh database on the server PG_ADMIN_URL names (a role that may
#      create databases), loads the bundled lists into it and makes an API key;
#   2. starts three replicas on loopback ports (1 HTTP + 1 matching thread each: this
#      machine has two cores for all of them, nginx, PostgreSQL and wrk) and nginx in
#      front, round robin, with passive health checks (a replica that fails is taken
#      out for 5 s and the request retried on the next);
#   3. wrk: single-name POST /v1/screen through nginx, real benchmark names cycled
#      (most are listed: most requests raise an alert in the shared database);
#   4. for comparison, the same load on one replica directly.
# Prints wrk's figures, each replica's request count and the audit chain's length.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://redline:redline@127.0.0.1:5432/redline}
CONNS=${CONNS:-48}
DURATION=${DURATION:-20s}
BIN=${BIN:-target/release/redline}
for tool in wrk nginx psql; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
[ -x "$BIN" ] || cargo build --release

WORK=$(mktemp -d)
DB="redline_loadtest_$$"
DB_URL="${PG_ADMIN_URL%/*}/$DB"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $DB"
export REDLINE_DATABASE_URL="$DB_URL"
"$BIN" migrate
"$BIN" lists status >/dev/null # loads the bundled lists into the new database
export REDLINE_KEY
REDLINE_KEY=$("$BIN" keys create --role admin --label loadtest 2>/dev/null)

PORTS=(18081 18082 18083)
for port in "${PORTS[@]}"; do
  "$BIN" serve --addr "127.0.0.1:$port" --workers 1 --screening-threads 1 \
    >"$WORK/stdout-$port" 2>"$WORK/server-$port.log" &
  PIDS+=($!)
done
for port in "${PORTS[@]}"; do
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.1
  done
done

cat >"$WORK/nginx.conf" <<NGINX
worker_processes 1;
error_log $WORK/nginx-error.log;
pid $WORK/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  upstream redline {
    server 127.0.0.1:${PORTS[0]} max_fails=1 fail_timeout=5s;
    server 127.0.0.1:${PORTS[1]} max_fails=1 fail_timeout=5s;
    server 127.0.0.1:${PORTS[2]} max_fails=1 fail_timeout=5s;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:18080;
    location / {
      proxy_pass http://redline;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream error timeout http_503;
    }
  }
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK" -g "daemon off;" &
PIDS+=($!)
sleep 0.5

export BODIES="$WORK/bodies.jsonl"
python3 - "$BODIES" <<'PY'
import json, sys, itertools
out = open(sys.argv[1], "w")
for path in ["bench/ssb-all.jsonl", "bench/negatives-global.jsonl",
             "bench/xscript.jsonl"]:
    with open(path) as f:
        for line in itertools.islice(f, 2000):
            q = json.loads(line)
            body = {k: q[k] for k in ("name", "schema", "birth_date", "country") if q.get(k)}
            out.write(json.dumps(body, ensure_ascii=False) + "\n")
PY

count() {
  curl -s -H "Authorization: Bearer $REDLINE_KEY" "http://127.0.0.1:$1/metrics" |
    awk '/^redline_http_requests_total\{route="\/v1\/screen",method="POST",status="200"\}/ {print $2}'
}

echo "== lists on each replica"
for port in "${PORTS[@]}"; do
  echo "  :$port $(curl -s -H "Authorization: Bearer $REDLINE_KEY" "http://127.0.0.1:$port/v1/lists" |
    python3 -c 'import json,sys; print(" ".join(v["id"] for v in json.load(sys.stdin)["list_versions"]))')"
done
echo "== warm-up (5s)"
wrk -t2 -c"$CONNS" -d5s -s scripts/screen.lua http://127.0.0.1:18080 >/dev/null
echo "== three replicas behind nginx: wrk -t2 -c$CONNS -d$DURATION --latency"
wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s scripts/screen.lua http://127.0.0.1:18080
for port in "${PORTS[@]}"; do echo "  :$port answered $(count "$port") screenings (200) in all"; done
echo "== one replica directly: wrk -t2 -c$CONNS -d$DURATION --latency"
wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s scripts/screen.lua "http://127.0.0.1:${PORTS[0]}"
echo "== the shared store"
"$BIN" audit verify
psql "$DB_URL" -qtAc "SELECT 'alerts: ' || count(*) FROM alerts"
