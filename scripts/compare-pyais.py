#!/usr/bin/env python3
"""Compare decoded-message counts per AIS type: pyais vs the embargo `ais` crate.

Usage: scripts/compare-pyais.py [FILE]   (default ../shared/data/ais/bench/mixed_once.nmea)
Needs: pip install pyais (3.3.1 used for docs/accuracy.md); cargo.
Prints a per-type table and the differences, as Markdown.
"""
import collections
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "ais", "bench", "mixed_once.nmea")

import pyais  # noqa: E402
from pyais.stream import FileReaderStream  # noqa: E402

py_types = collections.Counter()
py_errors = collections.Counter()
for msg in FileReaderStream(path):
    try:
        d = msg.decode()
        py_types[d.msg_type] += 1
    except Exception as e:  # pyais raises on empty payloads, unknown types, ...
        py_errors[type(e).__name__] += 1

subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "ais", "--example", "ais_stats"], cwd=ROOT, check=True)
out = subprocess.run(
    [os.path.join(ROOT, "target", "release", "examples", "ais_stats"), path],
    env=dict(os.environ, AIS_STATS_JSON="1"),
    capture_output=True,
    text=True,
    check=True,
).stdout
ours = json.loads(out)
our_types = collections.Counter({int(k): v for k, v in ours["by_type"].items()})

print(f"File: `{os.path.relpath(path, ROOT)}`, pyais {pyais.__version__}\n")
print("| type | pyais | embargo ais | diff | diff % |")
print("|---:|---:|---:|---:|---:|")
worst = 0.0
for t in sorted(set(py_types) | set(our_types)):
    p, o = py_types[t], our_types[t]
    pct = 100.0 * (o - p) / p if p else float("inf") if o else 0.0
    worst = max(worst, abs(pct))
    print(f"| {t} | {p} | {o} | {o - p:+d} | {pct:+.2f} |")
tp, to = sum(py_types.values()), sum(our_types.values())
print(f"| **all** | {tp} | {to} | {to - tp:+d} | {100.0 * (to - tp) / tp:+.2f} |")
print(f"\npyais exceptions: {dict(py_errors)}")
print(f"embargo rejects (lines): {ours['by_reason']}")
print(f"largest per-type difference: {worst:.2f} %")

# Explain: every line embargo rejected, what pyais makes of it (single-sentence lines only; a
# fragment is explained by its reason).
rej = subprocess.run(
    [os.path.join(ROOT, "target", "release", "examples", "ais_stats"), path],
    env=dict(os.environ, AIS_SHOW_REJECTS="1"),
    capture_output=True,
    text=True,
    check=True,
).stderr.splitlines()
explained = collections.Counter()
for r in rej:
    reason, line = r.split("\t", 1)
    what = "pyais: not decoded"
    try:
        m = pyais.decode(line.encode())
        what = f"pyais: type {m.msg_type}"
        f = line.split(",")
        nbits = len(f[5]) * 6 - int(f[6].split("*")[0] or 0)
        what += f", {nbits} bits"
    except Exception as e:
        what = f"pyais: {type(e).__name__}"
    explained[(reason, what)] += 1
print("\n| embargo reject reason | what pyais does with the line | lines |")
print("|---|---|---:|")
for (reason, what), n in sorted(explained.items()):
    print(f"| {reason} | {what} | {n} |")

# Cross-check the `bad_length` lines with libais and gpsdecode when they are installed.
bad = [r.split("\t", 1)[1] for r in rej if r.startswith("bad_length\t")]
try:
    import ais as libais  # pip install libais

    ok = 0
    for line in bad:
        f = line.split(",")
        try:
            libais.decode(f[5], int(f[6].split("*")[0] or 0))
            ok += 1
        except Exception:
            pass
    print(f"\nlibais ais.decode on the {len(bad)} bad_length lines: {ok} decoded, {len(bad) - ok} rejected")
except ImportError:
    print("\nlibais not installed: skipped")
try:
    out = subprocess.run(["gpsdecode", "-c"], input="\n".join(bad) + "\n", capture_output=True, text=True).stdout
    n = len([l for l in out.splitlines() if l.strip()])
    print(f"gpsdecode -c on the {len(bad)} bad_length lines: {n} decoded, {len(bad) - n} rejected")
except FileNotFoundError:
    print("gpsdecode not installed: skipped")
