//! Zone visits: entry into, exit from and time inside each zone polygon.
//!
//! Per segment and zone (bounding-box test first, then point-in-polygon), consecutive points
//! inside form a visit; a visit that begins at the segment's first point has no observed entry,
//! one that ends at its last point no observed exit. Excursions outside shorter than
//! `merge_gap_hours` are bridged, so a track along a boundary is one visit, not fifty.

use super::gap::to_params;
use super::{evidence, ll, new_event, usable_points, Context, HOUR_MS};
use crate::event::{Event, EventKind};
use crate::tracks::Segment;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Zone-visit thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ZoneConfig {
    /// Shortest visit reported, hours (0 reports every visit).
    pub min_hours: f64,
    /// Excursions outside shorter than this are bridged, hours.
    pub merge_gap_hours: f64,
}

impl Default for ZoneConfig {
    fn default() -> Self {
        Self {
            min_hours: 0.0,
            merge_gap_hours: 1.0,
        }
    }
}

/// Detects zone visits for every segment and zone of `ctx.zones`.
pub fn detect_zone_visits(segments: &[Segment], cfg: &ZoneConfig, ctx: &Context) -> Vec<Event> {
    let params = to_params(cfg);
    let bboxes: Vec<Vec<(f64, f64, f64, f64)>> = ctx
        .zones
        .zones
        .iter()
        .map(|z| z.polygons.iter().map(|p| p.bbox()).collect())
        .collect();
    let merge_ms = (cfg.merge_gap_hours * HOUR_MS) as i64;
    segments
        .par_iter()
        .flat_map_iter(|seg| {
            let pts = usable_points(seg);
            let mut out = Vec::new();
            for (zi, zone) in ctx.zones.zones.iter().enumerate() {
                let inside: Vec<bool> = pts
                    .iter()
                    .map(|p| {
                        bboxes[zi].iter().zip(&zone.polygons).any(|(b, poly)| {
                            p.lon >= b.0
                                && p.lat >= b.1
                                && p.lon <= b.2
                                && p.lat <= b.3
                                && poly.contains(ll(p))
                        })
                    })
                    .collect();
                // Runs of inside points, bridged across short excursions.
                let mut runs: Vec<(usize, usize)> = Vec::new();
                let mut i = 0;
                while i < pts.len() {
                    if !inside[i] {
                        i += 1;
                        continue;
                    }
                    let start = i;
                    while i + 1 < pts.len() && inside[i + 1] {
                        i += 1;
                    }
                    match runs.last_mut() {
                        Some(last) if pts[start].time_ms - pts[last.1].time_ms < merge_ms => {
                            last.1 = i;
                        }
                        _ => runs.push((start, i)),
                    }
                    i += 1;
                }
                for (a, b) in runs {
                    let (pa, pb) = (pts[a], pts[b]);
                    let hours = (pb.time_ms - pa.time_ms) as f64 / HOUR_MS;
                    if hours < cfg.min_hours {
                        continue;
                    }
                    let mut ev = new_event(
                        EventKind::ZoneVisit,
                        Some(&zone.kind),
                        vec![seg.mmsi],
                        vec![seg.id.clone()],
                        pa.time_ms,
                        pb.time_ms,
                        ll(pa),
                        params.clone(),
                    );
                    ev.id =
                        super::event_id(EventKind::ZoneVisit, &ev.vessels, pa.time_ms, &zone.name);
                    ev.metrics.insert("duration_hours".into(), hours);
                    ev.metrics
                        .insert("entry".into(), if a > 0 { 1.0 } else { 0.0 });
                    ev.metrics
                        .insert("exit".into(), if b + 1 < pts.len() { 1.0 } else { 0.0 });
                    ev.attributes.insert("zone".into(), zone.name.clone());
                    ev.attributes.insert("zone_kind".into(), zone.kind.clone());
                    if Context::is_dprk_zone(zone) {
                        ev.attributes.insert("dprk".into(), "true".into());
                    }
                    ev.evidence = evidence(seg.mmsi, [pa, pb].into_iter(), 2);
                    out.push(ev);
                }
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testutil::*;
    use spatial::LonLat;

    #[test]
    fn crossing_a_hotspot_gives_one_visit_with_entry_and_exit() {
        // West Korea Bay box: lon 124.5–125.45, lat 38.4–39.0.
        let p = sail(LonLat::new(124.2, 38.7), 90.0, 10.0, T0, 10 * 60, 5);
        let ev = detect_zone_visits(
            &[seg(3, p)],
            &ZoneConfig::default(),
            &Context::default_region(),
        );
        let v: Vec<_> = ev
            .iter()
            .filter(|e| e.attributes["zone"].starts_with("Nampho"))
            .collect();
        assert_eq!(v.len(), 1, "{ev:#?}");
        assert_eq!(v[0].metrics["entry"], 1.0);
        assert_eq!(v[0].metrics["exit"], 1.0);
        assert_eq!(v[0].grade.as_deref(), Some("sts_hotspot"));
    }
}
