#!/usr/bin/env bash
# Precision and recall of the event detectors against the simulator's ground truth.
# Simulates a scenario, ingests its NMEA into a fresh store, segments, detects and scores.
#
#   scripts/accuracy-detectors.sh [SCENARIO (default dprk)] [SEED] [WORKDIR]
#
# Adds the DPRK boundary from ../shared when present (distance to DPRK waters in gap events).
set -euo pipefail
cd "$(dirname "$0")/.."
SCENARIO=${1:-dprk}
SEED=${2:-}
WORK=${3:-target/accuracy-detectors/$SCENARIO}
rm -rf "$WORK" && mkdir -p "$WORK"
cargo build --release -q -p embargo
cargo build --release -q -p maritime --example score_sim
EMB=target/release/embargo
$EMB simulate --scenario "scenarios/$SCENARIO.toml" --out "$WORK/sim" ${SEED:+--seed "$SEED"} >/dev/null
$EMB ingest "$WORK/sim/ais.nmea" --store "$WORK/store" >/dev/null
ZONES=()
KP=../shared/data/dprk/kp_maritime_boundary_osm_1000m.geojson
[ -f "$KP" ] && ZONES=(--zones "$KP")
target/release/examples/score_sim "$WORK/sim" "$WORK/store" "${ZONES[@]}"
