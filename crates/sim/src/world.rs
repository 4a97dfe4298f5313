//! The world a scenario describes: land, ports, anchorages and the sea-lane graph, with routing
//! that never crosses land.
//!
//! Geometry is planar in longitude/latitude: legs are straight lines in lon/lat, and ships move
//! along them by linear interpolation, so the land check and the emitted positions agree exactly.
//! Over the lengths of sea-lane legs (tens to a few hundred km) this differs from a great circle
//! by far less than a lane's width.

use crate::scenario::Scenario;
use crate::SimError;
use spatial::{haversine_m, LonLat, Polygon, ZoneSet};
use std::collections::HashMap;

/// The Natural Earth 1:10m land polygons for East Asia (lon 112–142°E, lat 24–46°N), bundled.
pub const EAST_ASIA_LAND: &str = include_str!("../../../data/coast/land_east_asia.geojson");

/// Land polygons with bounding boxes, and a grid index of coastline edges so that crossing
/// tests look only at the coast near a segment.
#[derive(Debug, Clone, Default)]
pub struct Land {
    polys: Vec<(Polygon, [f64; 4])>,
    /// Coastline edges by grid cell ([`CELL_DEG`]): `(polygon, ring, vertex)` of the edge start.
    grid: EdgeGrid,
}

/// Coastline edges by grid cell: `(polygon, ring, vertex)` of each edge's start.
type EdgeGrid = HashMap<(i32, i32), Vec<(u32, u32, u32)>>;

/// Grid cell size of the coastline index, degrees.
const CELL_DEG: f64 = 0.05;

fn cell_of(lon: f64, lat: f64) -> (i32, i32) {
    (
        (lon / CELL_DEG).floor() as i32,
        (lat / CELL_DEG).floor() as i32,
    )
}

fn seg_intersects(p1: LonLat, p2: LonLat, p3: LonLat, p4: LonLat) -> bool {
    let d = |a: LonLat, b: LonLat, c: LonLat| {
        (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon)
    };
    let d1 = d(p3, p4, p1);
    let d2 = d(p3, p4, p2);
    let d3 = d(p1, p2, p3);
    let d4 = d(p1, p2, p4);
    ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
}

impl Land {
    /// Land from polygons.
    pub fn new(polys: Vec<Polygon>) -> Self {
        let polys: Vec<(Polygon, [f64; 4])> = polys
            .into_iter()
            .map(|p| {
                let (a, b, c, d) = p.bbox();
                (p, [a, b, c, d])
            })
            .collect();
        let mut grid: EdgeGrid = HashMap::new();
        for (pi, (poly, _)) in polys.iter().enumerate() {
            for (ri, ring) in std::iter::once(&poly.outer)
                .chain(poly.holes.iter())
                .enumerate()
            {
                let n = ring.len();
                for i in 0..n {
                    let (c, d) = (ring[i], ring[(i + 1) % n]);
                    let e = CLEARANCE_DEG;
                    let (x0, y0) = cell_of(c.lon.min(d.lon) - e, c.lat.min(d.lat) - e);
                    let (x1, y1) = cell_of(c.lon.max(d.lon) + e, c.lat.max(d.lat) + e);
                    for x in x0..=x1 {
                        for y in y0..=y1 {
                            grid.entry((x, y))
                                .or_default()
                                .push((pi as u32, ri as u32, i as u32));
                        }
                    }
                }
            }
        }
        Land { polys, grid }
    }

    fn edge(&self, (pi, ri, i): (u32, u32, u32)) -> (LonLat, LonLat) {
        let poly = &self.polys[pi as usize].0;
        let ring = if ri == 0 {
            &poly.outer
        } else {
            &poly.holes[ri as usize - 1]
        };
        let n = ring.len();
        (ring[i as usize], ring[(i as usize + 1) % n])
    }

    /// Number of polygons.
    pub fn len(&self) -> usize {
        self.polys.len()
    }

    /// True when there is no land.
    pub fn is_empty(&self) -> bool {
        self.polys.is_empty()
    }

