#!/usr/bin/env bash
# Runs two builds of the `verify` criterion bench (lib/benches/verify.rs) alternately —
# before, after, before, after, … — so that load from other work on the machine falls on
# both alike, and prints criterion's estimate [lower estimate upper] for each run with the
# load average at its start.
#
#   bench/verify-before-after.sh BEFORE_EXE AFTER_EXE [ROUNDS]     (default 3 rounds)
#
# Build each executable with `cargo bench -p chainscope --bench verify --no-run` in the
# checkout to measure (it prints the path: target/release/deps/verify-HASH). Each side
# keeps its own criterion history (CRITERION_HOME), so criterion's "change" lines compare
# a side with its own previous run only.
set -euo pipefail
before=$(realpath "$1")
after=$(realpath "$2")
rounds=${3:-3}
home=$(mktemp -d)
for r in $(seq "$rounds"); do
  for side in before after; do
    exe=${!side}
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    CRITERION_HOME="$home/$side" "$exe" --bench --noplot 2>&1 |
      awk -v side="$side" -v r="$r" -v load="$load" '
        /^verify_1000_chains/ { name = $1; sub("verify_1000_", "", name) }
        /time:/ { sub(/.*time: */, ""); printf "round %d  %-6s  %-36s %s  load %s\n", r, side, name, $0, load }'
  done
done
rm -rf "$home"
