//! Event detectors: segments in, [`Event`]s out.
//!
//! Every detector reads [`Segment`]s (flagged points are skipped, never trusted), takes its
//! thresholds from a config struct with the defaults of `../shared/reference/ais.md` section 5,
//! and records those thresholds in each event's `params`, so an event can be reproduced and
//! explained. [`run_all`] runs them all; each module can also be called on its own.
//!
//! Places come from a [`Context`]: a [`PortList`] (ports and anchorages, used both to exclude
//! port activity and, for lack of a coastline we may ship, as the "distance from shore"
//! approximation) and a [`ZoneSet`] (DPRK waters, STS hotspots, land polygons if supplied).

pub mod encounter;
pub mod gap;
pub mod land;
pub mod loitering;
pub mod port_visit;
pub mod ports;
pub mod resample;
pub mod score;
pub mod spoof;
pub mod table;
pub mod zone;

use crate::event::{Event, EventKind, EvidencePoint};
use crate::tracks::{Segment, TrackPoint};
use serde::{Deserialize, Serialize};
use spatial::{LonLat, ZoneSet};
use std::collections::BTreeMap;

pub use encounter::EncounterConfig;
pub use gap::GapConfig;
pub use land::LandMask;
pub use loitering::LoiteringConfig;
pub use port_visit::PortVisitConfig;
pub use ports::{Port, PortList};
pub use spoof::SpoofConfig;
pub use zone::ZoneConfig;

/// The embedded STS hotspot boxes (`data/zones/sts_hotspots.geojson`, the project's own approximations).
pub const DEFAULT_HOTSPOTS_GEOJSON: &str =
    include_str!("../../../../data/zones/sts_hotspots.geojson");

/// Errors of the detectors and the events table.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    /// A bad line or value in an input file.
    #[error("{source_name}: line {line}: {message}")]
    Input {
        /// File name.
        source_name: String,
        /// 1-based line (or record) number.
        line: u64,
        /// What was wrong.
        message: String,
    },
    /// A zone file could not be read.
    #[error(transparent)]
    Zones(#[from] spatial::ZoneError),
    /// File system error, with the path.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// Arrow or Parquet error, with the path.
    #[error("{path}: {message}")]
    Table {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// Every detector's thresholds. `Default` gives the reference defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DetectConfig {
    /// Encounters and dark rendezvous.
    pub encounter: EncounterConfig,
    /// Loitering.
    pub loitering: LoiteringConfig,
    /// AIS gaps.
    pub gap: GapConfig,
    /// Port visits.
    pub port_visit: PortVisitConfig,
    /// Zone visits.
    pub zone: ZoneConfig,
    /// Spoofing and identity.
    pub spoof: SpoofConfig,
}

/// The places detectors need.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Ports and anchorages.
    pub ports: PortList,
    /// Zones (DPRK waters, STS hotspots): each gives zone-visit events.
    pub zones: ZoneSet,
    /// Land polygons, for the distance from shore (events only: exact but slow).
    pub land: ZoneSet,
    /// Land raster, for the per-position "on land" check.
    pub land_mask: LandMask,
    /// AIS ship type (static reports, e.g. 30 = fishing, 70–79 cargo, 80–89 tanker) of each
    /// MMSI: its most reported value. Empty unless filled by [`Context::set_ship_types`];
    /// detectors treat a missing type as unknown (loitering skips fishing vessels only when it
    /// knows they are fishing).
    pub ship_types: BTreeMap<u32, u16>,
}

impl Context {
    /// The embedded port list and STS hotspots. DPRK waters (ODbL, not shipped) come from
    /// `--zones` at run time; see [`Context::add_zones_geojson`].
    pub fn default_region() -> Self {
        let zones = ZoneSet::from_geojson_str("sts_hotspots.geojson", DEFAULT_HOTSPOTS_GEOJSON)
            .unwrap_or_default();
        let land = ZoneSet::from_geojson_str("land_east_asia.geojson", land::DEFAULT_LAND_GEOJSON)
            .unwrap_or_default();
        Self {
            ports: PortList::default_region(),
            zones,
            land_mask: LandMask::from_zones(&land, 0.01),
            land,
            ship_types: BTreeMap::new(),
        }
    }

