#!/usr/bin/env python3
"""Writes scenarios/dprk.toml (or scenarios/scale.toml with the argument `scale`) from the shared
geography (crates/sim/scenario-src/geography.toml), the ship types and the vessel and script lists
below. The generated TOML is what the simulator reads and what is committed; this script only saves
typing. Check lanes afterwards with scripts/sim-check-lanes.py (needs shapely) or `cargo test -p sim`."""
import os, sys
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SRC = os.path.join(ROOT, "crates", "sim", "scenario-src")
SCALE = len(sys.argv) > 1 and sys.argv[1] == "scale"
geo=open(os.path.join(SRC, 'geography.toml')).read()
i=geo.index('\n[[port]]')
lanes_part=geo[:i]; tables=geo[i:]
types=open(os.path.join(SRC, 'ship-types.toml')).read()
def tbl(name, d):
    out=[f"\n[[{name}]]"]
    for k,v in d.items():
        if v is None: continue
        if isinstance(v,bool): v='true' if v else 'false'
        elif isinstance(v,str): v='"'+v+'"'
        elif isinstance(v,list): v='['+', '.join('"'+x+'"' if isinstance(x,str) else str(x) for x in v)+']'
        out.append(f"{k} = {v}")
    return '\n'.join(out)+'\n'
head='''# dprk: a scenario modelled on the DPRK sanctions-evasion cases of 2018-2020 (UN Panel of Experts,
# Japan MOFA sightings). Yellow Sea, Korea Bay and the East China Sea, two weeks: DPRK-flagged
# tankers (MID 445) meet foreign tankers at the project's approximate STS hotspots
# (../shared/data/dprk/sts_hotspots.geojson; MOFA-derived points east and south of Shanghai), go
# dark, call at Nampho with AIS off, spoof positions and identities; around them, ordinary trade,
# bunkering in port, tugs, ships waiting together at anchorages, fishing fleets and satellite
# coverage gaps. Vessel names and IMO numbers of designated ships are taken from the public record
# (../shared/data/dprk/dprk_vessels_of_interest.csv); their MMSIs are invented for the simulation.
# Format: docs/scenarios.md.
name = "dprk"
description = "Yellow Sea / Korea Bay / East China Sea, 14 days: STS rendezvous, dark periods, spoofing, DPRK port calls, benign look-alikes"
start = "2026-03-02T00:00:00Z"
hours = 336
seed = 2017
'''
stations=[("CN-DLN",38.92,121.60),("CN-ZZD",39.00,122.70),("CN-YNT",37.55,121.40),("CN-CHS",37.40,122.55),("CN-QDO",36.07,120.35),("CN-LYG",34.73,119.42),("CN-LUS",32.08,121.60),("CN-SHA",31.40,121.50),("CN-SHE",30.72,122.45),("CN-ZOS",30.00,122.20),("KR-BNY",37.95,124.67),("KR-ICN",37.45,126.60)]
rest=''
for n,la,lo in stations: rest+=tbl('station',dict(name=n,lat=la,lon=lo,range_nm=40))
rest+='''
# Satellite AIS: a pass every 30 minutes seen over the whole area for 12 minutes, with heavy slot
# collision loss in these busy waters, and occasional downlink outages (no satellite data at all
# for 6-9 hours), which leave ships out of terrestrial range silent: benign coverage gaps.
[satellite]
name = "sat-a"
revisit_minutes = 30
pass_minutes = 12
detect_prob = 0.25
outages_per_day = 0.15
outage_hours = [6, 9]

[reception]
loss = 0.15
duplicate = 0.2
reorder = 0.002
reorder_max_s = 20
corrupt = 0.0005
'''+types
fleets=[
 dict(name="cn bulk",type="bulk",count=12,mids=[412,413,414],flag="CN",ports=["Dalian","Yantai","Qingdao","Lianyungang","Shanghai","Ningbo-Zhoushan"],stay_hours=[12,40],anchor_wait_prob=0.3),
 dict(name="cn tankers",type="tanker_product",count=6,mids=[412,413],flag="CN",ports=["Dalian","Qingdao","Shanghai","Ningbo-Zhoushan"],stay_hours=[10,30],anchor_wait_prob=0.2,role="tanker"),
 dict(name="feeders",type="container",count=4,mids=[477,563,636],flag="XX",ports=["Shanghai","Ningbo-Zhoushan","Qingdao","Dalian"],stay_hours=[8,20],anchor_wait_prob=0.1),
 dict(name="shandong fishing",type="fishing",count=8,mids=[412],flag="CN",ports=["Yantai","Qingdao"],pattern="fishing",stay_hours=[10,30],ground=[37.2,123.3],ground_radius_km=40),
 dict(name="zhejiang fishing",type="fishing",count=8,mids=[413],flag="CN",ports=["Ningbo-Zhoushan"],pattern="fishing",stay_hours=[10,30],ground=[29.8,122.9],ground_radius_km=40),
 dict(name="tugs",type="tug",count=4,mids=[412,413],flag="CN",ports=["Shanghai","Qingdao","Dalian"],pattern="harbour",stay_hours=[3,12]),
]
for f in fleets: rest+=tbl('fleet',f)
V=[]
def v(name,type,mmsi,flag,role,home,imo=None,designated=False,dwt=None,laden=False,callsign=None):
    V.append(dict(name=name,type=type,mmsi=mmsi,imo=imo,callsign=callsign,flag=flag,role=role,designated=designated,home=home,dwt=dwt,laden=laden or None))
