#!/usr/bin/env python3
"""Cut DPRK excerpts out of the real OFAC SDN Advanced XML and UN consolidated XML.

The excerpts keep the original bytes of every record they include (whole <DistinctParty>,
<Location>, <IDRegDocument>, <ProfileRelationship>, <SanctionsEntry> blocks; whole <INDIVIDUAL>/<ENTITY>
blocks), so they parse exactly like the full files. Both sources are public-domain government data.

usage: make_excerpts.py ofac SDN_ADVANCED_XML OUT.xml (--dprk-vessels N --dprk-other N | --profiles ID,ID,...) [--compact]
       make_excerpts.py un UN_XML OUT.xml (--dprk | --refs KPi.033,KPe.001,...)
"""
import re
import sys

DPRK = {"DPRK", "DPRK2", "DPRK3", "DPRK4", "DPRK-NKSPEA"}


def blocks(lines, open_re, close_tag):
    """Yield (start, end) line index ranges of blocks."""
    i = 0
    n = len(lines)
    while i < n:
        if open_re.match(lines[i]):
            if lines[i].rstrip().endswith("/>"):
                yield i, i
                i += 1
                continue
            j = i
            while close_tag not in lines[j]:
                j += 1
            yield i, j
            i = j + 1
        else:
            i += 1


def ofac(src, out, args):
    lines = open(src, encoding="utf-8").read().split("\n")
    idx = {}
    for k, l in enumerate(lines):
        s = l.strip()
        for sec in ("<Locations>", "</Locations>", "<IDRegDocuments>", "</IDRegDocuments>", "<DistinctParties>",
                    "</DistinctParties>", "<ProfileRelationships>", "</ProfileRelationships>", "<SanctionsEntries>",
                    "</SanctionsEntries>"):
            if s == sec and sec not in idx:
                idx[sec] = k
    entries = {}
    for a, b in blocks(lines[idx["<SanctionsEntries>"]:idx["</SanctionsEntries>"]], re.compile(r"\s*<SanctionsEntry "), "</SanctionsEntry>"):
        a += idx["<SanctionsEntries>"]; b += idx["<SanctionsEntries>"]
        pid = re.search(r'ProfileID="(\d+)"', lines[a]).group(1)
        progs = set(re.findall(r"<Comment>([^<]+)</Comment>", "\n".join(lines[a:b + 1])))
        entries.setdefault(pid, []).append((a, b, progs))
    parties = {}
    for a, b in blocks(lines[idx["<DistinctParties>"]:idx["</DistinctParties>"]], re.compile(r"\s*<DistinctParty "), "</DistinctParty>"):
        a += idx["<DistinctParties>"]; b += idx["<DistinctParties>"]
        pid = re.search(r'FixedRef="(\d+)"', lines[a]).group(1)
        parties[pid] = (a, b)
    if args[0] == "--profiles":
        chosen = args[1].split(",")
    else:
        nv, no = int(args[1]), int(args[3])
        vessels, other = [], []
        for pid, (a, b) in parties.items():
            progs = set().union(*[e[2] for e in entries.get(pid, [])]) if pid in entries else set()
            if not progs & DPRK:
                continue
            text = "\n".join(lines[a:b + 1])
            (vessels if 'PartySubTypeID="1"' in text else other).append(pid)
        # Parties with crypto addresses first (they exercise the most fields), then the smallest
        # ones, so that many DPRK names fit in a small file.
        def order(pid):
            a, b = parties[pid]
            t = "\n".join(lines[a:b + 1])
            crypto = 'FeatureTypeID="345"' in t or 'FeatureTypeID="344"' in t
            return (not crypto, b - a)
        other.sort(key=order)
        chosen = vessels[:nv] + other[:no]
    chosen_set = set(chosen)
    body = "\n".join("\n".join(lines[parties[p][0]:parties[p][1] + 1]) for p in chosen)
    identities = set(re.findall(r'<Identity ID="(\d+)"', body))
    loc_ids = set(re.findall(r'LocationID="(\d+)"', body))
    out_lines = lines[:idx["<Locations>"] + 1]
    for a, b in blocks(lines[idx["<Locations>"]:idx["</Locations>"]], re.compile(r"\s*<Location "), "</Location>"):
        a += idx["<Locations>"]; b += idx["<Locations>"]
        if re.search(r'ID="(\d+)"', lines[a]).group(1) in loc_ids:
            out_lines += lines[a:b + 1]
    out_lines += lines[idx["</Locations>"]:idx["<IDRegDocuments>"] + 1]
    for a, b in blocks(lines[idx["<IDRegDocuments>"]:idx["</IDRegDocuments>"]], re.compile(r"\s*<IDRegDocument "), "</IDRegDocument>"):
        a += idx["<IDRegDocuments>"]; b += idx["<IDRegDocuments>"]
        if re.search(r'IdentityID="(\d+)"', lines[a]).group(1) in identities:
            out_lines += lines[a:b + 1]
    out_lines += lines[idx["</IDRegDocuments>"]:idx["<DistinctParties>"] + 1]
    for p in chosen:
        a, b = parties[p]
        out_lines += lines[a:b + 1]
    out_lines += lines[idx["</DistinctParties>"]:idx["<ProfileRelationships>"] + 1]
    for a, b in blocks(lines[idx["<ProfileRelationships>"]:idx["</ProfileRelationships>"]], re.compile(r"\s*<ProfileRelationship "), "</ProfileRelationship>"):
        a += idx["<ProfileRelationships>"]; b += idx["<ProfileRelationships>"]
        m = re.search(r'From-ProfileID="(\d+)" To-ProfileID="(\d+)"', lines[a])
        if m and m.group(1) in chosen_set and m.group(2) in chosen_set:
            out_lines += lines[a:b + 1]
    out_lines += lines[idx["</ProfileRelationships>"]:idx["<SanctionsEntries>"] + 1]
    for p in chosen:
        for a, b, _ in entries.get(p, []):
            out_lines += lines[a:b + 1]
    out_lines += lines[idx["</SanctionsEntries>"]:]
    if "--compact" in args:
        # Leading indentation is a third of the bytes; dropping it keeps the XML identical in content.
        out_lines = [l.lstrip(" ") for l in out_lines]
    open(out, "w", encoding="utf-8").write("\n".join(out_lines))
    print(f"{out}: {len(chosen)} parties", file=sys.stderr)


