#!/usr/bin/env bash
# Throughput of the event detectors on synthetic traffic (see crates/maritime/examples/bench_detect.rs),
# on all cores and on one core, with peak memory (GNU time) and the load average.
#
#   scripts/bench-detect.sh [SIZES in millions of positions, default "2 8 32"]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${*:-2 8 32}
cargo build --release -q -p maritime --example bench_detect
BIN=target/release/examples/bench_detect
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for threads in 0 1; do
  for n in $SIZES; do
    label=$([ "$threads" = 0 ] && echo "all cores ($(nproc))" || echo "1 core")
    echo "## $label, $n M positions"
    if [ "$threads" = 0 ]; then
      /usr/bin/time -f "peak RSS %M KB, wall %e s" "$BIN" "$n" 2>&1
    else
      RAYON_NUM_THREADS=1 /usr/bin/time -f "peak RSS %M KB, wall %e s" "$BIN" "$n" 2>&1
    fi
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
