#!/usr/bin/env python3
"""Build data/coast/land_east_asia.geojson from Natural Earth 1:10m land (public domain),
as shipped in the npm package world-atlas (ISC): `npm pack world-atlas@2; tar xzf world-atlas-*.tgz`.

Usage: scripts/make-coastline.py package/land-10m.json data/coast/land_east_asia.geojson
The land polygons are clipped to the region box (Sutherland-Hodgman) and rounded to 4 decimals (~10 m).
"""
import json, sys

BOX = (112.0, 24.0, 142.0, 46.0)  # lon_min, lat_min, lon_max, lat_max: Yellow Sea, Korea Bay, East China Sea, Sea of Japan

def decode(topo):
    sx, sy = topo["transform"]["scale"]; tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0; pts = []
        for dx, dy in arc:
            x += dx; y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs

def ring(arcs, idxs):
    out = []
    for i in idxs:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        out.extend(pts if not out else pts[1:])
    return out

def clip(poly, box):
    x0, y0, x1, y1 = box
    edges = [(lambda p: p[0] >= x0, lambda a, b: (x0, a[1] + (b[1]-a[1])*(x0-a[0])/(b[0]-a[0]))),
             (lambda p: p[0] <= x1, lambda a, b: (x1, a[1] + (b[1]-a[1])*(x1-a[0])/(b[0]-a[0]))),
             (lambda p: p[1] >= y0, lambda a, b: (a[0] + (b[0]-a[0])*(y0-a[1])/(b[1]-a[1]), y0)),
             (lambda p: p[1] <= y1, lambda a, b: (a[0] + (b[0]-a[0])*(y1-a[1])/(b[1]-a[1]), y1))]
    for inside, cut in edges:
        if not poly: break
        out = []
        prev = poly[-1]
        for cur in poly:
            if inside(cur):
                if not inside(prev): out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
        poly = out
    return poly

def main(src, dst):
    topo = json.load(open(src))
    arcs = decode(topo)
    feats = []
    for obj in topo["objects"]["land"]["geometries"]:
        polys = obj["arcs"] if obj["type"] == "MultiPolygon" else [obj["arcs"]]
        for p in polys:
            outer = clip(ring(arcs, p[0]), BOX)
            if len(outer) < 3: continue
            coords = [[round(x, 4), round(y, 4)] for x, y in outer]
            dedup = [coords[0]] + [c for a, c in zip(coords, coords[1:]) if c != a]
            if len(dedup) < 3: continue
            dedup.append(dedup[0])
            holes = []
            for h in p[1:]:
                hc = clip(ring(arcs, h), BOX)
                if len(hc) >= 3:
                    holes.append([[round(x, 4), round(y, 4)] for x, y in hc] + [[round(hc[0][0], 4), round(hc[0][1], 4)]])
            feats.append({"type": "Feature", "properties": {"kind": "land"},
                          "geometry": {"type": "Polygon", "coordinates": [dedup] + holes}})
    json.dump({"type": "FeatureCollection",
               "properties": {"source": "Natural Earth 1:10m land (public domain), via npm world-atlas 2.0.2",
                              "box": BOX},
               "features": feats}, open(dst, "w"), separators=(",", ":"))
    print(f"{len(feats)} polygons written to {dst}")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