def un(src, out, args):
    text = open(src, encoding="utf-8").read()
    head_end = text.index("<INDIVIDUALS>") + len("<INDIVIDUALS>")
    ind = re.findall(r"\n[ \t]*<INDIVIDUAL>.*?</INDIVIDUAL>", text, re.S)
    ent = re.findall(r"\n[ \t]*<ENTITY>.*?</ENTITY>", text, re.S)
    if args[0] == "--dprk":
        keep = lambda blk: "<UN_LIST_TYPE>DPRK</UN_LIST_TYPE>" in blk
    else:
        refs = set(args[1].split(","))
        keep = lambda blk: re.search(r"<REFERENCE_NUMBER>([^<]+)<", blk).group(1) in refs
    parts = [text[:head_end]]
    parts += [b for b in ind if keep(b)]
    parts.append("\n  </INDIVIDUALS>\n  <ENTITIES>")
    parts += [b for b in ent if keep(b)]
    parts.append("\n  </ENTITIES>\n</CONSOLIDATED_LIST>\n")
    open(out, "w", encoding="utf-8").write("".join(parts))
    print(f"{out}: {sum(keep(b) for b in ind)} individuals, {sum(keep(b) for b in ent)} entities", file=sys.stderr)


if __name__ == "__main__":
    kind, src, out, *rest = sys.argv[1:]
    {"ofac": ofac, "un": un}[kind](src, out, rest)
