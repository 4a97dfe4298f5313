#!/usr/bin/env python3
"""Checks a scenario TOML against the bundled coastline (buffered by the simulator's ~50 m clearance): ports and waypoints in water, lanes clear of land. Usage: python3 scripts/sim-check-lanes.py scenarios/dprk.toml (needs shapely)."""
import os
import json,sys,tomllib
from shapely.geometry import shape, Point, LineString
from shapely.ops import unary_union
from shapely.prepared import prep
d=json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'coast', 'land_east_asia.geojson')))
land=unary_union([shape(f["geometry"]) for f in d["features"]]).buffer(0.0006)
pl=prep(land)
sc=tomllib.load(open(sys.argv[1],'rb'))
nodes={}
for p in sc.get('port',[])+sc.get('waypoint',[]):
    pt=Point(p['lon'],p['lat']); nodes[p['name']]=(p['lon'],p['lat'])
    if pl.contains(pt): print("ON LAND:",p['name'])
for a in sc.get('anchorage',[]):
    if pl.contains(Point(a['lon'],a['lat'])): print("ANCH ON LAND", a['name'])
bad=0
for a,b in sc.get('lanes',[]):
    if a not in nodes or b not in nodes: print("missing",a,b); continue
    if pl.intersects(LineString([nodes[a],nodes[b]])): print("CROSS:",a,b); bad+=1
for s in sc.get('script',[]):
    if 'lat' in s and pl.contains(Point(s['lon'],s['lat'])): print("SCRIPT ON LAND", s['label'])
print("nodes",len(nodes),"lanes",len(sc.get('lanes',[])),"bad",bad)