# DPRK tankers (designated, IMO from the public record; MMSI invented)
v("YU JONG 2","tanker_small",445112001,"KP","dprk_tanker","Nampho",8604917,True,1200)
v("AN SAN 1","tanker_small",445112002,"KP","dprk_tanker","Ningbo-Zhoushan",7303803,True,3000)
v("CHON MA SAN","tanker_small",445112003,"KP","dprk_tanker","Nampho",8660313,True,2600)
v("SAM JONG 2","tanker_small",445112004,"KP","dprk_tanker","Nampho",7408873,True,2000)
v("YU SON","tanker_small",445112005,"KP","dprk_tanker","Nampho",8691702,True,2500)
v("NAM SAN 8","tanker_small",445112006,"KP","dprk_tanker","Ningbo-Zhoushan",8122347,True,3200)
v("SAEBYOL","tanker_small",445112007,"KP","dprk_tanker","Ningbo-Zhoushan",8916293,True,2300)
v("RYE SONG GANG 1","tanker_small",445112008,"KP","dprk_tanker","Ningbo-Zhoushan",7389704,True,2700)
v("JI SONG 6","tanker_small",445112009,"KP","dprk_tanker","Nampho",8898740,True,1800)
v("CHON MYONG 1","tanker_small",445112010,"KP","dprk_tanker","Nampho",8712362,True,2200)
v("RUNG RA 2","cargo_small",445112011,"KP","dprk_cargo","Nampho",9020534,True,4500,laden=True)
# Foreign tankers and partners
v("MIN NING DE YOU 078","tanker_product",413900078,"CN","foreign_tanker","Shanghai",None,True,5200,laden=True)
v("YUK TUNG","tanker_product",325900001,"DM","foreign_tanker","Shanghai",9030591,True,7800,laden=True)
v("WAN HENG 11","tanker_product",312900011,"BZ","foreign_tanker","Dalian",8791667,True,6500,laden=True)
v("SHANG YUAN BAO","tanker_product",352900001,"PA","foreign_tanker","Dalian",8126070,True,6031,laden=True)
v("HUA YANG 6","tanker_product",413900006,"CN","foreign_tanker","Shanghai",9301550,False,9000,laden=True)
v("PACIFIC GRACE","tanker_product",667900001,"SL","foreign_tanker","Ningbo-Zhoushan",9448712,False,8000,laden=True)
v("XIN HAI 9","tanker_product",413900009,"CN","foreign_tanker","Dalian",9188221,False,7000,laden=True)
v("OCEAN STAR 3","tanker_product",671900003,"TG","foreign_tanker","Qingdao",9255335,False,6000)
v("ZHE XIN 18","barge",413900018,"CN","coal_barge","Lianyungang",9377107,False,4000)
# Benign named ships
v("HUA HAI 21","bulk",413700021,"CN","bulk","Dalian",9488126)
v("LIAO YOU 3","bunker",413710003,"CN","bunker","Dalian",9551208)
v("PU HAI 8","tanker_product",413700008,"CN","tanker","Shanghai",9673018)
v("HU YOU 12","bunker",413710012,"CN","bunker","Shanghai",9123403)
v("QING TUO 2","tug",413720002,"CN","tug","Qingdao",None)
v("QING HAI 1","bulk",413730001,"CN","bulk","Qingdao",9266114)
v("QING HAI 2","bulk",413730002,"CN","bulk","Qingdao",9412335)
v("QING HAI 3","bulk",413730003,"CN","bulk","Qingdao",9518775)
v("ZHE HAI 5","bulk",413740005,"CN","bulk","Ningbo-Zhoushan",9622100)
v("ZHE HAI 6","bulk",413740006,"CN","bulk","Ningbo-Zhoushan",9712345)
for k in range(4): v(f"LU RONG YU {101+k}","fishing",412750101+k,"CN","fishing","Yantai")
for k in range(3): v(f"ZHE DAI YU {201+k}","fishing",413760201+k,"CN","fishing","Ningbo-Zhoushan")
S=[]
def s(**d): S.append(d)
# Evasion
s(kind="sts",label="sts_east_of_shanghai",vessels=["YU JONG 2","MIN NING DE YOU 078"],lat=31.2,lon=124.1,start_h=66,hours=6)
s(kind="port_call",label="dprk_delivery",vessel="YU JONG 2",port="Nampho",start_h=135,hours=24,draught_change_m=-2.8)
s(kind="sts",label="sts_sse_of_shanghai_partner_dark",vessels=["AN SAN 1","YUK TUNG"],lat=28.31,lon=122.84,start_h=30,hours=8,dark="second")
s(kind="rename",label="rename_at_sea",vessel="AN SAN 1",name="HOPE SEA",at_h=60)
s(kind="port_call",label="dprk_port_call_dark",vessel="AN SAN 1",port="Nampho",start_h=115,hours=20,dark=True,dark_margin_h=4,draught_change_m=-2.8)
s(kind="sts",label="sts_korea_bay_both_dark",vessels=["CHON MA SAN","WAN HENG 11"],lat=38.9,lon=123.4,start_h=100,hours=5,dark="both")
s(kind="port_call",label="dprk_delivery",vessel="CHON MA SAN",port="Nampho",start_h=125,hours=16,draught_change_m=-2.8)
s(kind="sts",label="sts_nampho_approaches_dprk_dark",vessels=["SAM JONG 2","SHANG YUAN BAO"],lat=38.62,lon=124.75,start_h=150,hours=4,dark="first")
s(kind="port_call",label="dprk_port_call_dark",vessel="SHANG YUAN BAO",port="Nampho",start_h=175,hours=12,dark=True,dark_margin_h=4,draught_change_m=-1.5)
s(kind="sts",label="sts_ningbo_zhoushan",vessels=["YU SON","HUA YANG 6"],lat=30.35,lon=122.75,start_h=200,hours=6)
s(kind="port_call",label="dprk_delivery",vessel="YU SON",port="Nampho",start_h=270,hours=20,draught_change_m=-2.8)
s(kind="sts",label="sts_south_of_shanghai_day1",vessels=["NAM SAN 8","PACIFIC GRACE"],lat=27.72,lon=121.47,start_h=250,hours=6)
s(kind="sts",label="sts_south_of_shanghai_day2",vessels=["NAM SAN 8","PACIFIC GRACE"],lat=27.75,lon=121.52,start_h=274,hours=5)
s(kind="sts",label="coal_sts_lianyungang",vessels=["ZHE XIN 18","RUNG RA 2"],lat=34.85,lon=119.9,start_h=120,hours=8)
s(kind="sts",label="sts_korea_bay_dprk_dark",vessels=["CHON MYONG 1","XIN HAI 9"],lat=39.25,lon=123.0,start_h=290,hours=6,dark="first")
s(kind="dark",label="dark_at_sea",vessel="XIN HAI 9",start_h=100,hours=18)
s(kind="port_call",label="port_call",vessel="XIN HAI 9",port="Shanghai",start_h=140,hours=30)
s(kind="forged_imo",label="forged_imo",vessel="CHON MYONG 1",imo=8712368,at_h=90)
s(kind="mmsi_spoof",label="identity_theft",vessel="JI SONG 6",victim="HUA YANG 6",start_h=150,hours=45)
s(kind="port_call",label="designated_call_under_false_identity",vessel="JI SONG 6",port="Dalian",start_h=170,hours=15,benign=False)
s(kind="mmsi_spoof",label="designated_mmsi_broadcast",vessel="OCEAN STAR 3",victim="WAN HENG 11",start_h=230,hours=50)
s(kind="port_call",label="port_call",vessel="OCEAN STAR 3",port="Shanghai",start_h=250,hours=12)
s(kind="position_spoof",label="circle_spoof_off_shanghai",vessel="SAEBYOL",mode="circle",lat=30.8,lon=123.3,radius_m=2000,start_h=80,hours=120)
s(kind="port_call",label="dprk_port_call_spoofed",vessel="SAEBYOL",port="Nampho",start_h=140,hours=12,draught_change_m=-2.8)
s(kind="position_spoof",label="fixed_spoof_zhoushan",vessel="RYE SONG GANG 1",mode="fixed",lat=30.05,lon=122.5,start_h=200,hours=120)
s(kind="port_call",label="dprk_port_call_spoofed",vessel="RYE SONG GANG 1",port="Nampho",start_h=262,hours=12,draught_change_m=-2.8)
# Benign look-alikes
s(kind="in_port_alongside",label="bunkering_in_port",vessels=["HUA HAI 21","LIAO YOU 3"],port="Dalian",start_h=50,hours=5)
s(kind="in_port_alongside",label="bunkering_in_port",vessels=["PU HAI 8","HU YOU 12"],port="Shanghai",start_h=150,hours=4)
s(kind="in_port_alongside",label="tug_alongside",vessels=["QING HAI 1","QING TUO 2"],port="Qingdao",start_h=30,hours=2)
s(kind="anchorage_wait",label="anchorage_wait",vessels=["QING HAI 1","QING HAI 2","QING HAI 3"],anchorage="Qingdao anchorage",start_h=80,hours=20)
s(kind="anchorage_wait",label="anchorage_wait",vessels=["ZHE HAI 5","ZHE HAI 6"],anchorage="Zhoushan anchorage",start_h=220,hours=30)
s(kind="fishing_fleet",label="fishing_fleet",vessels=[f"LU RONG YU {101+k}" for k in range(4)],lat=36.6,lon=122.3,start_h=60,hours=30,speed_kn=2.0)
s(kind="fishing_fleet",label="fishing_fleet",vessels=[f"ZHE DAI YU {201+k}" for k in range(3)],lat=30.6,lon=123.3,start_h=180,hours=24,speed_kn=3.0)
if SCALE:
    head='''# scale: the dprk scenario's geography, named vessels and scripts, with about 3,000 generated
# ships (bulk carriers, tankers, feeders, fishing fleets, tugs) for two weeks: tens of millions of
# positions, for benchmarks of ingest and detection. Format: docs/scenarios.md.
name = "scale"
description = "About 3,000 ships in the Yellow Sea and East China Sea for 14 days (benchmark scenario)"
start = "2026-03-02T00:00:00Z"
hours = 336
seed = 4242
'''
    import re
    for name,n in [("cn bulk",900),("cn tankers",500),("feeders",400),("shandong fishing",500),("zhejiang fishing",500),("tugs",200)]:
        rest=re.sub(r'(\n\[\[fleet\]\]\nname = "'+name+r'"\ntype = "[a-z_]+"\ncount = )\d+', lambda m: m.group(1)+str(n), rest)
body=''.join(tbl('vessel',x) for x in V)+''.join(tbl('script',x) for x in S)
open(os.path.join(ROOT, 'scenarios', ('scale' if SCALE else 'dprk') + '.toml'), 'w').write(head+lanes_part+rest+body+tables)