    /// True when `p` is on land.
    pub fn contains(&self, p: LonLat) -> bool {
        self.polys.iter().any(|(poly, bb)| {
            p.lon >= bb[0] && p.lon <= bb[2] && p.lat >= bb[1] && p.lat <= bb[3] && poly.contains(p)
        })
    }

    /// True when the straight lon/lat segment `a`–`b` touches land: crosses a coastline, has an
    /// end on land, or passes within [`CLEARANCE_DEG`] of a coastline vertex (so that ships never
    /// graze a headland and GPS noise never puts a position ashore).
    pub fn crosses(&self, a: LonLat, b: LonLat) -> bool {
        self.contains(a) || self.contains(b) || self.crosses_from_water(a, b)
    }

    /// [`Land::crosses`] for a segment whose start `a` is known to be in water: with no coastline
    /// crossed, the whole segment is then in water, so no point-in-polygon test is needed.
    pub fn crosses_from_water(&self, a: LonLat, b: LonLat) -> bool {
        // Walk the segment in steps shorter than a cell and test the edges indexed in the cells
        // each step's box touches.
        let steps = ((b.lon - a.lon).abs().max((b.lat - a.lat).abs()) / (CELL_DEG * 0.5))
            .ceil()
            .max(1.0) as usize;
        let mut seen: Vec<(i32, i32)> = Vec::new();
        for k in 0..steps {
            let f0 = k as f64 / steps as f64;
            let f1 = (k + 1) as f64 / steps as f64;
            let p0 = LonLat::new(a.lon + (b.lon - a.lon) * f0, a.lat + (b.lat - a.lat) * f0);
            let p1 = LonLat::new(a.lon + (b.lon - a.lon) * f1, a.lat + (b.lat - a.lat) * f1);
            let (x0, y0) = cell_of(p0.lon.min(p1.lon), p0.lat.min(p1.lat));
            let (x1, y1) = cell_of(p0.lon.max(p1.lon), p0.lat.max(p1.lat));
            for x in x0..=x1 {
                for y in y0..=y1 {
                    if seen.contains(&(x, y)) {
                        continue;
                    }
                    seen.push((x, y));
                    if seen.len() > 64 {
                        seen.drain(..32);
                    }
                    let Some(edges) = self.grid.get(&(x, y)) else {
                        continue;
                    };
                    for &ed in edges {
                        let (c, d) = self.edge(ed);
                        if seg_intersects(a, b, c, d) || point_seg_dist_deg(c, a, b) < CLEARANCE_DEG
                        {
                            return true;
                        }
                    }
                }
            }
        }
        false
    }

    /// True when `p` is on land or within `metres` of it (checked at eight points around `p`).
    pub fn near(&self, p: LonLat, metres: f64) -> bool {
        self.contains(p)
            || (0..8).any(|k| self.contains(spatial::destination(p, 45.0 * k as f64, metres)))
    }
}

/// Clearance kept between lanes and coastline vertices, degrees (about 50 m).
pub const CLEARANCE_DEG: f64 = 0.0005;

fn point_seg_dist_deg(p: LonLat, a: LonLat, b: LonLat) -> f64 {
    let (dx, dy) = (b.lon - a.lon, b.lat - a.lat);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.lon - a.lon) * dx + (p.lat - a.lat) * dy) / len2).clamp(0.0, 1.0)
    };
    let (x, y) = (a.lon + t * dx - p.lon, a.lat + t * dy - p.lat);
    (x * x + y * y).sqrt()
}

/// A port as the simulator uses it.
#[derive(Debug, Clone)]
pub struct PortInfo {
    /// Name.
    pub name: String,
    /// Country code.
    pub country: String,
    /// Berth-area centre.
    pub pos: LonLat,
    /// Berth-area radius, metres.
    pub radius_m: f64,
    /// Graph node index.
    pub node: usize,
    /// Anchorages serving it (indices into `World::anchorages`).
    pub anchorages: Vec<usize>,
}

