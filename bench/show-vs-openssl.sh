#!/usr/bin/env bash
# Compares `chainscope show --json` with `openssl storeutl -noout -text -certs` on the same
# bundle of 10,000 certificates: wall time (hyperfine when installed, else /usr/bin/time)
# and peak resident memory (/usr/bin/time -v). Results go in BENCHMARKS.md.
#
#   bench/show-vs-openssl.sh [BUNDLE]    default target/bench/bundle-10k.pem (made if missing)
#
# Needs: openssl, GNU time (/usr/bin/time, Debian package `time`); hyperfine optional.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bundle="${1:-$root/target/bench/bundle-10k.pem}"
[ -f "$bundle" ] || bash "$root/bench/make-bundle.sh" "$bundle"
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }

cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p chainscope-cli
bin="$root/target/release/chainscope"

# Both tools must read every certificate, or the comparison means nothing.
ours_count=$("$bin" show --json "$bundle" | grep -c '"serial_len"')
openssl_count=$(openssl storeutl -noout -text -certs "$bundle" | sed -n 's/^Total found: //p')
echo "certificates: chainscope $ours_count, openssl $openssl_count"
[ "$ours_count" = "$openssl_count" ] || { echo "count mismatch" >&2; exit 1; }

bytes=$(wc -c <"$bundle")
ours_cmd="'$bin' show --json '$bundle' > /dev/null"
openssl_cmd="openssl storeutl -noout -text -certs '$bundle' > /dev/null"

echo "== wall time"
if command -v hyperfine >/dev/null; then
    json="$(mktemp)"
    hyperfine --warmup 1 --runs "${RUNS:-10}" --export-json "$json" \
        -n chainscope "$ours_cmd" -n openssl "$openssl_cmd"
    mean() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print([x['mean'] for x in r if x['command']==sys.argv[2]][0])" "$json" "$1"; }
    ours_s=$(mean chainscope)
    openssl_s=$(mean openssl)
    rm -f "$json"
else
    wall() { /usr/bin/time -f %e sh -c "$1" 2>&1 >/dev/null | tail -n 1; }
    ours_s=$(wall "$ours_cmd")
    openssl_s=$(wall "$openssl_cmd")
fi

echo "== peak memory"
rss() { /usr/bin/time -v sh -c "exec $1" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p'; }
ours_kb=$(rss "$ours_cmd")
openssl_kb=$(rss "$openssl_cmd")

awk -v b="$bytes" -v os="$ours_s" -v ss="$openssl_s" -v ok="$ours_kb" -v sk="$openssl_kb" 'BEGIN {
    printf "bundle: %.1f MB (%d bytes)\n", b / 1e6, b
    printf "%-12s %10s %14s %16s\n", "", "wall (s)", "peak RSS (MB)", "RSS / bundle"
    printf "%-12s %10.3f %14.1f %16.2f\n", "chainscope", os, ok * 1024 / 1e6, ok * 1024 / b
    printf "%-12s %10.3f %14.1f %16.2f\n", "openssl", ss, sk * 1024 / 1e6, sk * 1024 / b
    printf "speed-up: %.2fx (target >= 3x)   memory: %.2fx bundle (target < 2x)\n", ss / os, ok * 1024 / b
}'