    /// Records each vessel's AIS ship type (the value most often reported) from its identity
    /// history, for the detectors that grade by type (loitering). Histories without a valid
    /// type are left out.
    pub fn set_ship_types(&mut self, histories: &[crate::identity::VesselHistory]) {
        for h in histories {
            if let Some(t) = h
                .main_value("ship_type")
                .and_then(|v| v.parse::<u16>().ok())
            {
                self.ship_types.insert(h.mmsi, t);
            }
        }
    }

    /// The AIS ship type of `mmsi`, when known.
    pub fn ship_type(&self, mmsi: u32) -> Option<u16> {
        self.ship_types.get(&mmsi).copied()
    }

    /// Adds the zones of a GeoJSON text.
    pub fn add_zones_geojson(&mut self, source_name: &str, text: &str) -> Result<(), DetectError> {
        let more = ZoneSet::from_geojson_str(source_name, text)?;
        self.zones.zones.extend(more.zones);
        Ok(())
    }

    /// True for a zone that stands for the DPRK (its waters or land): kind `dprk`, or a
    /// property `isoA2 = KP`, `A3`/`isoA3 = PRK` or `country = KP`.
    pub fn is_dprk_zone(z: &spatial::Zone) -> bool {
        z.kind.eq_ignore_ascii_case("dprk")
            || z.properties.iter().any(|(k, v)| {
                let k = k.to_ascii_lowercase();
                (matches!(k.as_str(), "isoa2" | "country" | "iso_a2") && v == "KP")
                    || (matches!(k.as_str(), "a3" | "isoa3" | "iso_a3") && v == "PRK")
            })
    }

    /// Distance in metres to the nearest DPRK zone (0 inside), if any DPRK zone is loaded.
    pub fn dprk_zone_distance_m(&self, p: LonLat) -> Option<f64> {
        self.zones
            .zones
            .iter()
            .filter(|z| Self::is_dprk_zone(z))
            .map(|z| z.distance_m(p))
            .min_by(f64::total_cmp)
    }

