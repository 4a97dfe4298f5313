#!/usr/bin/env bash
# Reproduces the "Crypto tracing" figures of docs/benchmarks.md and docs/accuracy.md.
#   scripts/bench-chain.sh [TRANSFERS] [CSV_ROWS] [SCENARIO_RUNS]
# Needs ~140 bytes of RAM per transfer (20 M → ~2.8 GB, 50 M → ~7 GB) and as much disk in $TMPDIR
# for the store file. The scenario evaluation reads ../shared/data/crypto/labels/ at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000000}"
CSV="${2:-2000000}"
RUNS="${3:-20}"
cargo build --release -p chain --example bench_chain --example scenario_eval
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v target/release/examples/bench_chain "$N" "$CSV" 2>&1 | grep -E '^(generated|store|trace|explorer)|Maximum resident|Elapsed'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
target/release/examples/scenario_eval "../shared/data/crypto/labels/dprk_incident_seed_addresses.csv" "$RUNS"
