#!/usr/bin/env bash
# Findings accuracy and calibration on a simulator scenario (docs/accuracy.md, "Findings and calibration"):
# simulate → ingest → segment → detect with the CLI, then score findings against truth.json.
# Usage: scripts/eval-findings.sh [SCENARIO] [SEED...]   (default: dprk with its own seed)
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-dprk}"; shift || true
seeds=("$@"); [ ${#seeds[@]} -eq 0 ] && seeds=("")
cargo build --release -q -p embargo
cargo build --release -q -p regime --example calibrate
bin=target/release/embargo
for seed in "${seeds[@]}"; do
  out=$(mktemp -d /tmp/eval-findings.XXXXXX)
  seed_arg=(); [ -n "$seed" ] && seed_arg=(--seed "$seed")
  "$bin" simulate --scenario "$scenario" --out "$out/sim" "${seed_arg[@]}" -q
  "$bin" ingest "$out/sim/ais.nmea" --store "$out/store" -q
  echo "## scenario $scenario seed ${seed:-default} ($out)"
  target/release/examples/calibrate --truth "$out/sim/truth.json" --store "$out/store"
done
