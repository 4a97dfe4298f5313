#!/usr/bin/env python3
"""Finds a water route between two points (A* on a grid over the buffered coastline, then line-of-sight simplification), to place waypoints. Usage: python3 scripts/sim-find-lane.py LAT,LON LAT,LON (needs shapely)."""
import os
import json,sys,heapq,math
from shapely.geometry import shape, Point, LineString
from shapely.ops import unary_union
from shapely.prepared import prep
d=json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'coast', 'land_east_asia.geojson')))
land=prep(unary_union([shape(f["geometry"]) for f in d["features"]]).buffer(0.0006))
def path(a,b,step=0.004,pad=0.15):
    (la1,lo1),(la2,lo2)=a,b
    minla,maxla=min(la1,la2)-pad,max(la1,la2)+pad
    minlo,maxlo=min(lo1,lo2)-pad,max(lo1,lo2)+pad
    def cell(la,lo): return (round((la-minla)/step),round((lo-minlo)/step))
    def pos(c): return (minla+c[0]*step, minlo+c[1]*step)
    s,g=cell(*a),cell(*b)
    water={}
    def ok(c):
        if c not in water:
            la,lo=pos(c); water[c]=not land.contains(Point(lo,la))
        return water[c]
    pq=[(0,s)];came={s:None};cost={s:0}
    while pq:
        _,c=heapq.heappop(pq)
        if c==g: break
        for dx in (-1,0,1):
            for dy in (-1,0,1):
                n=(c[0]+dx,c[1]+dy)
                if n==c or not ok(n): continue
                nc=cost[c]+math.hypot(dx,dy)
                if nc<cost.get(n,1e18):
                    cost[n]=nc;came[n]=c
                    heapq.heappush(pq,(nc+math.hypot(n[0]-g[0],n[1]-g[1]),n))
    if g not in came: return None
    pts=[];c=g
    while c: pts.append(pos(c));c=came[c]
    pts=[b]+pts[1:-1]+[a]; pts.reverse()
    # simplify by line of sight
    out=[pts[0]];i=0
    while i<len(pts)-1:
        j=len(pts)-1
        while j>i+1 and land.intersects(LineString([(pts[i][1],pts[i][0]),(pts[j][1],pts[j][0])])): j-=1
        out.append(pts[j]);i=j
    return out
a=tuple(map(float,sys.argv[1].split(',')));b=tuple(map(float,sys.argv[2].split(',')))
p=path(a,b)
print([ (round(x,4),round(y,4)) for x,y in p] if p else None)
