#!/usr/bin/env bash
# Measure what the release profile costs and saves: for each variant, a cold
# `cargo build --release -p chainscope-cli --locked` in its own empty target directory
# (what `cargo install --path cli --locked` does), reporting wall time, the binary's size,
# and the target directory's size. Variants are set through CARGO_PROFILE_RELEASE_*
# environment variables, so the workspace profile itself is not edited.
#
# Usage: bench/release-profile.sh [VARIANT...]   (default: every variant below)
#   VARIANT: current | strip | strip-only (strips current's binary) | thin | fat
# Writes one line per variant to stdout (results go to BENCHMARKS.md by hand) and keeps each
# binary as $OUT/chainscope-VARIANT for run-time comparisons.
# Needs ~2 GB of disk per variant (removed afterwards unless KEEP=1).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-target-profile-bench}
variants=("$@")
[[ ${#variants[@]} -gt 0 ]] || variants=(current strip thin fat)

run() {
  local name=$1
  shift
  local dir="$OUT/$name"
  rm -rf "$dir"
  # Wall time depends on what else runs; user+sys CPU time does not (much): on an idle
  # 2-core machine the wall time is about (user+sys)/2 plus the serial link steps.
  /usr/bin/time -o "$OUT/$name.time" -f '%e %U %S' env "$@" CARGO_TARGET_DIR="$dir" \
    cargo build -q --release -p chainscope-cli --locked
  read -r wall user sys <"$OUT/$name.time"
  local bin="$dir/release/chainscope"
  printf '%-8s wall %5.0fs  cpu %5.0fs  binary %6.1f MB  target %5.2f GB  (%s)\n' "$name" \
    "$wall" "$(echo "$user + $sys" | bc -l)" \
    "$(echo "$(stat -c %s "$bin") / 1000000" | bc -l)" \
    "$(echo "$(du -sb "$dir" | cut -f1) / 1000000000" | bc -l)" "$*"
  cp "$bin" "$OUT/chainscope-$name"
  [[ ${KEEP:-0} == 1 ]] || rm -rf "$dir"
}

for v in "${variants[@]}"; do
  case $v in
    current) run current CARGO_PROFILE_RELEASE_STRIP=none ;;
    strip) run strip CARGO_PROFILE_RELEASE_STRIP=symbols ;;
    # The same code as `current` without symbols and line tables: strip its binary instead
    # of building again.
    strip-only)
      cp "$OUT/chainscope-current" "$OUT/chainscope-strip-only"
      strip "$OUT/chainscope-strip-only"
      printf '%-8s binary %6.1f MB (strip of chainscope-current)\n' strip-only \
        "$(echo "$(stat -c %s "$OUT/chainscope-strip-only") / 1000000" | bc -l)" ;;
    thin) run thin CARGO_PROFILE_RELEASE_STRIP=symbols CARGO_PROFILE_RELEASE_LTO=thin ;;
    fat) run fat CARGO_PROFILE_RELEASE_STRIP=symbols CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 ;;
    *) echo "unknown variant $v" >&2; exit 2 ;;
  esac
done
