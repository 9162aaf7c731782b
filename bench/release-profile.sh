#!/usr/bin/env bash
# Measure what the release profile costs and saves: for each variant, a cold
# `cargo build --release -p chainscope-cli --locked` in its own empty target directory
# (what `cargo install --path cli --locked` does), reporting build CPU time (user+sys),
# wall time, peak memory, the binary's size and the target directory's size. Variants are
# set through CARGO_PROFILE_RELEASE_* environment variables on top of the workspace's
# `[profile.release]`, so the profile itself is not edited; `features` builds a copy of the
# tree (git archive HEAD) with bench/release-features.sed applied to its manifests.
#
# Usage: bench/release-profile.sh [VARIANT...]   (default: current thin fat panic features)
#   current    the workspace profile as committed (lto = "fat", codegen-units = 1)
#   nostrip    the same with strip = "none" (the profile before strip was taken)
#   strip-all  the same with strip = "symbols"
#   nolto      lto = false, codegen-units = 16 (the profile before fat LTO was taken)
#   thin       lto = "thin", codegen-units = 16
#   fat        lto = "fat", codegen-units = 1
#   panic      panic = "abort"
#   features   unused dependency features dropped (bench/release-features.sed)
#   runtime    not a build: times `show --json` of the 10k bundle (bench/make-bundle.sh)
#              with every binary kept so far, ROUNDS rounds (default 3), alternating
#              binaries within each round
# Writes one line per variant to stdout (results go to BENCHMARKS.md by hand) and keeps each
# binary as $OUT/chainscope-VARIANT for run-time comparisons. NICE (default 5) is the
# build's niceness; TIMINGS=1 keeps cargo's --timings report as $OUT/VARIANT-timings.html.
# Needs ~1 GB of disk per variant (the target directory is removed afterwards unless KEEP=1).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
OUT=$(realpath -m "${OUT:-target-profile-bench}")
mkdir -p "$OUT"
variants=("$@")
[[ ${#variants[@]} -gt 0 ]] || variants=(current thin fat panic features)

mb() { echo "scale=1; $1 / 1000000" | bc -l; }

# run NAME SOURCE-DIR [VAR=VALUE...]
run() {
  local name=$1 src=$2
  shift 2
  local dir="$OUT/$name" timings=()
  rm -rf "$dir"
  [[ ${TIMINGS:-0} == 1 ]] && timings=(--timings)
  # Wall time depends on what else runs; user+sys CPU time does not (much): on an idle
  # 2-core machine the wall time is about (user+sys)/2 plus the serial link steps.
  (cd "$src" && /usr/bin/time -o "$OUT/$name.time" -f '%e %U %S %M' env "$@" \
    CARGO_TARGET_DIR="$dir" nice -n "${NICE:-5}" \
    cargo build -q --release -p chainscope-cli --locked "${timings[@]}")
  read -r wall user sys rss <"$OUT/$name.time"
  local bin="$dir/release/chainscope"
  [[ ${TIMINGS:-0} == 1 ]] && cp "$dir"/cargo-timings/cargo-timing.html "$OUT/$name-timings.html"
  printf '%-9s cpu %4.0fs (user %4.0f + sys %3.0f)  wall %5.0fs  peak %4.0f MB  binary %5.1f MB  target %5.0f MB  load %s  (%s)\n' \
    "$name" "$(echo "$user + $sys" | bc -l)" "$user" "$sys" "$wall" "$(echo "$rss / 1000" | bc -l)" \
    "$(mb "$(stat -c %s "$bin")")" "$(mb "$(du -sb "$dir" | cut -f1)")" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "${*:-as committed}"
  cp "$bin" "$OUT/chainscope-$name"
  [[ ${KEEP:-0} == 1 ]] || rm -rf "$dir"
}

runtime() {
  local bundle="$root/target/bench/bundle-10k.pem" bins=("$OUT"/chainscope-*)
  [[ -f $bundle ]] || bash bench/make-bundle.sh "$bundle" >&2
  rm -f "$OUT"/runtime-*.times
  for round in $(seq "${ROUNDS:-3}"); do
    for bin in "${bins[@]}"; do
      "$bin" show --json "$bundle" >/dev/null # warm the cache and the binary
      /usr/bin/time -a -o "$OUT/runtime-$(basename "$bin").times" -f '%e %U %S' \
        "$bin" show --json "$bundle" >/dev/null
    done
    echo "round $round done, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  done
  for bin in "${bins[@]}"; do
    python3 - "$OUT/runtime-$(basename "$bin").times" "$(basename "$bin")" <<'EOF'
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
walls = sorted(r[0] for r in rows)
cpus = [r[1] + r[2] for r in rows]
print(f"{sys.argv[2]:<22} show --json 10k: wall {' '.join(f'{w:.3f}' for w in walls)} s"
      f" (min {walls[0]:.3f})  cpu mean {sum(cpus)/len(cpus):.3f} s")
EOF
  done
}

for v in "${variants[@]}"; do
  case $v in
    current) run current "$root" ;;
    nostrip) run nostrip "$root" CARGO_PROFILE_RELEASE_STRIP=none ;;
    strip-all) run strip-all "$root" CARGO_PROFILE_RELEASE_STRIP=symbols ;;
    nolto) run nolto "$root" CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 ;;
    thin) run thin "$root" CARGO_PROFILE_RELEASE_LTO=thin CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 ;;
    fat) run fat "$root" CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 ;;
    panic) run panic "$root" CARGO_PROFILE_RELEASE_PANIC=abort ;;
    features)
      src="$OUT/src-features"
      rm -rf "$src" && mkdir -p "$src"
      git archive HEAD | tar -x -C "$src"
      find "$src" -name Cargo.toml -not -path '*/fuzz/*' -exec sed -i -f bench/release-features.sed {} +
      (cd "$src" && for m in $(find . -name Cargo.toml -not -path './fuzz/*'); do
        diff -u "$root/$m" "$m" >&2 || true
      done)
      run features "$src"
      rm -rf "$src" ;;
    runtime) runtime ;;
    *) echo "unknown variant $v" >&2; exit 2 ;;
  esac
done
