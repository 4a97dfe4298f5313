#!/usr/bin/env bash
# Benchmark sanctions-list loading (`lists::load_path`: sniff, decompress, parse, check) on the real
# files in ../shared/data/sanctions, release build, one process per file and run, with wall time and
# peak RSS from /usr/bin/time -v. Also times `embargo lists load` of OFAC + UN into a fresh store
# (parse + write entities.jsonl + manifest + diff). Prints the load average with the figures.
#
#   scripts/bench-lists.sh           # 3 runs per file
#   RUNS=5 scripts/bench-lists.sh
set -euo pipefail
cd "$(dirname "$0")/.."
S=../shared/data/sanctions
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/embargo-bench-lists}
OFAC_BZ2=$S/ofac/sdn-advanced-xml-2025-11-19/sdn_advanced.xml.bz2
UN=$S/un/UN_consolidated_2026-02-27.xml
CSV=$S/ofac/legacy-csv-2021-07/sdn.csv
[ -f "$OFAC_BZ2" ] || { echo "missing $OFAC_BZ2 (the shared data folder)"; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
mkdir -p "$WORK"
OFAC_XML=$WORK/sdn_advanced.xml
[ -f "$OFAC_XML" ] || bzcat "$OFAC_BZ2" > "$OFAC_XML"
cargo build --release -q -p lists --example load_list
HAVE_CLI=1
cargo build --release -q -p embargo 2>/dev/null || { HAVE_CLI=0; echo "note: embargo binary did not build; skipping the CLI timing"; }
BIN=target/release/examples/load_list
cat "$OFAC_XML" "$OFAC_BZ2" "$UN" "$CSV" > /dev/null   # warm the page cache
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for f in "$OFAC_XML" "$OFAC_BZ2" "$UN" "$CSV"; do
  for run in $(seq "$RUNS"); do
    out=$(/usr/bin/time -v "$BIN" "$f" 2>"$WORK/time.txt")
    wall=$(grep "Elapsed (wall clock)" "$WORK/time.txt" | awk '{print $NF}')
    rss=$(grep "Maximum resident set size" "$WORK/time.txt" | awk '{print $NF}')
    ents=$(echo "$out" | grep -o '[0-9]* entities' | head -1)
    echo "$(basename "$f") run $run: wall $wall, peak RSS ${rss} KB, $ents, load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
for run in $(seq $((RUNS * HAVE_CLI))); do
  rm -rf "$WORK/store"
  /usr/bin/time -v target/release/embargo lists load "$OFAC_BZ2" "$UN" --store "$WORK/store" --quiet 2>"$WORK/time.txt"
  wall=$(grep "Elapsed (wall clock)" "$WORK/time.txt" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$WORK/time.txt" | awk '{print $NF}')
  echo "embargo lists load OFAC(bz2)+UN run $run: wall $wall, peak RSS ${rss} KB, store $(du -sh "$WORK/store/lists" | cut -f1), load $(cut -d' ' -f1 /proc/loadavg)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
