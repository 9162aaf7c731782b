#!/usr/bin/env bash
# Verify 1,000 distinct three-certificate chains (ECDSA P-256: root -> intermediate -> leaf)
# in one process with `openssl verify` and with `chainscope verify`, and print both times.
#
#   bash bench/verify-vs-openssl.sh [N]        (N defaults to 1000)
#
# Builds chainscope in release mode (cargo build --release -p chainscope-cli) unless
# CHAINSCOPE points at a binary. Needs openssl and coreutils. Work files go to a temp dir.
set -euo pipefail
N="${1:-1000}"
ROOT_DIR="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

if [ -z "${CHAINSCOPE:-}" ]; then
  (cd "$ROOT_DIR" && cargo build --release -q -p chainscope-cli)
  CHAINSCOPE="$ROOT_DIR/target/release/chainscope"
fi

ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
cat > ca.ext <<'X'
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
X
ec root.key
openssl req -new -x509 -key root.key -subj "/CN=Bench Root" -days 3650 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out root.pem 2>/dev/null
ec inter.key
openssl req -new -key inter.key -subj "/CN=Bench Intermediate" -out inter.csr 2>/dev/null
openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -CAcreateserial -days 3650 \
  -extfile ca.ext -out inter.pem 2>/dev/null
echo "minting $N leaves..." >&2
for i in $(seq 1 "$N"); do
  ec "leaf$i.key"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:host%s.bench.test\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n' "$i" > leaf.ext
  openssl req -new -key "leaf$i.key" -subj "/CN=host$i.bench.test" -out leaf.csr 2>/dev/null
  openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key -CAcreateserial -days 365 \
    -extfile leaf.ext -out "leaf$i.pem" 2>/dev/null
done
LEAVES=$(for i in $(seq 1 "$N"); do printf 'leaf%s.pem ' "$i"; done)

now() { date +%s.%N; }
t0=$(now)
# shellcheck disable=SC2086
openssl verify -CAfile root.pem -untrusted inter.pem $LEAVES > openssl.out
t1=$(now)
# shellcheck disable=SC2086
"$CHAINSCOPE" verify --roots root.pem --untrusted inter.pem $LEAVES > chainscope.out
t2=$(now)

ok_openssl=$(grep -c ': OK$' openssl.out || true)
ok_chainscope=$(grep -c ': VALID' chainscope.out || true)
openssl_s=$(echo "$t1 - $t0" | bc -l)
chainscope_s=$(echo "$t2 - $t1" | bc -l)
printf 'chains:      %s\n' "$N"
printf 'openssl:     %.3f s  (%s OK)   %s\n' "$openssl_s" "$ok_openssl" "$(openssl version)"
printf 'chainscope:  %.3f s  (%s VALID)\n' "$chainscope_s" "$ok_chainscope"
printf 'ratio:       chainscope is %.2fx openssl'"'"'s throughput\n' "$(echo "$openssl_s / $chainscope_s" | bc -l)"
