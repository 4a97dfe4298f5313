#!/usr/bin/env bash
# Simulator throughput (docs/benchmarks.md, section "Simulator").
# Usage: scripts/bench-sim.sh [SCALE_HOURS]   (default 24: part of the 336-hour scale scenario)
# Writes into a temporary directory and deletes it. Prints uptime with every figure: other work
# on the machine slows the figures down.
set -euo pipefail
cd "$(dirname "$0")/.."
H="${1:-24}"
cargo build --release --quiet -p embargo
BIN=target/release/embargo
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
run() {
  local name="$1"; shift
  echo "== $name  (load: $(uptime | sed 's/.*load average: //'))"
  /usr/bin/time -f "wall %e s, max RSS %M KB" "$BIN" simulate --json "$@" --out "$TMP/$name" > "$TMP/$name.json"
  python3 - "$TMP/$name.json" "$TMP/$name" <<'PY'
import json, os, sys
s = json.load(open(sys.argv[1]))
out = s["output"]
size = os.path.getsize(out)
print(f"  {s['scenario']}: {s['ships']} ships, {s['hours']:.0f} h simulated: {s['messages']:,} messages "
      f"({s['positions']:,} positions) in {s['lines']:,} lines, {size/1e6:,.0f} MB; "
      f"{s['seconds']:.1f} s = {s['messages']/s['seconds']:,.0f} messages/s "
      f"(sent {s['positions_sent']:,} positions, {s['unheard']:,} unheard)")
PY
  rm -rf "${TMP:?}/$name"
}
run small --scenario small
run dprk --scenario dprk
run dprk-csv --scenario dprk --format csv
run scale-plan --scenario scale --hours 0.01
run scale --scenario scale --hours "$H"
