#!/usr/bin/env bash
# Benchmark: capture the chain from 500 local TLS endpoints.
#   chainscope: one process, `fetch --input targets --concurrency 64 --json`
#   openssl:    `openssl s_client -showcerts` run 500 times through `xargs -P 64`
# The endpoints are 500 listening ports (127.0.0.1:20000-20499) of ONE nginx (2 workers)
# serving certs-fixtures/ecdsa (leaf + intermediate). Not part of the test suite.
#
# Usage: bench/fetch-vs-openssl.sh [path/to/chainscope]   (default: target/release/chainscope,
#        else target/debug/chainscope). Needs nginx, openssl, GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${1:-}
if [[ -z "$BIN" ]]; then
  if [[ -x target/release/chainscope ]]; then BIN=target/release/chainscope; else BIN=target/debug/chainscope; fi
fi
N=${N:-500}
P=${P:-64}
BASE=${BASE:-20000}
WORK=$(mktemp -d)
trap 'kill $(cat "$WORK/nginx.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT

{
  echo "worker_processes 2; pid $WORK/nginx.pid; error_log $WORK/error.log warn; daemon on;"
  echo "events { worker_connections 4096; }"
  echo "http { access_log off; server {"
  for ((i = 0; i < N; i++)); do echo "  listen 127.0.0.1:$((BASE + i)) ssl;"; done
  echo "  ssl_certificate $ROOT/certs-fixtures/ecdsa/chain.pem;"
  echo "  ssl_certificate_key $ROOT/certs-fixtures/ecdsa/leaf.key;"
  echo "  location / { return 204; } } }"
} > "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/error.log"
sleep 0.5

for ((i = 0; i < N; i++)); do echo "127.0.0.1:$((BASE + i))"; done > "$WORK/targets"

echo "== chainscope ($BIN), $N endpoints, concurrency $P"
/usr/bin/time -f "wall %e s, peak RSS %M KiB" \
  "$BIN" fetch --no-proxy --input "$WORK/targets" --concurrency "$P" --json > "$WORK/out.jsonl" 2> "$WORK/cs.err" || true
tail -n 2 "$WORK/cs.err"
echo "reached: $(grep -c '"ok":true' "$WORK/out.jsonl") / $N"

echo "== openssl s_client -showcerts x $N via xargs -P $P"
/usr/bin/time -f "wall %e s, peak RSS (largest single process) %M KiB" \
  sh -c "xargs -P $P -I{} sh -c 'openssl s_client -connect {} -showcerts </dev/null >\"$WORK/o.{}\" 2>/dev/null' < '$WORK/targets'" 2>&1 | tail -n 1
echo "reached: $(grep -l 'BEGIN CERTIFICATE' "$WORK"/o.* | wc -l) / $N"
