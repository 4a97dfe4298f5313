#!/usr/bin/env bash
# Regime timings (docs/benchmarks.md, "Regime and tally"): findings over a simulated store, and
# the trade check over a synthetic shipments CSV. Usage: scripts/bench-regime.sh [STORE]
# (STORE: an ingested dprk scenario with an events table, e.g. from scripts/eval-findings.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p embargo
bin=target/release/embargo
echo "load: $(uptime)"
if [ -n "${1:-}" ]; then
  /usr/bin/time -f "findings: %e s, %M KB max RSS" "$bin" findings --store "$1" -q > /dev/null
fi
tmp=$(mktemp -d)
python3 - "$tmp/ship.csv" <<'PY'
import random, sys
random.seed(1)
codes = ["2701.12", "8429.51", "6109.10", "2710.19", "0302.11", "9403.60", "2601.11", "8703.23", "1006.30", "7208.10"]
cc = ["KP", "CN", "RU", "KR", "JP", "VN", "PRK", "US"]
with open(sys.argv[1], "w") as f:
    f.write("date,exporter,importer,origin,destination,hs_code,quantity,unit,value,vessel\n")
    for i in range(200_000):
        f.write(f"2019-{random.randint(1,12):02d}-{random.randint(1,28):02d},Exporter {i},Importer {i},{random.choice(cc)},{random.choice(cc)},{random.choice(codes)},{random.randint(1,5000)},t,{random.randint(1,10**6)},\n")
PY
/usr/bin/time -f "trade check, 200,000 rows: %e s, %M KB max RSS" "$bin" trade check "$tmp/ship.csv" -q > /dev/null || true
rm -rf "$tmp"