/// An anchorage.
#[derive(Debug, Clone)]
pub struct AnchorageInfo {
    /// Name.
    pub name: String,
    /// Port index.
    pub port: usize,
    /// Centre.
    pub pos: LonLat,
    /// Radius, metres.
    pub radius_m: f64,
}

/// Land, ports, anchorages and the lane graph.
#[derive(Debug, Clone)]
pub struct World {
    /// Land polygons.
    pub land: Land,
    /// Ports, in scenario order.
    pub ports: Vec<PortInfo>,
    /// Anchorages.
    pub anchorages: Vec<AnchorageInfo>,
    /// Graph nodes: ports first, then waypoints.
    pub nodes: Vec<(String, LonLat)>,
    /// Adjacency: `(neighbour, metres)`.
    pub adj: Vec<Vec<(usize, f64)>>,
    port_paths: HashMap<(usize, usize), Vec<LonLat>>,
}

/// Length of a polyline in metres.
pub fn path_length(path: &[LonLat]) -> f64 {
    path.windows(2).map(|w| haversine_m(w[0], w[1])).sum()
}

impl World {
    /// Builds and validates the world of a scenario. `base_dir` resolves a relative coastline path.
    pub fn build(sc: &Scenario, base_dir: Option<&std::path::Path>) -> Result<World, SimError> {
        let mut polys = Vec::new();
        if let Some(c) = &sc.coastline {
            let (name, text) = if c == "builtin:east_asia" {
                (c.clone(), EAST_ASIA_LAND.to_string())
            } else {
                let p = base_dir.map(|d| d.join(c)).unwrap_or_else(|| c.into());
                let t = std::fs::read_to_string(&p)
                    .map_err(|e| SimError::Scenario(format!("coastline {}: {e}", p.display())))?;
                (p.display().to_string(), t)
            };
            let zs = ZoneSet::from_geojson_str(&name, &text)
                .map_err(|e| SimError::Scenario(format!("coastline: {e}")))?;
            polys.extend(zs.zones.into_iter().flat_map(|z| z.polygons));
        }
        for l in &sc.land {
            if l.ring.len() < 3 {
                return Err(SimError::Scenario(format!(
                    "land {:?}: ring has fewer than 3 points",
                    l.name
                )));
            }
            polys.push(Polygon {
                outer: l.ring.iter().map(|c| LonLat::new(c[0], c[1])).collect(),
                holes: vec![],
            });
        }
        let land = Land::new(polys);
        let mut nodes = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut add_node = |name: &str, pos: LonLat, what: &str| -> Result<usize, SimError> {
            if !(-90.0..=90.0).contains(&pos.lat) || !(-180.0..=180.0).contains(&pos.lon) {
                return Err(SimError::Scenario(format!(
                    "{what} {name:?}: position out of range"
                )));
            }
            if land.contains(pos) {
                return Err(SimError::Scenario(format!(
                    "{what} {name:?} at {:.4},{:.4} (lat,lon) is on land",
                    pos.lat, pos.lon
                )));
            }
            if index.insert(name.to_string(), nodes.len()).is_some() {
                return Err(SimError::Scenario(format!(
                    "{what} {name:?}: name used twice"
                )));
            }
            nodes.push((name.to_string(), pos));
            Ok(nodes.len() - 1)
        };
        let mut ports = Vec::new();
        for p in &sc.port {
            let pos = LonLat::new(p.lon, p.lat);
            let node = add_node(&p.name, pos, "port")?;
            ports.push(PortInfo {
                name: p.name.clone(),
                country: p.country.clone(),
                pos,
                radius_m: p.radius_m,
                node,
                anchorages: vec![],
            });
        }
        for w in &sc.waypoint {
            add_node(&w.name, LonLat::new(w.lon, w.lat), "waypoint")?;
        }
        let mut adj = vec![Vec::new(); nodes.len()];
        for [a, b] in &sc.lanes {
            let ia = *index.get(a).ok_or_else(|| {
                SimError::Scenario(format!("lane {a:?}–{b:?}: no port or waypoint {a:?}"))
            })?;
            let ib = *index.get(b).ok_or_else(|| {
                SimError::Scenario(format!("lane {a:?}–{b:?}: no port or waypoint {b:?}"))
            })?;
            let (pa, pb) = (nodes[ia].1, nodes[ib].1);
            if land.crosses(pa, pb) {
                return Err(SimError::Scenario(format!("lane {a:?}–{b:?} crosses land")));
            }
            let d = haversine_m(pa, pb);
            adj[ia].push((ib, d));
            adj[ib].push((ia, d));
        }
        let mut anchorages = Vec::new();
        for a in &sc.anchorage {
            let port = ports.iter().position(|p| p.name == a.port).ok_or_else(|| {
                SimError::Scenario(format!("anchorage {:?}: no port {:?}", a.name, a.port))
            })?;
            let pos = LonLat::new(a.lon, a.lat);
            if land.contains(pos) {
                return Err(SimError::Scenario(format!(
                    "anchorage {:?} is on land",
                    a.name
                )));
            }
            ports[port].anchorages.push(anchorages.len());
            anchorages.push(AnchorageInfo {
                name: a.name.clone(),
                port,
                pos,
                radius_m: a.radius_m,
            });
        }
        let world = World {
            land,
            ports,
            anchorages,
            nodes,
            adj,
            port_paths: HashMap::new(),
        };
        // Every port must reach every other, and every anchorage must be reachable.
        if let Some(first) = world.ports.first().map(|p| p.node) {
            let (dist, _) = world.dijkstra(&[(first, 0.0)]);
            for p in &world.ports {
                if !dist[p.node].is_finite() {
                    return Err(SimError::Scenario(format!(
                        "port {:?} is not connected by lanes to port {:?}",
                        p.name, world.ports[0].name
                    )));
                }
            }
        }
        for i in 0..world.anchorages.len() {
            let a = world.anchorages[i].pos;
            let name = world.anchorages[i].name.clone();
            world
                .route(a, world.ports[world.anchorages[i].port].pos)
                .map_err(|_| {
                    SimError::Scenario(format!("anchorage {name:?}: no route to its port"))
                })?;
        }
        Ok(world)
    }

