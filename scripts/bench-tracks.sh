#!/usr/bin/env bash
# Reproduces the "Segmentation" figures of docs/benchmarks.md and docs/accuracy.md.
# Needs ../shared/data/ais/tracks (the GFW regression set) next to the repository.
# Usage: scripts/bench-tracks.sh [MILLIONS]   (default 10; the docs also quote 40)
set -euo pipefail
cd "$(dirname "$0")/.."
M="${1:-10}"
cargo build --release -p maritime --example track_bench --example gfw_regression
BIN=target/release/examples
echo "== machine: $(nproc) cores; $(uptime)"
echo "== accuracy vs GFW expected segments"
"$BIN/gfw_regression" | tail -6
run() {
  echo "== track_bench $*   ($(uptime | sed 's/.*load/load/'))"
  /usr/bin/time -v "$BIN/track_bench" "$@" 2>&1 |
    grep -E "positions \(|built input|User time|System time|Percent of CPU|Elapsed|Maximum resident"
}
run "$M" --threads 1
run "$M" --threads "$(nproc)"
run "$((M * 4))" --threads 1
run "$M" --batch --threads 1
run "$M" --batch --threads "$(nproc)"