    /// Distance from shore in metres (0 on land): the distance to the nearest land polygon
    /// ([`Context::land`], Natural Earth 1:10m by default, so about ±1 km) or to the nearest
    /// listed port, whichever is smaller; with no land loaded, the port distance alone (an
    /// upper bound: coasts without ports are closer than that).
    pub fn shore_distance_m(&self, p: LonLat) -> Option<f64> {
        let port = self.ports.nearest(p).map(|(_, d)| d);
        let mut land: Option<f64> = None;
        for poly in self.land.zones.iter().flat_map(|z| &z.polygons) {
            // A polygon whose bounding box is farther than the best distance so far cannot win.
            let (x0, y0, x1, y1) = poly.bbox();
            let dlat = (y0 - p.lat).max(p.lat - y1).max(0.0) * 111_000.0;
            let dlon = (x0 - p.lon).max(p.lon - x1).max(0.0)
                * 111_000.0
                * p.lat.max(y0).min(y1).to_radians().cos().abs();
            let bound = dlat.max(dlon) * 0.99;
            if land.is_some_and(|best| bound >= best) {
                continue;
            }
            let d = if poly.contains(p) {
                0.0
            } else {
                poly.boundary_distance_m(p)
            };
            land = Some(land.map_or(d, |b: f64| b.min(d)));
        }
        match (port, land) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Adds place attributes shared by every event: nearest port and its distance, distance to
    /// DPRK waters, names of the zones containing the point.
    pub(crate) fn annotate(&self, ev: &mut Event) {
        let p = LonLat::new(ev.lon, ev.lat);
        if let Some((port, d)) = self.ports.nearest(p) {
            ev.attributes
                .insert("nearest_port".into(), port.name.clone());
            ev.attributes
                .insert("nearest_port_country".into(), port.country.clone());
            ev.metrics.insert("nearest_port_m".into(), d.round());
        }
        if let Some(d) = self.dprk_zone_distance_m(p) {
            ev.metrics.insert("dprk_zone_m".into(), d.round());
        }
        let inside: Vec<&str> = self.zones.containing(p).map(|z| z.name.as_str()).collect();
        if !inside.is_empty() {
            ev.attributes.insert("zones".into(), inside.join("; "));
        }
    }
}

/// Runs every detector with what the vessels said about themselves: identity and draught
/// events from `histories`, and their ship types in `ctx` (so loitering can leave fishing vessels
/// out). Every pipeline (`embargo detect`, `embargo run`, the scorers) enters here, so none can
/// forget a step.
pub fn run_with_histories(
    segments: &[Segment],
    histories: &[crate::identity::VesselHistory],
    cfg: &DetectConfig,
    ctx: &mut Context,
) -> Vec<Event> {
    let identity = identity_events(histories, segments, &Default::default());
    ctx.set_ship_types(histories);
    run_all(segments, &identity, cfg, ctx)
}

/// Runs every detector on `segments` and returns the events sorted by start time then id.
///
/// `identity_events` are identity-change and draught-change events from the track layer
/// ([`crate::identity`]); they are annotated with their place (attribute `at_sea`) and merged
/// in. Draught changes (other than `alternating` ones) are graded by where the change could have
/// happened: `in_port` when any usable fix of the vessel from one hour before the last report of
/// the old draught to one hour after the first report of the new one lies within
/// `port_visit.exit_radius_m` of a port or anchorage (loading or discharge alongside: normal
/// commerce, but evidence of cargo moved), else `at_sea` (the suspicious case: cargo moved away
/// from any port). Their direction stays in attribute `direction` (`deeper`/`shallower`).
/// A change whose window holds no fix at all is graded by the nearest fix, as before.
pub fn run_all(
    segments: &[Segment],
    identity_events: &[Event],
    cfg: &DetectConfig,
    ctx: &Context,
) -> Vec<Event> {
    let ((mut enc, gaps), (mut loit, (mut ports, (mut zones, mut spoofs)))) = rayon::join(
        || {
            rayon::join(
                || encounter::detect_encounters(segments, &cfg.encounter, ctx),
                || gap::detect_gaps(segments, &cfg.gap, ctx),
            )
        },
        || {
            rayon::join(
                || loitering::detect_loitering(segments, &cfg.loitering, ctx),
                || {
                    rayon::join(
                        || port_visit::detect_port_visits(segments, &cfg.port_visit, ctx),
                        || {
                            rayon::join(
                                || zone::detect_zone_visits(segments, &cfg.zone, ctx),
                                || spoof::detect_spoofing(segments, &cfg.spoof, ctx),
                            )
                        },
                    )
                },
            )
        },
    );
    let mut rdv = gap::detect_dark_rendezvous(&gaps, &cfg.encounter, ctx);
    let mut dark_calls = port_visit::dark_port_visits(&gaps, &cfg.port_visit, ctx);
    let mut gaps = gaps;
    let mut out = Vec::new();
    out.append(&mut enc);
    out.append(&mut rdv);
    out.append(&mut dark_calls);
    out.append(&mut gaps);
    out.append(&mut loit);
    out.append(&mut ports);
    out.append(&mut zones);
    out.append(&mut spoofs);
    let mut by_mmsi: BTreeMap<u32, Vec<&Segment>> = BTreeMap::new();
    if identity_events
        .iter()
        .any(|e| e.kind == EventKind::DraughtChange)
    {
        for s in segments {
            by_mmsi.entry(s.mmsi).or_default().push(s);
        }
    }
    for ev in identity_events {
        let mut ev = ev.clone();
        ctx.annotate(&mut ev);
        let mut at_sea = ev
            .metrics
            .get("nearest_port_m")
            .is_none_or(|d| *d >= cfg.port_visit.exit_radius_m);
        if ev.kind == EventKind::DraughtChange && ev.grade.as_deref() != Some("alternating") {
            let segs = ev
                .vessels
                .first()
                .and_then(|m| by_mmsi.get(m))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            if let Some(contact) = port_contact_between(
                segs,
                ev.start_ms - HOUR_MS as i64,
                ev.end_ms + HOUR_MS as i64,
                cfg.port_visit.exit_radius_m,
                ctx,
            ) {
                at_sea = !contact;
            }
            ev.grade = Some(if at_sea { "at_sea" } else { "in_port" }.into());
        }
        ev.attributes.insert(
            "at_sea".into(),
            if at_sea { "true" } else { "false" }.into(),
        );
        out.push(ev);
    }
    out.sort_by(|a, b| a.start_ms.cmp(&b.start_ms).then_with(|| a.id.cmp(&b.id)));
    out
}

/// Whether any usable fix of `segments` between `from_ms` and `to_ms` lies within `radius_m` of
/// a port or anchorage; `None` when there is no usable fix in that window.
fn port_contact_between(
    segments: &[&Segment],
    from_ms: i64,
    to_ms: i64,
    radius_m: f64,
    ctx: &Context,
) -> Option<bool> {
    let mut any_fix = false;
    for s in segments {
        let i = s.points.partition_point(|p| p.time_ms < from_ms);
        for p in s.points[i..].iter().take_while(|p| p.time_ms <= to_ms) {
            if !usable(p) {
                continue;
            }
            any_fix = true;
            if ctx.ports.within(ll(p), radius_m).is_some() {
                return Some(true);
            }
        }
    }
    any_fix.then_some(false)
}

/// Identity-change and draught-change events of every vessel (from the track layer's
/// [`crate::identity`] functions), placed on the vessels' tracks: the input `run_all` expects
/// as `identity_events`.
pub fn identity_events(
    histories: &[crate::identity::VesselHistory],
    segments: &[Segment],
    cfg: &crate::identity::IdentityConfig,
) -> Vec<Event> {
    let mut out: Vec<Event> = histories
        .iter()
        .flat_map(|h| {
            let mut v = crate::identity::identity_events(h, cfg);
            v.extend(crate::identity::draught_events(h, cfg));
            v
        })
        .collect();
    crate::identity::locate_events(&mut out, segments);
    out
}

// ---- helpers shared by the detectors ----

/// True when a point can be used: not flagged, finite, in range.
pub(crate) fn usable(p: &TrackPoint) -> bool {
    p.flag.is_none()
        && p.lat.is_finite()
        && p.lon.is_finite()
        && (-90.0..=90.0).contains(&p.lat)
        && (-180.0..=180.0).contains(&p.lon)
}

/// The point's position.
pub(crate) fn ll(p: &TrackPoint) -> LonLat {
    LonLat::new(p.lon, p.lat)
}

/// The usable points of a segment, in time order (strictly increasing time; repeats dropped).
pub(crate) fn usable_points(seg: &Segment) -> Vec<&TrackPoint> {
    let mut out: Vec<&TrackPoint> = Vec::with_capacity(seg.points.len());
    for p in seg.points.iter().filter(|p| usable(p)) {
        if out.last().is_none_or(|q| p.time_ms > q.time_ms) {
            out.push(p);
        }
    }
    out
}

/// Median of a slice (sorted in place); NaN for an empty slice.
pub(crate) fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Stable event identifier from kind, vessels and start.
pub(crate) fn event_id(kind: EventKind, vessels: &[u32], start_ms: i64, salt: &str) -> String {
    let k = kind.as_str();
    let v: Vec<String> = vessels.iter().map(u32::to_string).collect();
    if salt.is_empty() {
        format!("{k}-{}-{start_ms}", v.join("-"))
    } else {
        format!("{k}-{}-{start_ms}-{salt}", v.join("-"))
    }
}

/// Up to `max` evidence points spread evenly over `points`.
pub(crate) fn evidence<'a>(
    mmsi: u32,
    points: impl ExactSizeIterator<Item = &'a TrackPoint>,
    max: usize,
) -> Vec<EvidencePoint> {
    let n = points.len();
    let step = n.div_ceil(max.max(1)).max(1);
    let mut out: Vec<EvidencePoint> = Vec::new();
    let mut last = None;
    for (i, p) in points.enumerate() {
        if i % step == 0 || i + 1 == n {
            out.push(EvidencePoint {
                mmsi,
                time_ms: p.time_ms,
                lat: p.lat,
                lon: p.lon,
                sog: p.sog,
            });
            last = Some(i);
        }
    }
    let _ = last;
    out
}

