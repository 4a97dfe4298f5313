#!/usr/bin/env bash
# AIS codec throughput against peers, in one go on the same file, one core each.
#
# Input: ../shared/data/ais/bench/mixed_once.nmea repeated 24x (1,023,168 sentences, as in
# shared/reference/ais.md). Every decoder is pinned to one core with taskset (if available).
# Rust decoders (embargo `ais`, crates.io `ais`) time the decode of lines preloaded in RAM; the
# Python peers time their loop including the file read (as the reference did); gpsdecode is
# timed as a whole process (`-c` pipe dump to /dev/null). Best of 3 runs for the Rust decoders,
# one run for the others.
#
# Peers missing on the machine are reported as "not installed" and skipped. To install them:
#   pip install pyais libais aiscat
#   apt-get install -y gpsd-clients
#
# Usage: scripts/bench-ais-peers.sh [REPEAT=24] [CPU=1]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REPEAT=${1:-24}
CPU=${2:-1}
ONCE="$ROOT/../shared/data/ais/bench/mixed_once.nmea"
[ -f "$ONCE" ] || { echo "skipping: $ONCE not found" >&2; exit 0; }
WORK=${BENCH_DIR:-$(mktemp -d)}
FILE="$WORK/bench_mixed.nmea"
for _ in $(seq "$REPEAT"); do cat "$ONCE"; done > "$FILE"
LINES=$(wc -l < "$FILE")
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
PIN=""
command -v taskset >/dev/null && PIN="taskset -c $CPU"

echo "building embargo ais (release) and the crates.io ais peer..." >&2
cargo build --quiet --release -p ais --example ais_stats
(cd scripts/peers/ais-crate && cargo build --quiet --release)

results=()   # "name|lines|messages|seconds"
add() { results+=("$1|$2|$3|$4"); }

read -r l m s < <($PIN "$ROOT/target/release/examples/ais_stats" --bench "$FILE")
add "embargo ais (this repo)" "$l" "$m" "$s"
read -r l m s < <($PIN "$ROOT/scripts/peers/ais-crate/target/release/ais-crate-peer" "$FILE")
add "ais 0.12 crate (crates.io)" "$l" "$m" "$s"

py_peer() { # name, python code printing "<messages> <seconds>"
    local name=$1 code=$2 out
    if out=$($PIN python3 -c "$code" "$FILE" 2>/dev/null); then
        read -r m s <<<"$out"
        add "$name" "$LINES" "$m" "$s"
    else
        add "$name" "-" "not installed" "-"
    fi
}

py_peer "pyais $(python3 -c 'import pyais;print(pyais.__version__)' 2>/dev/null || true)" '
import sys, time
from pyais.stream import FileReaderStream
t = time.perf_counter(); n = 0
for msg in FileReaderStream(sys.argv[1]):
    try:
        msg.decode(); n += 1
    except Exception:
        pass
print(n, time.perf_counter() - t)'

py_peer "libais 0.17 ais.stream.decode" '
import sys, time, warnings
warnings.simplefilter("ignore")
import ais.stream
t = time.perf_counter(); n = 0
with open(sys.argv[1]) as f:
    for _ in ais.stream.decode(f, errorcb=lambda *a, **k: None, allow_missing_timestamps=True):
        n += 1
print(n, time.perf_counter() - t)'

py_peer "aiscat $(python3 -c 'from importlib.metadata import version;print(version("aiscat"))' 2>/dev/null || true)" '
import sys, time
import aiscat
t = time.perf_counter(); n = 0
d = aiscat.Decoder()
with open(sys.argv[1], "rb") as f:
    while True:
        chunk = f.read(65536)
        if not chunk:
            break
        d.feed(chunk)
        while d.next() is not None:
            n += 1
print(n, time.perf_counter() - t)'

if command -v gpsdecode >/dev/null; then
    t0=$(date +%s.%N)
    m=$($PIN gpsdecode -c < "$FILE" 2>/dev/null | wc -l)
    t1=$(date +%s.%N)
    add "gpsdecode $(gpsdecode -V 2>&1 | awk '{print $NF}' | head -1) (-c)" "$LINES" "$m" "$(echo "$t1 - $t0" | bc)"
else
    add "gpsdecode" "-" "not installed" "-"
fi

ours_s=$(echo "${results[0]}" | cut -d'|' -f4)
echo
echo "Input: $FILE ($LINES lines = mixed_once.nmea x $REPEAT), pinned: ${PIN:-no}, $(date -u +%FT%TZ)"
echo "Load average (1/5/15 min) at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| decoder | seconds | messages out | sentences/s | embargo speed-up |"
echo "|---|---:|---:|---:|---:|"
for r in "${results[@]}"; do
    IFS='|' read -r name l m s <<<"$r"
    if [ "$s" = "-" ]; then
        echo "| $name | - | $m | - | - |"
        continue
    fi
    rate=$(echo "scale=0; $LINES / $s" | bc)
    ratio=$(echo "scale=2; $s / $ours_s" | bc)
    printf '| %s | %.3f | %s | %s | %s× |\n' "$name" "$s" "$m" "$(printf "%'d" "$rate" 2>/dev/null || echo "$rate")" "$ratio"
done
[ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"
