#!/usr/bin/env bash
# Writes a PEM bundle of N certificates (default 10,000) for the show/decode benchmark:
# the system CA bundle (/etc/ssl/certs/ca-certificates.crt, if present) mixed with the
# fixture chains (leaves, intermediates, roots of every certs-fixtures/ dir and the
# real-world chains), repeated in that order until N certificates are written.
#
#   bench/make-bundle.sh [OUT] [N]     default target/bench/bundle-10k.pem, 10000
#   NO_SYSTEM_BUNDLE=1 bench/make-bundle.sh OUT    fixture chains only (1 root per leaf)
#
# Mixing matters: a bundle of roots only is recognised as "not a chain" at once, while
# leaves and intermediates make chainscope work out every chain relation, as it does for
# any real input. The output is clean PEM (no text between blocks), so both tools read it.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/target/bench/bundle-10k.pem}"
count="${2:-10000}"
system=/etc/ssl/certs/ca-certificates.crt

sources=()
if [ -n "${NO_SYSTEM_BUNDLE:-}" ]; then
    :
elif [ -f "$system" ]; then
    sources+=("$system")
else
    echo "note: $system not found; using fixture certificates only" >&2
fi
for f in "$root"/certs-fixtures/*/fullchain-with-root.pem \
    "$root"/certs-fixtures/real/{netflix,cloudflare_dns,sanofi,wpt}/*.pem; do
    sources+=("$f")
done

mkdir -p "$(dirname "$out")"
# Every CERTIFICATE block of the sources, once, in order; then cycle until N are out.
awk -v want="$count" '
    /^-----BEGIN CERTIFICATE-----/ { inblock = 1; block = "" }
    inblock { block = block $0 "\n" }
    /^-----END CERTIFICATE-----/ { if (inblock) blocks[n++] = block; inblock = 0 }
    END {
        if (n == 0) { print "no certificates found" > "/dev/stderr"; exit 1 }
        for (i = 0; i < want; i++) printf "%s", blocks[i % n]
        printf "%d certificates (%d distinct)\n", want, n > "/dev/stderr"
    }' "${sources[@]}" >"$out"
echo "wrote $out ($(wc -c <"$out") bytes)" >&2