/// A new event with empty maps.
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_event(
    kind: EventKind,
    grade: Option<&str>,
    vessels: Vec<u32>,
    segments: Vec<String>,
    start_ms: i64,
    end_ms: i64,
    pos: LonLat,
    params: BTreeMap<String, f64>,
) -> Event {
    Event {
        id: event_id(kind, &vessels, start_ms, ""),
        kind,
        grade: grade.map(str::to_string),
        vessels,
        segments,
        start_ms,
        end_ms,
        lat: pos.lat,
        lon: pos.lon,
        metrics: BTreeMap::new(),
        attributes: BTreeMap::new(),
        params,
        evidence: Vec::new(),
    }
}

/// Milliseconds per hour.
pub(crate) const HOUR_MS: f64 = 3_600_000.0;

#[cfg(test)]
pub(crate) mod testutil {
    //! Hand-built tracks for the detector tests.
    use crate::tracks::{Segment, TrackPoint};
    use spatial::{destination, LonLat};

    /// 2025-01-01T00:00Z.
    pub const T0: i64 = 1_735_689_600_000;
    /// One minute in ms.
    pub const MIN: i64 = 60_000;

    /// A point.
    pub fn pt(t: i64, p: LonLat, sog: f32) -> TrackPoint {
        TrackPoint {
            time_ms: t,
            lat: p.lat,
            lon: p.lon,
            sog: Some(sog),
            cog: Some(0.0),
            heading: None,
            nav_status: None,
            flag: None,
        }
    }

