//! Loitering: one vessel slow for a long time away from port — half of an STS whose partner had
//! its AIS off, or a ship waiting for one.
//!
//! Method (GFW pipe-loitering, reference section 3.2): each step between consecutive fixes of a
//! segment is assigned to the UTC hour of its later fix; an hour is slow when its distance over
//! time is below `max_knots`. Consecutive slow hours form a loitering range (steps longer than
//! `max_step_hours` break it: that is a gap, not slowness); ranges of at least `min_hours`
//! whose mean position is at least `min_port_distance_m` from every port or anchorage are
//! reported.
//!
//! Fishing vessels (AIS ship type 30, from [`Context::ship_types`]) trawl and drift at under
//! 2 kn for hours: that is their work, and in the reference scenario it made most loitering
//! events. With `skip_fishing` (the default) their slow hours are not reported; without it they
//! are, with grade `fishing`. A vessel whose type is unknown is treated as any other ship.

use super::gap::to_params;
use super::{evidence, ll, new_event, usable_points, Context, HOUR_MS};
use crate::event::{Event, EventKind};
use crate::tracks::{Segment, TrackPoint};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use spatial::{haversine_m, LonLat};
use std::collections::BTreeMap;

/// Loitering thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoiteringConfig {
    /// An hour is slow below this average speed, knots.
    pub max_knots: f64,
    /// Shortest loitering, hours.
    pub min_hours: f64,
    /// A step between fixes longer than this breaks a range, hours.
    pub max_step_hours: f64,
    /// Smallest distance of the mean position from any port or anchorage, metres.
    pub min_port_distance_m: f64,
    /// Evidence points kept.
    pub max_evidence: f64,
    /// Leave out vessels broadcasting AIS ship type 30 (fishing); when false they are reported
    /// with grade `fishing`. Default true. Recorded in `params` as `skip_fishing` = 1 or 0.
    pub skip_fishing: bool,
}

/// AIS ship type of fishing vessels (ITU-R M.1371, type 30).
pub const FISHING_SHIP_TYPE: u16 = 30;

impl Default for LoiteringConfig {
    fn default() -> Self {
        Self {
            max_knots: 2.0,
            min_hours: 2.0,
            max_step_hours: 2.0,
            min_port_distance_m: 10_000.0,
            max_evidence: 24.0,
            skip_fishing: true,
        }
    }
}

/// Detects loitering in every segment.
pub fn detect_loitering(segments: &[Segment], cfg: &LoiteringConfig, ctx: &Context) -> Vec<Event> {
    let mut params = to_params(cfg);
    params.insert(
        "skip_fishing".into(),
        if cfg.skip_fishing { 1.0 } else { 0.0 },
    );
    segments
        .par_iter()
        .filter(|s| !(cfg.skip_fishing && is_fishing(ctx, s.mmsi)))
        .flat_map_iter(|s| segment_loitering(s, cfg, ctx, &params))
        .collect()
}

fn is_fishing(ctx: &Context, mmsi: u32) -> bool {
    ctx.ship_type(mmsi) == Some(FISHING_SHIP_TYPE)
}

fn segment_loitering(
    seg: &Segment,
    cfg: &LoiteringConfig,
    ctx: &Context,
    params: &BTreeMap<String, f64>,
) -> Vec<Event> {
    let pts = usable_points(seg);
    let h = HOUR_MS as i64;
    let max_step = (cfg.max_step_hours * HOUR_MS) as i64;
    // Hour buckets: (hour, metres, ms, first point index, last point index), in order.
    let mut hours: Vec<(i64, f64, i64, usize, usize)> = Vec::new();
    let mut out = Vec::new();
    let mut run: Vec<(i64, f64, i64, usize, usize)> = Vec::new();
    let flush = |run: &mut Vec<(i64, f64, i64, usize, usize)>, out: &mut Vec<Event>| {
        if let (Some(f), Some(l)) = (run.first(), run.last()) {
            if let Some(e) = make_event(seg, &pts, f.3, l.4, cfg, ctx, params) {
                out.push(e);
            }
        }
        run.clear();
    };
    for i in 1..pts.len() {
        let (a, b) = (pts[i - 1], pts[i]);
        let dt = b.time_ms - a.time_ms;
        let hour = b.time_ms.div_euclid(h);
        if dt > max_step {
            // A silence: close whatever is open.
            hours.clear();
            flush(&mut run, &mut out);
            continue;
        }
        let d = haversine_m(ll(a), ll(b));
        match hours.last_mut() {
            Some(last) if last.0 == hour => {
                last.1 += d;
                last.2 += dt;
                last.4 = i;
            }
            _ => {
                // The previous hour is complete: judge it.
                if let Some(done) = hours.pop() {
                    judge(done, &mut run, &mut out, cfg, &flush);
                }
                hours.push((hour, d, dt, i - 1, i));
            }
        }
    }
    if let Some(done) = hours.pop() {
        judge(done, &mut run, &mut out, cfg, &flush);
    }
    flush(&mut run, &mut out);
    out
}

type Bucket = (i64, f64, i64, usize, usize);

