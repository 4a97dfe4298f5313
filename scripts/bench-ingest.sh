#!/usr/bin/env bash
# Benchmark `embargo ingest` to Parquet, end to end (read, parse, checksum, assemble, decode, Arrow,
# Parquet with Snappy, line accounting), on ../shared/data/ais/bench/mixed_once.nmea repeated 24 times
# (1,023,168 sentences, 52.8 MB), with 1 and 2 rayon threads. Prints sentences/s and the load average.
#
#   scripts/bench-ingest.sh            # 3 runs per thread count
#   RUNS=5 scripts/bench-ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=../shared/data/ais/bench/mixed_once.nmea
WORK=${WORK:-/tmp/embargo-bench-ingest}
RUNS=${RUNS:-3}
[ -f "$SRC" ] || { echo "missing $SRC (the shared data folder)"; exit 1; }
mkdir -p "$WORK"
INPUT=$WORK/bench_mixed.nmea
if [ ! -f "$INPUT" ]; then
  for _ in $(seq 24); do cat "$SRC"; done > "$INPUT"
fi
cargo build --release -q -p embargo
BIN=target/release/embargo
LINES=$(wc -l < "$INPUT")
cat "$INPUT" > /dev/null   # warm the page cache
echo "input: $INPUT ($LINES lines, $(stat -c %s "$INPUT") bytes)"
for threads in 1 2; do
  for run in $(seq "$RUNS"); do
    rm -rf "$WORK/store"
    # wall, user and system seconds of the whole process
    read -r wall user sys < <( { RAYON_NUM_THREADS=$threads /usr/bin/time -f '%e %U %S' \
        "$BIN" ingest "$INPUT" --store "$WORK/store" --quiet; } 2>&1 >/dev/null | tail -1 )
    cpu=$(echo "$user + $sys" | bc -l)
    printf 'threads=%d run=%d  wall %.2f s  %.2f M sentences/s  | cpu %.2f s  %.2f M sentences/cpu-s  | load %s\n' \
      "$threads" "$run" "$wall" "$(echo "$LINES / $wall / 1000000" | bc -l)" "$cpu" \
      "$(echo "$LINES / $cpu / 1000000" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
echo "store size: $(du -sh "$WORK/store" | cut -f1)"
# CSV: the NOAA MarineCadastre sample (1,000 rows) repeated 500 times, 1 thread.
CSV_SRC=../shared/data/ais/csv/aisdb-test_data_noaa_20230101.csv
CSV=$WORK/noaa_big.csv
if [ ! -f "$CSV" ]; then
  { head -1 "$CSV_SRC"; for _ in $(seq 500); do tail -n +2 "$CSV_SRC"; done; } > "$CSV"
fi
CSV_LINES=$(wc -l < "$CSV")
for run in $(seq "$RUNS"); do
  rm -rf "$WORK/store-csv"
  read -r wall user sys < <( { RAYON_NUM_THREADS=1 /usr/bin/time -f '%e %U %S' \
      "$BIN" ingest "$CSV" --store "$WORK/store-csv" --quiet; } 2>&1 >/dev/null | tail -1 )
  cpu=$(echo "$user + $sys" | bc -l)
  printf 'csv threads=1 run=%d  wall %.2f s  %.2f M rows/s  | cpu %.2f s  %.2f M rows/cpu-s  | load %s\n' \
    "$run" "$wall" "$(echo "$CSV_LINES / $wall / 1000000" | bc -l)" "$cpu" \
    "$(echo "$CSV_LINES / $cpu / 1000000" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
rm -rf "$WORK/store-csv"
RAYON_NUM_THREADS=2 "$BIN" ingest "$INPUT" --store "$WORK/store-summary" --json > "$WORK/summary.json"
rm -rf "$WORK/store-summary"
python3 - "$WORK/summary.json" <<'PY' 2>/dev/null || true
import json, sys
s = json.load(open(sys.argv[1]))["totals"]
print("lines", s["lines_read"], "decoded lines", s["decoded_lines"], "rejected", s["rejected_lines"],
      "not AIS", s["not_ais_lines"], "positions", s["positions"], "static", s["static_reports"])
PY
