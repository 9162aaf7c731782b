#!/usr/bin/env bash
# Fuzz the loader and decoder (fuzz/fuzz_targets/load_decode.rs) for a bounded time.
#
#   .ci/fuzz.sh [SECONDS]        default 60
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

# New inputs go to corpus/ (not committed); seeds/ holds a few fixture files, read only.
mkdir -p corpus/load_decode
# -a: debug assertions and overflow checks, as in the test builds.
cargo fuzz run -s "$sanitizer" -a load_decode corpus/load_decode seeds -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
