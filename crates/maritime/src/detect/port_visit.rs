//! Port visits: entry, stop and exit against the port list, with GFW's confidence 1–4.
//!
//! Method (GFW pipe-anchorages, reference section 3.4): a vessel is in port when within
//! `entry_radius_m` (3 km) of a port or anchorage and leaves at `exit_radius_m` (4 km) —
//! hysteresis, so a ship at the edge does not flicker; stopped at ≤ 0.2 kn, un-stopped at ≥ 0.5
//! kn; a silence of ≥ 4 h in port is a port gap. Confidence: 4 = (stop or gap) + entry + exit;
//! 3 = (stop or gap) + (entry or exit); 2 = stop or gap only; 1 = entry/exit only. A segment that
//! begins (ends) in port has no entry (exit).
//!
//! A vessel with AIS off during the whole call leaves no point in port; for that case a gap
//! whose off and on positions are both within `dark_radius_m` of the same port is reported as a
//! visit graded `dark` (confidence 1), with the gap's times.

use super::gap::to_params;
use super::{evidence, ll, new_event, usable_points, Context, HOUR_MS};
use crate::event::{Event, EventKind};
use crate::tracks::{Segment, TrackPoint};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use spatial::LonLat;
use std::collections::BTreeMap;

/// Port-visit thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortVisitConfig {
    /// Entry radius, metres.
    pub entry_radius_m: f64,
    /// Exit radius, metres.
    pub exit_radius_m: f64,
    /// Stopped at or below this speed, knots.
    pub stop_knots: f64,
    /// Un-stopped at or above this speed, knots.
    pub unstop_knots: f64,
    /// A silence in port at least this long is a port gap, hours.
    pub min_port_gap_hours: f64,
    /// Lowest confidence reported (1–4).
    pub min_confidence: f64,
    /// Dark visits: off and on positions within this distance of one port, metres (a ship that
    /// switches off three hours out at 12 kn is 67 km away).
    pub dark_radius_m: f64,
    /// Dark visits: shortest silence, hours.
    pub dark_min_hours: f64,
    /// Dark visits: speed at which the ship must be able to go from its off position to the
    /// port and on to its on position within the gap, knots.
    pub dark_max_knots: f64,
    /// Dark visits: 1 to consider only gaps graded `intentional`.
    pub dark_intentional_only: f64,
}

impl Default for PortVisitConfig {
    fn default() -> Self {
        Self {
            entry_radius_m: 3_000.0,
            exit_radius_m: 4_000.0,
            stop_knots: 0.2,
            unstop_knots: 0.5,
            min_port_gap_hours: 4.0,
            min_confidence: 2.0,
            dark_radius_m: 80_000.0,
            dark_min_hours: 12.0,
            dark_max_knots: 15.0,
            dark_intentional_only: 1.0,
        }
    }
}

/// Detects port visits in every segment.
pub fn detect_port_visits(
    segments: &[Segment],
    cfg: &PortVisitConfig,
    ctx: &Context,
) -> Vec<Event> {
    let params = to_params(cfg);
    segments
        .par_iter()
        .flat_map_iter(|s| segment_visits(s, cfg, ctx, &params))
        .collect()
}

struct Open<'a> {
    port: &'a super::Port,
    first: usize,
    entered: bool,
    stopped: bool,
    had_stop: bool,
    had_gap: bool,
}