    fn dijkstra(&self, sources: &[(usize, f64)]) -> (Vec<f64>, Vec<usize>) {
        let n = self.nodes.len();
        let mut dist = vec![f64::INFINITY; n];
        let mut prev = vec![usize::MAX; n];
        let mut heap = std::collections::BinaryHeap::new();
        for &(s, d) in sources {
            if d < dist[s] {
                dist[s] = d;
                heap.push((std::cmp::Reverse(OrdF64(d)), s));
            }
        }
        while let Some((std::cmp::Reverse(OrdF64(d)), u)) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            for &(v, w) in &self.adj[u] {
                let nd = d + w;
                if nd < dist[v] {
                    dist[v] = nd;
                    prev[v] = u;
                    heap.push((std::cmp::Reverse(OrdF64(nd)), v));
                }
            }
        }
        (dist, prev)
    }

    /// Nodes reachable from `p` by a straight leg over water, nearest first (at most 6).
    fn attach(&self, p: LonLat) -> Vec<(usize, f64)> {
        let mut cands: Vec<(usize, f64)> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, (_, q))| (i, haversine_m(p, *q)))
            .collect();
        cands.sort_by(|a, b| a.1.total_cmp(&b.1));
        cands
            .into_iter()
            .filter(|&(i, _)| !self.land.crosses_from_water(p, self.nodes[i].1))
            .take(6)
            .collect()
    }

    /// A route over water from `a` to `b`: straight when clear, else through the lane graph.
    pub fn route(&self, a: LonLat, b: LonLat) -> Result<Vec<LonLat>, SimError> {
        if self.land.contains(a) || self.land.contains(b) {
            return Err(SimError::Scenario(format!(
                "route from {:.4},{:.4} to {:.4},{:.4} (lat,lon): an end is on land",
                a.lat, a.lon, b.lat, b.lon
            )));
        }
        if !self.land.crosses_from_water(a, b) {
            return Ok(vec![a, b]);
        }
        let sa = self.attach(a);
        let sb = self.attach(b);
        if sa.is_empty() || sb.is_empty() {
            return Err(SimError::Scenario(format!(
                "no lane reachable over water from {:.4},{:.4} or to {:.4},{:.4} (lat,lon)",
                a.lat, a.lon, b.lat, b.lon
            )));
        }
        let (dist, prev) = self.dijkstra(&sa);
        let best = sb
            .iter()
            .map(|&(i, d)| (i, dist[i] + d))
            .filter(|(_, d)| d.is_finite())
            .min_by(|x, y| x.1.total_cmp(&y.1))
            .ok_or_else(|| SimError::Scenario("points not connected by lanes".into()))?;
        let mut chain = vec![best.0];
        let mut u = best.0;
        while prev[u] != usize::MAX {
            u = prev[u];
            chain.push(u);
        }
        chain.reverse();
        let mut path = vec![a];
        path.extend(chain.into_iter().map(|i| self.nodes[i].1));
        path.push(b);
        Ok(shortcut(&self.land, path))
    }

    /// Cached route between two ports' centres.
    pub fn port_route(&mut self, from: usize, to: usize) -> Result<Vec<LonLat>, SimError> {
        if let Some(p) = self.port_paths.get(&(from, to)) {
            return Ok(p.clone());
        }
        let p = self.route(self.ports[from].pos, self.ports[to].pos)?;
        self.port_paths.insert((from, to), p.clone());
        Ok(p)
    }

    /// Port index by name.
    pub fn port_index(&self, name: &str) -> Option<usize> {
        self.ports.iter().position(|p| p.name == name)
    }
}

