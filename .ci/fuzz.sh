#!/usr/bin/env bash
# Fuzz the loader and decoder (fuzz/fuzz_targets/load_decode.rs) and the chain/verify
# path (fuzz/fuzz_targets/chain_verify.rs) for a bounded time in total, split between them.
#
#   .ci/fuzz.sh [SECONDS]        default 60 (load_decode gets half, chain_verify the rest)
#
# Exits non-zero when the target crashes (panic, abort, stack overflow, an input slower
# than 10 s or using more than 2 GB); the crashing input is left in fuzz/artifacts/.
# Only stable Rust is assumed: cargo-fuzz needs nightly flags, so RUSTC_BOOTSTRAP=1 lets
# stable rustc accept them. FUZZ_SANITIZER=address turns on ASan (default: none — the
# library forbids unsafe code, and the un-sanitized build is faster to build and run).
set -euo pipefail

seconds="${1:-60}"
sanitizer="${FUZZ_SANITIZER:-none}"
cd "$(dirname "$0")/../fuzz"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

# New inputs go to corpus/TARGET (not committed); seeds/ and seeds-chain/ hold a few
# fixture files, read only.
run() {
    local target="$1" seeds="$2" time="$3"
    mkdir -p "corpus/$target"
    # -a: debug assertions and overflow checks, as in the test builds.
    cargo fuzz run -s "$sanitizer" -a "$target" "corpus/$target" "$seeds" -- \
        -max_total_time="$time" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
}
first=$((seconds / 2))
run load_decode seeds "$((first > 0 ? first : 1))"
run chain_verify seeds-chain "$((seconds - first > 0 ? seconds - first : 1))"