    /// A segment from points.
    pub fn seg(mmsi: u32, points: Vec<TrackPoint>) -> Segment {
        Segment {
            id: format!("{mmsi}-{}-0", points.first().map_or(0, |p| p.time_ms)),
            mmsi,
            points,
        }
    }

    /// A vessel sailing on `bearing` at `knots` from `start`, a fix every `every_min` minutes,
    /// from `t_start` for `minutes`.
    pub fn sail(
        start: LonLat,
        bearing: f64,
        knots: f64,
        t_start: i64,
        minutes: i64,
        every_min: i64,
    ) -> Vec<TrackPoint> {
        (0..=minutes / every_min)
            .map(|i| {
                let t = t_start + i * every_min * MIN;
                let d = knots * 1852.0 * (i * every_min) as f64 / 60.0;
                pt(t, destination(start, bearing, d), knots as f32)
            })
            .collect()
    }

    /// A vessel drifting around `at` (a few tens of metres) at `knots`.
    pub fn drift(
        at: LonLat,
        knots: f64,
        t_start: i64,
        minutes: i64,
        every_min: i64,
    ) -> Vec<TrackPoint> {
        (0..=minutes / every_min)
            .map(|i| {
                let t = t_start + i * every_min * MIN;
                let p = destination(at, (i * 37 % 360) as f64, 20.0 + (i % 3) as f64 * 10.0);
                pt(t, p, knots as f32)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    fn draught_change(mmsi: u32, start_ms: i64, end_ms: i64) -> Event {
        let mut e = new_event(
            EventKind::DraughtChange,
            Some("deeper"),
            vec![mmsi],
            Vec::new(),
            start_ms,
            end_ms,
            LonLat::new(f64::NAN, f64::NAN),
            BTreeMap::new(),
        );
        e.metrics.insert("change_m".into(), 3.0);
        e
    }

    #[test]
    fn draught_changes_are_graded_by_place() {
        let ctx = Context::default_region();
        // Shanghai Yangshan-area fix from the port list test, and a point far out at sea.
        let port = LonLat::new(121.5, 31.216667);
        let sea = LonLat::new(123.6, 33.0);
        // Ship 1 is alongside for 10 h, then sails out: its draught changed in port, though the
        // first report of the new draught came once it was at sea.
        let mut p1 = drift(port, 0.0, T0, 600, 10);
        let t = p1.last().map_or(T0, |p| p.time_ms) + 10 * MIN;
        p1.extend(sail(port, 90.0, 12.0, t, 600, 10));
        // Ship 2 never comes near a port.
        let p2 = drift(sea, 0.3, T0, 1200, 10);
        let segs = vec![seg(1, p1), seg(2, p2)];
        let mut ids = vec![
            draught_change(1, T0 + 300 * MIN, T0 + 1000 * MIN),
            draught_change(2, T0 + 300 * MIN, T0 + 400 * MIN),
        ];
        crate::identity::locate_events(&mut ids, &segs);
        let ev = run_all(&segs, &ids, &DetectConfig::default(), &ctx);
        let graded: Vec<_> = ev
            .iter()
            .filter(|e| e.kind == EventKind::DraughtChange)
            .map(|e| {
                (
                    e.vessels[0],
                    e.grade.as_deref(),
                    e.attributes["at_sea"].as_str(),
                )
            })
            .collect();
        assert_eq!(
            graded,
            vec![(1, Some("in_port"), "false"), (2, Some("at_sea"), "true")]
        );
    }
}