/// Drops intermediate vertices where the leg that skips them is still clear of land.
fn shortcut(land: &Land, path: Vec<LonLat>) -> Vec<LonLat> {
    if path.len() <= 2 {
        return path;
    }
    let mut out = vec![path[0]];
    let mut i = 0;
    while i < path.len() - 1 {
        let mut j = path.len() - 1;
        while j > i + 1 && land.crosses_from_water(path[i], path[j]) {
            j -= 1;
        }
        out.push(path[j]);
        i = j;
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct OrdF64(f64);
impl Eq for OrdF64 {}
impl PartialOrd for OrdF64 {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for OrdF64 {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(extra: &str) -> Scenario {
        let text = format!(
            r#"
name = "t"
start = "2026-01-01T00:00:00Z"
hours = 1
lanes = [["A", "W"], ["W", "B"]{extra}]
[[land]]
name = "island"
ring = [[1.0, 1.0], [2.0, 1.0], [2.0, 2.0], [1.0, 2.0]]
[[port]]
name = "A"
country = "XX"
lat = 1.5
lon = 0.5
[[port]]
name = "B"
country = "XX"
lat = 1.5
lon = 2.5
[[waypoint]]
name = "W"
lat = 0.3
lon = 1.5
"#
        );
        crate::parse_scenario("t", &text).unwrap()
    }

    #[test]
    fn routes_go_around_land() {
        let sc = scenario("");
        let mut w = World::build(&sc, None).unwrap();
        let path = w.port_route(0, 1).unwrap();
        assert_eq!(path.len(), 3, "via the waypoint: {path:?}");
        for seg in path.windows(2) {
            assert!(!w.land.crosses(seg[0], seg[1]));
        }
        assert!(w.land.crosses(LonLat::new(0.5, 1.5), LonLat::new(2.5, 1.5)));
    }

    #[test]
    fn a_lane_across_land_is_rejected() {
        let sc = scenario(r#", ["A", "B"]"#);
        let e = World::build(&sc, None).unwrap_err().to_string();
        assert!(e.contains("crosses land"), "{e}");
    }

    #[test]
    fn a_port_on_land_is_rejected() {
        let mut sc = scenario("");
        sc.port[0].lat = 1.5;
        sc.port[0].lon = 1.5;
        let e = World::build(&sc, None).unwrap_err().to_string();
        assert!(e.contains("on land"), "{e}");
    }
}
