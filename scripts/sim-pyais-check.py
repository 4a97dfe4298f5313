#!/usr/bin/env python3
"""Shows that pyais (an independent decoder) reads the simulator's NMEA output.

Usage: python3 scripts/sim-pyais-check.py OUT/ais.nmea [MAX_MESSAGES]   (pip install pyais)

Reads messages with pyais's FileReaderStream (tag blocks, multipart assembly), decodes up to
MAX_MESSAGES (default 200,000) and prints counts by type, tag-block stations and times, checksum
failures (the simulator corrupts a few sentences on purpose), sample messages, and whether every
MMSI and position agrees with OUT/truth.json (MMSIs of simulated vessels; positions in the
scenario's area). Exit code 1 if pyais fails on any message with a valid checksum.
"""
import collections
import json
import os
import sys

from pyais.stream import FileReaderStream

path = sys.argv[1] if len(sys.argv) > 1 else "sim-out/ais.nmea"
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
truth_path = os.path.join(os.path.dirname(path), "truth.json")
truth = json.load(open(truth_path)) if os.path.exists(truth_path) else None

types = collections.Counter()
stations = collections.Counter()
errors = collections.Counter()
invalid = 0
decoded = 0
unknown_mmsi = 0
samples = {}
tmin, tmax = None, None
lat_range = [90.0, -90.0]
lon_range = [180.0, -180.0]
known = set()
if truth:
    known = {v["mmsi"] for v in truth["vessels"]}

for msg in FileReaderStream(path):
    if decoded + invalid >= limit:
        break
    if not msg.is_valid:
        invalid += 1  # bad checksum: corrupted on purpose by the receiver model
        continue
    try:
        d = msg.decode()
    except Exception as e:  # any decode failure on a valid sentence is a real problem
        errors[type(e).__name__] += 1
        continue
    decoded += 1
    types[d.msg_type] += 1
    samples.setdefault(d.msg_type, d)
    tb = msg.tag_block
    if tb is not None:
        tb.init()
        stations[tb.source_station] += 1
        t = int(tb.receiver_timestamp)
        tmin = t if tmin is None else min(tmin, t)
        tmax = t if tmax is None else max(tmax, t)
    if known and d.mmsi not in known:
        unknown_mmsi += 1
    lat, lon = getattr(d, "lat", None), getattr(d, "lon", None)
    if lat is not None and lon is not None:
        lat_range = [min(lat_range[0], lat), max(lat_range[1], lat)]
        lon_range = [min(lon_range[0], lon), max(lon_range[1], lon)]

print(f"file: {path}")
print(f"messages decoded by pyais: {decoded:,}; invalid checksum (corrupted on purpose): {invalid:,}")
print("decoded by type:", dict(sorted(types.items())))
print("stations (tag block s:):", dict(stations.most_common()))
print(f"tag block c: times {tmin} .. {tmax} (Unix seconds)")
print(f"positions within lat {lat_range[0]:.3f}..{lat_range[1]:.3f}, lon {lon_range[0]:.3f}..{lon_range[1]:.3f}")
if truth:
    print(f"MMSIs not among truth.json vessels: {unknown_mmsi} (spoofed identities use real vessels' MMSIs, so 0 expected)")
print("decode errors on valid sentences:", dict(errors) or "none")
for t in sorted(samples):
    d = samples[t].asdict()
    keep = {k: d[k] for k in ("msg_type", "mmsi", "lat", "lon", "speed", "course", "status", "shipname", "imo", "draught", "destination", "partno", "shiptype") if k in d}
    print(f"  sample type {t}: {keep}")
sys.exit(1 if errors or unknown_mmsi else 0)
