#!/usr/bin/env bash
# Time to mint a root CA + a server leaf, per key type: chainscope vs the openssl CLI.
#
#   bench/mint-vs-openssl.sh [ITERATIONS]        (default 10; rsa-4096 uses ITERATIONS/5, min 2)
#
# Both sides are measured as process runs (what an operator types), on the same machine:
#   chainscope: `mint ca` + `mint leaf --ca`             (2 processes)
#   openssl:    `req -x509 -newkey` (CA) + `req -new -newkey` (CSR) + `x509 -req` (sign)
#               (3 processes; openssl needs the CSR step to sign a fresh key)
# CHAINSCOPE=path/to/chainscope picks the binary (default: target/release, else target/debug;
# in the dev profile dependencies — aws-lc-rs, rcgen — are built with opt-level 2).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10}
BIN=${CHAINSCOPE:-}
if [[ -z "$BIN" ]]; then
  if [[ -x target/release/chainscope ]]; then BIN=target/release/chainscope; else BIN=target/debug/chainscope; fi
fi
[[ -x "$BIN" ]] || { echo "build chainscope first (cargo build -p chainscope-cli)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

openssl_newkey() {
  case $1 in
    ecdsa-p256) echo "-newkey ec -pkeyopt ec_paramgen_curve:P-256" ;;
    ecdsa-p384) echo "-newkey ec -pkeyopt ec_paramgen_curve:P-384" ;;
    ed25519) echo "-newkey ed25519" ;;
    rsa-2048) echo "-newkey rsa:2048" ;;
    rsa-3072) echo "-newkey rsa:3072" ;;
    rsa-4096) echo "-newkey rsa:4096" ;;
  esac
}

ms_now() { date +%s%N; }

printf '%-11s %5s %16s %16s %8s\n' "key type" "runs" "chainscope ms" "openssl ms" "ratio"
for kt in ecdsa-p256 ecdsa-p384 ed25519 rsa-2048 rsa-3072 rsa-4096; do
  n=$N
  if [[ $kt == rsa-4096 ]]; then n=$(( N / 5 )); (( n < 2 )) && n=2; fi
  t0=$(ms_now)
  for i in $(seq "$n"); do
    d="$WORK/cs-$kt-$i"
    "$BIN" mint ca --name "Bench Root" --key-type "$kt" --out "$d/ca" >/dev/null
    "$BIN" mint leaf --ca "$d/ca" --dns proxy.hospital.local --key-type "$kt" --out "$d/leaf" >/dev/null
  done
  t1=$(ms_now)
  # shellcheck disable=SC2046
  for i in $(seq "$n"); do
    d="$WORK/os-$kt-$i"; mkdir -p "$d"
    openssl req -x509 $(openssl_newkey "$kt") -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 3650 \
      -subj "/CN=Bench Root" -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    openssl req -new $(openssl_newkey "$kt") -nodes -keyout "$d/leaf.key" -out "$d/leaf.csr" \
      -subj "/CN=proxy.hospital.local" 2>/dev/null
    printf 'subjectAltName=DNS:proxy.hospital.local\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$d/ext"
    openssl x509 -req -in "$d/leaf.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
      -days 397 -extfile "$d/ext" -out "$d/leaf.pem" 2>/dev/null
  done
  t2=$(ms_now)
  cs=$(( (t1 - t0) / 1000000 / n ))
  os=$(( (t2 - t1) / 1000000 / n ))
  ratio=$(awk -v a="$cs" -v b="$os" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '%-11s %5d %16d %16d %8s\n' "$kt" "$n" "$cs" "$os" "$ratio"
done
echo "(ms per CA + leaf, wall clock, mean over runs; ratio = chainscope / openssl; binary: $BIN)"