fn segment_visits(
    seg: &Segment,
    cfg: &PortVisitConfig,
    ctx: &Context,
    params: &BTreeMap<String, f64>,
) -> Vec<Event> {
    let pts = usable_points(seg);
    let gap_ms = (cfg.min_port_gap_hours * HOUR_MS) as i64;
    let mut out = Vec::new();
    let mut open: Option<Open> = None;
    for (i, p) in pts.iter().enumerate() {
        let pos = ll(p);
        let sog = p.sog.filter(|s| *s < 102.2).map(f64::from);
        match open.as_mut() {
            None => {
                if let Some((port, _)) = ctx.ports.within(pos, cfg.entry_radius_m) {
                    let stopped = sog.is_some_and(|s| s <= cfg.stop_knots);
                    open = Some(Open {
                        port,
                        first: i,
                        entered: i > 0,
                        stopped,
                        had_stop: stopped,
                        had_gap: false,
                    });
                }
            }
            Some(o) => {
                let d = spatial::haversine_m(pos, o.port.position());
                if i > 0 && p.time_ms - pts[i - 1].time_ms >= gap_ms {
                    o.had_gap = true;
                }
                if d >= cfg.exit_radius_m {
                    if let Some(e) = make_visit(seg, &pts, o, i - 1, true, cfg, ctx, params) {
                        out.push(e);
                    }
                    open = None;
                    // Maybe straight into a neighbouring port.
                    if let Some((port, _)) = ctx.ports.within(pos, cfg.entry_radius_m) {
                        open = Some(Open {
                            port,
                            first: i,
                            entered: true,
                            stopped: false,
                            had_stop: false,
                            had_gap: false,
                        });
                    }
                } else if let Some(s) = sog {
                    if o.stopped && s >= cfg.unstop_knots {
                        o.stopped = false;
                    } else if !o.stopped && s <= cfg.stop_knots {
                        o.stopped = true;
                        o.had_stop = true;
                    }
                }
            }
        }
    }
    if let Some(o) = open {
        if let Some(e) = make_visit(seg, &pts, &o, pts.len() - 1, false, cfg, ctx, params) {
            out.push(e);
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn make_visit(
    seg: &Segment,
    pts: &[&TrackPoint],
    o: &Open,
    last: usize,
    exited: bool,
    cfg: &PortVisitConfig,
    ctx: &Context,
    params: &BTreeMap<String, f64>,
) -> Option<Event> {
    let stop_or_gap = o.had_stop || o.had_gap;
    let confidence = match (stop_or_gap, o.entered, exited) {
        (true, true, true) => 4,
        (true, true, false) | (true, false, true) => 3,
        (true, false, false) => 2,
        _ => 1,
    };
    if (confidence as f64) < cfg.min_confidence {
        return None;
    }
    let (a, b) = (pts[o.first], pts[last.max(o.first)]);
    let mut ev = new_event(
        EventKind::PortVisit,
        Some(&format!("c{confidence}")),
        vec![seg.mmsi],
        vec![seg.id.clone()],
        a.time_ms,
        b.time_ms,
        o.port.position(),
        params.clone(),
    );
    ev.id = super::event_id(EventKind::PortVisit, &ev.vessels, a.time_ms, &o.port.name);
    ev.metrics.insert("confidence".into(), confidence as f64);
    ev.metrics.insert(
        "duration_hours".into(),
        (b.time_ms - a.time_ms) as f64 / HOUR_MS,
    );
    for (k, v) in [
        ("entry", o.entered),
        ("exit", exited),
        ("stop", o.had_stop),
        ("port_gap", o.had_gap),
    ] {
        ev.metrics.insert(k.into(), if v { 1.0 } else { 0.0 });
    }
    ev.attributes.insert("port".into(), o.port.name.clone());
    ev.attributes
        .insert("port_country".into(), o.port.country.clone());
    ev.attributes
        .insert("port_confidence".into(), o.port.confidence.clone());
    ev.evidence = evidence(
        seg.mmsi,
        pts[o.first..=last.max(o.first)].iter().copied(),
        12,
    );
    ctx.annotate(&mut ev);
    Some(ev)
}

/// Port visits made with AIS off: gaps that start and end near the same port.
pub fn dark_port_visits(gaps: &[Event], cfg: &PortVisitConfig, ctx: &Context) -> Vec<Event> {
    let params = to_params(cfg);
    gaps.iter()
        .filter(|g| {
            g.kind == EventKind::Gap
                && (g.end_ms - g.start_ms) as f64 >= cfg.dark_min_hours * HOUR_MS
                && (cfg.dark_intentional_only < 0.5 || g.grade.as_deref() == Some("intentional"))
        })
        .filter_map(|g| {
            let off = LonLat::new(*g.metrics.get("off_lon")?, *g.metrics.get("off_lat")?);
            let on = LonLat::new(*g.metrics.get("on_lon")?, *g.metrics.get("on_lat")?);
            let reach_m = cfg.dark_max_knots * 1852.0 * (g.end_ms - g.start_ms) as f64 / HOUR_MS;
            // The port that the off and on positions are both near, closest in sum.
            let (port, d_off, d_on) = ctx
                .ports
                .ports()
                .iter()
                .map(|p| {
                    (
                        p,
                        spatial::haversine_m(off, p.position()),
                        spatial::haversine_m(on, p.position()),
                    )
                })
                .filter(|(_, a, b)| {
                    *a <= cfg.dark_radius_m && *b <= cfg.dark_radius_m && a + b <= reach_m
                })
                .min_by(|x, y| (x.1 + x.2).total_cmp(&(y.1 + y.2)))?;
            let mut ev = new_event(
                EventKind::PortVisit,
                Some("dark"),
                g.vessels.clone(),
                g.segments.clone(),
                g.start_ms,
                g.end_ms,
                port.position(),
                params.clone(),
            );
            ev.id = super::event_id(EventKind::PortVisit, &ev.vessels, g.start_ms, "dark");
            ev.metrics.insert("confidence".into(), 1.0);
            ev.metrics.insert(
                "duration_hours".into(),
                (g.end_ms - g.start_ms) as f64 / HOUR_MS,
            );
            ev.metrics.insert("off_port_m".into(), d_off.round());
            ev.metrics.insert("on_port_m".into(), d_on.round());
            ev.attributes.insert("port".into(), port.name.clone());
            ev.attributes
                .insert("port_country".into(), port.country.clone());
            ev.attributes.insert("gap".into(), g.id.clone());
            ev.evidence = g.evidence.clone();
            ctx.annotate(&mut ev);
            Some(ev)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testutil::*;
    use spatial::destination;

    #[test]
    fn a_call_with_entry_stop_and_exit_has_confidence_4() {
        let nampo = LonLat::new(125.4, 38.716667);
        let mut p = sail(destination(nampo, 250.0, 20_000.0), 70.0, 10.0, T0, 60, 1);
        // Reaches ~1.5 km from the port after ~61 min at 10 kn (18.5 km).
        let t = p.last().unwrap().time_ms + MIN;
        p.extend(drift(
            destination(nampo, 250.0, 1_000.0),
            0.0,
            t,
            24 * 60,
            5,
        ));
        let t = p.last().unwrap().time_ms + MIN;
        p.extend(sail(
            destination(nampo, 250.0, 1_000.0),
            250.0,
            10.0,
            t,
            120,
            1,
        ));
        let ev = detect_port_visits(
            &[seg(9, p)],
            &PortVisitConfig::default(),
            &Context::default_region(),
        );
        assert_eq!(ev.len(), 1, "{ev:#?}");
        assert_eq!(ev[0].grade.as_deref(), Some("c4"));
        assert_eq!(ev[0].attributes["port"], "NAMPO");
        let h = ev[0].metrics["duration_hours"];
        assert!((24.0..26.0).contains(&h), "{h}");
    }

    #[test]
    fn passing_by_without_stopping_is_not_reported_by_default() {
        let nampo = LonLat::new(125.4, 38.716667);
        let p = sail(destination(nampo, 270.0, 10_000.0), 90.0, 10.0, T0, 120, 1);
        let ev = detect_port_visits(
            &[seg(9, p)],
            &PortVisitConfig::default(),
            &Context::default_region(),
        );
        assert!(ev.is_empty(), "{ev:#?}");
    }
}
