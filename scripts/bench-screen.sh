#!/usr/bin/env bash
# Reproduces the screening figures in docs/benchmarks.md ("Screening") and docs/accuracy.md
# ("Screening"): index build time, top-10 name-query throughput and latency on one thread against
# the full OFAC SDN Advanced XML + UN consolidated lists, and the accuracy evaluation.
# Needs ../shared/data/sanctions beside the repository. Prints the load average: on a shared
# machine, read the "queries per CPU-second" line (thread CPU time) rather than wall clock.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p screen --example bench --example eval
echo "== uptime: $(uptime)"
./target/release/examples/bench --queries "${QUERIES:-20000}"
echo "== accuracy"
./target/release/examples/eval --threshold "${THRESHOLD:-0.8}"
echo "== uptime: $(uptime)"