fn judge(
    b: Bucket,
    run: &mut Vec<Bucket>,
    out: &mut Vec<Event>,
    cfg: &LoiteringConfig,
    flush: &dyn Fn(&mut Vec<Bucket>, &mut Vec<Event>),
) {
    let knots = if b.2 > 0 {
        b.1 / 1852.0 / (b.2 as f64 / HOUR_MS)
    } else {
        0.0
    };
    // Buckets reach here in order and share their boundary fix; silences were cut before.
    if knots < cfg.max_knots {
        run.push(b);
    } else {
        flush(run, out);
    }
}

fn make_event(
    seg: &Segment,
    pts: &[&TrackPoint],
    first: usize,
    last: usize,
    cfg: &LoiteringConfig,
    ctx: &Context,
    params: &BTreeMap<String, f64>,
) -> Option<Event> {
    let span = &pts[first..=last];
    let (a, b) = (span.first()?, span.last()?);
    let hours = (b.time_ms - a.time_ms) as f64 / HOUR_MS;
    if hours < cfg.min_hours {
        return None;
    }
    let n = span.len() as f64;
    let pos = LonLat::new(
        span.iter().map(|p| p.lon).sum::<f64>() / n,
        span.iter().map(|p| p.lat).sum::<f64>() / n,
    );
    if ctx.ports.within(pos, cfg.min_port_distance_m).is_some() {
        return None;
    }
    let dist: f64 = span
        .windows(2)
        .map(|w| haversine_m(ll(w[0]), ll(w[1])))
        .sum();
    let mut ev = new_event(
        EventKind::Loitering,
        is_fishing(ctx, seg.mmsi).then_some("fishing"),
        vec![seg.mmsi],
        vec![seg.id.clone()],
        a.time_ms,
        b.time_ms,
        pos,
        params.clone(),
    );
    ev.metrics.insert("duration_hours".into(), hours);
    ev.metrics.insert("distance_nm".into(), dist / 1852.0);
    ev.metrics
        .insert("avg_speed_knots".into(), dist / 1852.0 / hours.max(1e-9));
    ev.metrics.insert("positions".into(), n);
    if let Some(d) = ctx.shore_distance_m(pos) {
        ev.metrics.insert("shore_m_approx".into(), d.round());
    }
    ev.evidence = evidence(
        seg.mmsi,
        span.iter().copied(),
        cfg.max_evidence.max(2.0) as usize,
    );
    ctx.annotate(&mut ev);
    Some(ev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testutil::*;

    #[test]
    fn slow_hours_at_sea_are_loitering() {
        let at = LonLat::new(123.6, 36.6);
        let mut p = sail(
            spatial::destination(at, 270.0, 30_000.0),
            90.0,
            12.0,
            T0,
            80,
            2,
        );
        let t = p.last().unwrap().time_ms + 2 * MIN;
        p.extend(drift(at, 0.3, t, 6 * 60, 3));
        let t = p.last().unwrap().time_ms + 2 * MIN;
        p.extend(sail(at, 90.0, 12.0, t, 120, 2));
        let ev = detect_loitering(
            &[seg(5, p)],
            &LoiteringConfig::default(),
            &Context::default_region(),
        );
        assert_eq!(ev.len(), 1, "{ev:#?}");
        let h = ev[0].metrics["duration_hours"];
        assert!((5.0..=7.0).contains(&h), "{h}");
    }

    #[test]
    fn fishing_vessels_are_skipped_or_graded() {
        let at = LonLat::new(123.6, 36.6);
        let trawl = drift(at, 1.5, T0, 6 * 60, 3);
        let mut ctx = Context::default_region();
        ctx.ship_types.insert(7, FISHING_SHIP_TYPE);
        ctx.ship_types.insert(8, 70);
        let segs = [seg(7, trawl.clone()), seg(8, trawl)];
        let ev = detect_loitering(&segs, &LoiteringConfig::default(), &ctx);
        assert_eq!(ev.len(), 1, "{ev:#?}");
        assert_eq!(ev[0].vessels, vec![8]);
        assert_eq!(ev[0].grade, None);
        let keep = LoiteringConfig {
            skip_fishing: false,
            ..LoiteringConfig::default()
        };
        let ev = detect_loitering(&segs, &keep, &ctx);
        assert_eq!(ev.len(), 2, "{ev:#?}");
        let fishing: Vec<_> = ev.iter().filter(|e| e.vessels == vec![7]).collect();
        assert_eq!(fishing[0].grade.as_deref(), Some("fishing"));
        assert_eq!(fishing[0].params["skip_fishing"], 0.0);
    }

    #[test]
    fn moving_ships_and_ships_in_port_do_not_loiter() {
        let ctx = Context::default_region();
        let cfg = LoiteringConfig::default();
        let moving = sail(LonLat::new(123.6, 36.6), 0.0, 8.0, T0, 600, 2);
        let in_port = drift(LonLat::new(121.5, 31.216667), 0.0, T0, 600, 3);
        assert!(detect_loitering(&[seg(1, moving), seg(2, in_port)], &cfg, &ctx).is_empty());
    }
}
