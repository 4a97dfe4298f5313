//! Spoofing and impossible positions.
//!
//! - **Teleport**: a point the track layer flagged for implied speed, reported with the jump from
//!   the last good point.
//! - **Impossible position**: runs of points flagged at 0,0 or "not available", and usable points
//!   clearly inland on the land mask ([`super::LandMask`]), away from listed ports.
//! - **Circle spoof**: within a sliding window, positions on a ring around a fixed centre (radius
//!   nearly constant, several full turns) — the pattern of spoofed "crop circles"; or positions
//!   that stay fixed while the ship reports a speed over ground (a fixed false position), graded
//!   `circle` and `fixed`.
//! - **MMSI collision**: two segments of one MMSI reporting at the same time far apart.

use super::gap::to_params;
use super::{evidence, ll, median, new_event, usable, usable_points, Context, HOUR_MS};
use crate::event::{Event, EventKind};
use crate::tracks::{PointFlag, Segment, TrackPoint};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use spatial::{haversine_m, mps_to_knots, LonLat};
use std::collections::BTreeMap;

/// Spoofing thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpoofConfig {
    /// Circle and fixed-position window, hours.
    pub window_hours: f64,
    /// Fewest points in a window.
    pub min_window_points: f64,
    /// Circle: smallest and largest radius, metres.
    pub circle_min_radius_m: f64,
    /// Circle: largest radius, metres.
    pub circle_max_radius_m: f64,
    /// Circle: largest coefficient of variation of the radius.
    pub circle_max_radius_cv: f64,
    /// Circle: fewest full turns in the window.
    pub circle_min_turns: f64,
    /// Fixed: all points within this distance of their centre, metres.
    pub fixed_max_spread_m: f64,
    /// Fixed: median reported speed at least this, knots.
    pub fixed_min_reported_knots: f64,
    /// Collision: smallest distance between simultaneous positions, metres.
    pub collision_min_distance_m: f64,
    /// Collision: largest time difference for positions to count as simultaneous, minutes.
    pub collision_max_dt_minutes: f64,
    /// Collision: fewest simultaneous far-apart position pairs.
    pub collision_min_pairs: f64,
    /// Segment jump: a segment of an MMSI starting (ending) within this time of another
    /// segment's last (first) point, hours.
    pub jump_max_gap_hours: f64,
    /// Segment jump: implied speed above which the jump is a teleport, knots.
    pub jump_min_knots: f64,
    /// Fixed false position: a segment entered and left by teleports whose points all lie
    /// within this distance of their centre, metres.
    pub island_max_spread_m: f64,
}

impl Default for SpoofConfig {
    fn default() -> Self {
        Self {
            window_hours: 2.0,
            min_window_points: 12.0,
            circle_min_radius_m: 200.0,
            circle_max_radius_m: 20_000.0,
            circle_max_radius_cv: 0.15,
            circle_min_turns: 1.5,
            fixed_max_spread_m: 30.0,
            fixed_min_reported_knots: 5.0,
            collision_min_distance_m: 20_000.0,
            collision_max_dt_minutes: 10.0,
            collision_min_pairs: 3.0,
            jump_max_gap_hours: 1.0,
            jump_min_knots: 50.0,
            island_max_spread_m: 300.0,
        }
    }
}

/// Runs every spoofing detector.
pub fn detect_spoofing(segments: &[Segment], cfg: &SpoofConfig, ctx: &Context) -> Vec<Event> {
    let params = to_params(cfg);
    let mut out: Vec<Event> = segments
        .par_iter()
        .flat_map_iter(|s| {
            let mut v = flagged_events(s, ctx, &params);
            v.extend(land_events(s, ctx, &params));
            v.extend(circle_events(s, cfg, ctx, &params));
            v
        })
        .collect();
    out.extend(collisions(segments, cfg, ctx, &params));
    out.extend(segment_jumps(segments, cfg, ctx, &params));
    out
}

/// Teleports between segments of one MMSI: the track layer opens a new segment for a position
/// it cannot reach, so a spoofed stream (or a second ship on the MMSI) shows as a jump from the
/// end of one segment to the start of another. A stationary segment entered and left that way
/// is a fixed false position (`circle_spoof`, grade `fixed`).
fn segment_jumps(
    segments: &[Segment],
    cfg: &SpoofConfig,
    ctx: &Context,
    params: &BTreeMap<String, f64>,
) -> Vec<Event> {
    let mut by_mmsi: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, s) in segments.iter().enumerate() {
        by_mmsi.entry(s.mmsi).or_default().push(i);
    }
    let max_gap = (cfg.jump_max_gap_hours * HOUR_MS) as i64;
    let groups: Vec<Vec<usize>> = by_mmsi.into_values().filter(|v| v.len() > 1).collect();
    groups
        .par_iter()
        .flat_map_iter(|idx| {
            let pts: Vec<Vec<&TrackPoint>> =
                idx.iter().map(|&i| usable_points(&segments[i])).collect();
            let mut out = Vec::new();
            // For each segment: the jump into its first point from the latest earlier point of
            // another segment, and out of its last point to the next point of another.
            let mut jumped_in = vec![false; idx.len()];
            let mut jumped_out = vec![false; idx.len()];
            for x in 0..idx.len() {
                let Some(&first) = pts[x].first() else {
                    continue;
                };
                let before = (0..idx.len())
                    .filter(|&y| y != x)
                    .filter_map(|y| {
                        let k = pts[y].partition_point(|p| p.time_ms < first.time_ms);
                        k.checked_sub(1).map(|k| (y, pts[y][k]))
                    })
                    .max_by_key(|(_, p)| p.time_ms);
                let Some((y, prev)) = before else { continue };
                let dt = first.time_ms - prev.time_ms;
                if dt > max_gap {
                    continue;
                }
                let d = haversine_m(ll(prev), ll(first));
                let knots = mps_to_knots(d / (dt.max(1000) as f64 / 1000.0));
                if knots < cfg.jump_min_knots {
                    continue;
                }
                jumped_in[x] = true;
                // The earlier segment jumps out when this jump leaves from its last point.
                if pts[y].last().is_some_and(|l| l.time_ms == prev.time_ms) {
                    jumped_out[y] = true;
                }
                let (sx, sy) = (&segments[idx[x]], &segments[idx[y]]);
                let mut ev = new_event(
                    EventKind::Teleport,
                    Some("segment_jump"),
                    vec![sx.mmsi],
                    vec![sy.id.clone(), sx.id.clone()],
                    prev.time_ms,
                    first.time_ms,
                    ll(first),
                    params.clone(),
                );
                ev.id = super::event_id(EventKind::Teleport, &ev.vessels, first.time_ms, &sx.id);
                ev.metrics.insert("jump_m".into(), d.round());
                ev.metrics.insert("implied_speed_knots".into(), knots);
                ev.evidence = evidence(sx.mmsi, [prev, first].into_iter(), 2);
                ctx.annotate(&mut ev);
                out.push(ev);
            }
            for x in 0..idx.len() {
                if !(jumped_in[x] && jumped_out[x]) {
                    continue;
                }
                let p = &pts[x];
                let n = p.len() as f64;
                let c = LonLat::new(
                    p.iter().map(|q| q.lon).sum::<f64>() / n,
                    p.iter().map(|q| q.lat).sum::<f64>() / n,
                );
                let spread = p.iter().map(|q| haversine_m(c, ll(q))).fold(0.0, f64::max);
                if spread > cfg.island_max_spread_m {
                    continue;
                }
                let s = &segments[idx[x]];
                let (a, b) = (p[0], p[p.len() - 1]);
                let mut ev = new_event(
                    EventKind::CircleSpoof,
                    Some("fixed"),
                    vec![s.mmsi],
                    vec![s.id.clone()],
                    a.time_ms,
                    b.time_ms,
                    c,
                    params.clone(),
                );
                ev.id = super::event_id(ev.kind, &ev.vessels, a.time_ms, "island");
                ev.metrics.insert("spread_m".into(), spread.round());
                ev.metrics.insert("positions".into(), n);
                ev.metrics.insert(
                    "duration_hours".into(),
                    (b.time_ms - a.time_ms) as f64 / HOUR_MS,
                );
                ev.attributes.insert(
                    "evidence".into(),
                    "stationary segment entered and left by teleports".into(),
                );
                ev.evidence = evidence(s.mmsi, p.iter().copied(), 12);
                ctx.annotate(&mut ev);
                out.push(ev);
            }
            out
        })
        .collect()
}

fn flagged_events(seg: &Segment, ctx: &Context, params: &BTreeMap<String, f64>) -> Vec<Event> {
    let mut out = Vec::new();
    let mut last_good: Option<&TrackPoint> = None;
    let mut i = 0;
    let pts = &seg.points;
    while i < pts.len() {
        let p = &pts[i];
        match p.flag {
            None => {
                if usable(p) {
                    last_good = Some(p);
                }
                i += 1;
            }
            Some(PointFlag::ImpliedSpeed) => {
                let mut ev = new_event(
                    EventKind::Teleport,
                    None,
                    vec![seg.mmsi],
                    vec![seg.id.clone()],
                    last_good.map_or(p.time_ms, |q| q.time_ms),
                    p.time_ms,
                    LonLat::new(p.lon, p.lat),
                    params.clone(),
                );
                if let Some(q) = last_good {
                    let d = haversine_m(ll(q), ll(p));
                    let dt = ((p.time_ms - q.time_ms) as f64 / 1000.0).max(1.0);
                    ev.metrics.insert("jump_m".into(), d.round());
                    ev.metrics
                        .insert("implied_speed_knots".into(), mps_to_knots(d / dt));
                    ev.evidence = evidence(seg.mmsi, [q, p].into_iter(), 2);
                } else {
                    ev.evidence = evidence(seg.mmsi, [p].into_iter(), 1);
                }
                ev.id = super::event_id(EventKind::Teleport, &ev.vessels, p.time_ms, &seg.id);
                ctx.annotate(&mut ev);
                out.push(ev);
                i += 1;
            }
            // Outliers and coarse long-range reports are noise, not evidence of spoofing.
            Some(PointFlag::Outlier | PointFlag::CoarseLongRange) => i += 1,
            Some(flag) => {
                let start = i;
                while i < pts.len() && pts[i].flag == Some(flag) {
                    i += 1;
                }
                let run = &pts[start..i];
                let reason = serde_json::to_value(flag)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                let mut ev = new_event(
                    EventKind::ImpossiblePosition,
                    Some(&reason),
                    vec![seg.mmsi],
                    vec![seg.id.clone()],
                    run[0].time_ms,
                    run[run.len() - 1].time_ms,
                    LonLat::new(run[0].lon, run[0].lat),
                    params.clone(),
                );
                ev.id = super::event_id(ev.kind, &ev.vessels, run[0].time_ms, &seg.id);
                ev.metrics.insert("positions".into(), run.len() as f64);
                ev.evidence = evidence(seg.mmsi, run.iter(), 4);
                out.push(ev);
            }
        }
    }
    out
}

fn land_events(seg: &Segment, ctx: &Context, params: &BTreeMap<String, f64>) -> Vec<Event> {
    if ctx.land_mask.is_empty() {
        return Vec::new();
    }
    let pts = usable_points(seg);
    // Ports sit on rivers and coasts that a 1:10m coastline draws as land: never judged there.
    let on: Vec<&TrackPoint> = pts
        .into_iter()
        .filter(|p| ctx.land_mask.is_inland(ll(p)) && ctx.ports.within(ll(p), 15_000.0).is_none())
        .collect();
    let (Some(a), Some(b)) = (on.first(), on.last()) else {
        return Vec::new();
    };
    let mut ev = new_event(
        EventKind::ImpossiblePosition,
        Some("on_land"),
        vec![seg.mmsi],
        vec![seg.id.clone()],
        a.time_ms,
        b.time_ms,
        ll(a),
        params.clone(),
    );
    ev.id = super::event_id(ev.kind, &ev.vessels, a.time_ms, "land");
    ev.metrics.insert("positions".into(), on.len() as f64);
    ev.evidence = evidence(seg.mmsi, on.iter().copied(), 8);
    vec![ev]
}

fn circle_events(
    seg: &Segment,
    cfg: &SpoofConfig,
    ctx: &Context,
    params: &BTreeMap<String, f64>,
) -> Vec<Event> {
    let pts = usable_points(seg);
    let win = (cfg.window_hours * HOUR_MS) as i64;
    let min_pts = cfg.min_window_points.max(3.0) as usize;
    let mut out: Vec<Event> = Vec::new();
    let mut start = 0;
    // Non-overlapping windows keep this linear; neighbouring hits are merged below.
    while start < pts.len() {
        let mut end = start;
        while end < pts.len() && pts[end].time_ms - pts[start].time_ms <= win {
            end += 1;
        }
        let w = &pts[start..end];
        if w.len() >= min_pts {
            if let Some((grade, metrics)) = classify_window(w, cfg) {
                let (a, b) = (w[0], w[w.len() - 1]);
                let centre = LonLat::new(metrics["centre_lon"], metrics["centre_lat"]);
                match out.last_mut() {
                    Some(prev)
                        if prev.grade.as_deref() == Some(grade)
                            && a.time_ms - prev.end_ms <= win =>
                    {
                        prev.end_ms = b.time_ms;
                        prev.evidence.extend(evidence(seg.mmsi, [b].into_iter(), 1));
                    }
                    _ => {
                        let mut ev = new_event(
                            EventKind::CircleSpoof,
                            Some(grade),
                            vec![seg.mmsi],
                            vec![seg.id.clone()],
                            a.time_ms,
                            b.time_ms,
                            centre,
                            params.clone(),
                        );
                        ev.metrics = metrics;
                        ev.evidence = evidence(seg.mmsi, w.iter().copied(), 12);
                        ctx.annotate(&mut ev);
                        out.push(ev);
                    }
                }
            }
        }
        start = end.max(start + 1);
    }
    for ev in &mut out {
        ev.metrics.insert(
            "duration_hours".into(),
            (ev.end_ms - ev.start_ms) as f64 / HOUR_MS,
        );
    }
    out
}

fn classify_window(
    w: &[&TrackPoint],
    cfg: &SpoofConfig,
) -> Option<(&'static str, BTreeMap<String, f64>)> {
    let n = w.len() as f64;
    let centre = LonLat::new(
        w.iter().map(|p| p.lon).sum::<f64>() / n,
        w.iter().map(|p| p.lat).sum::<f64>() / n,
    );
    let radii: Vec<f64> = w.iter().map(|p| haversine_m(centre, ll(p))).collect();
    let mean_r = radii.iter().sum::<f64>() / n;
    let sd = (radii.iter().map(|r| (r - mean_r).powi(2)).sum::<f64>() / n).sqrt();
    let mut m = BTreeMap::new();
    m.insert("centre_lat".into(), centre.lat);
    m.insert("centre_lon".into(), centre.lon);
    m.insert("mean_radius_m".into(), mean_r.round());
    let mut sogs: Vec<f64> = w
        .iter()
        .filter_map(|p| p.sog.filter(|s| *s < 102.2).map(f64::from))
        .collect();
    let med_sog = median(&mut sogs);
    if mean_r + 2.0 * sd <= cfg.fixed_max_spread_m && med_sog >= cfg.fixed_min_reported_knots {
        m.insert("median_reported_knots".into(), med_sog);
        return Some(("fixed", m));
    }
    if mean_r < cfg.circle_min_radius_m || mean_r > cfg.circle_max_radius_m {
        return None;
    }
    let cv = sd / mean_r;
    if cv > cfg.circle_max_radius_cv {
        return None;
    }
    // Unwrapped bearing from the centre: full turns travelled around it.
    let mut total = 0.0;
    let mut prev = spatial::bearing_deg(centre, ll(w[0]));
    for p in &w[1..] {
        let b = spatial::bearing_deg(centre, ll(p));
        let mut d = b - prev;
        if d > 180.0 {
            d -= 360.0;
        } else if d < -180.0 {
            d += 360.0;
        }
        total += d;
        prev = b;
    }
    let turns = total.abs() / 360.0;
    if turns < cfg.circle_min_turns {
        return None;
    }
    m.insert("radius_cv".into(), cv);
    m.insert("turns".into(), turns);
    Some(("circle", m))
}

fn collisions(
    segments: &[Segment],
    cfg: &SpoofConfig,
    ctx: &Context,
    params: &BTreeMap<String, f64>,
) -> Vec<Event> {
    let mut by_mmsi: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, s) in segments.iter().enumerate() {
        by_mmsi.entry(s.mmsi).or_default().push(i);
    }
    let max_dt = (cfg.collision_max_dt_minutes * 60_000.0) as i64;
    let groups: Vec<Vec<usize>> = by_mmsi.into_values().filter(|v| v.len() > 1).collect();
    groups
        .par_iter()
        .flat_map_iter(|idx| {
            let pts: Vec<Vec<&TrackPoint>> =
                idx.iter().map(|&i| usable_points(&segments[i])).collect();
            let mut out = Vec::new();
            for x in 0..idx.len() {
                for y in x + 1..idx.len() {
                    let (p, q) = (&pts[x], &pts[y]);
                    let (Some(pf), Some(pl), Some(qf), Some(ql)) =
                        (p.first(), p.last(), q.first(), q.last())
                    else {
                        continue;
                    };
                    let (t0, t1) = (pf.time_ms.max(qf.time_ms), pl.time_ms.min(ql.time_ms));
                    if t0 > t1 {
                        continue;
                    }
                    // Walk both in time order; pair each p point with the nearest-in-time q point.
                    let mut far: Vec<(&TrackPoint, &TrackPoint, f64)> = Vec::new();
                    let mut j = 0;
                    for a in p.iter().filter(|a| a.time_ms >= t0 && a.time_ms <= t1) {
                        while j + 1 < q.len()
                            && (q[j + 1].time_ms - a.time_ms).abs()
                                <= (q[j].time_ms - a.time_ms).abs()
                        {
                            j += 1;
                        }
                        let b = q[j];
                        if (b.time_ms - a.time_ms).abs() <= max_dt {
                            let d = haversine_m(ll(a), ll(b));
                            if d >= cfg.collision_min_distance_m {
                                far.push((a, b, d));
                            }
                        }
                    }
                    if (far.len() as f64) < cfg.collision_min_pairs {
                        continue;
                    }
                    let (sx, sy) = (&segments[idx[x]], &segments[idx[y]]);
                    let (fa, la) = (far[0], far[far.len() - 1]);
                    let mut ev = new_event(
                        EventKind::MmsiCollision,
                        None,
                        vec![sx.mmsi],
                        vec![sx.id.clone(), sy.id.clone()],
                        fa.0.time_ms.min(fa.1.time_ms),
                        la.0.time_ms.max(la.1.time_ms),
                        ll(fa.0),
                        params.clone(),
                    );
                    ev.id = super::event_id(ev.kind, &ev.vessels, ev.start_ms, &sy.id);
                    let mut d: Vec<f64> = far.iter().map(|f| f.2).collect();
                    ev.metrics
                        .insert("simultaneous_pairs".into(), far.len() as f64);
                    ev.metrics
                        .insert("median_separation_m".into(), median(&mut d).round());
                    ev.metrics.insert("other_lat".into(), fa.1.lat);
                    ev.metrics.insert("other_lon".into(), fa.1.lon);
                    ev.evidence = evidence(sx.mmsi, [fa.0, fa.1, la.0, la.1].into_iter(), 4);
                    ctx.annotate(&mut ev);
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
    use spatial::destination;

    #[test]
    fn a_ring_of_positions_is_a_circle_spoof_and_a_straight_track_is_not() {
        let c = LonLat::new(123.0, 36.0);
        let ring: Vec<TrackPoint> = (0..240)
            .map(|i| {
                pt(
                    T0 + i * MIN,
                    destination(c, (i * 12 % 360) as f64, 2_000.0),
                    8.0,
                )
            })
            .collect();
        let cfg = SpoofConfig::default();
        let ctx = Context::default_region();
        let ev = detect_spoofing(&[seg(1, ring)], &cfg, &ctx);
        assert!(
            ev.iter()
                .any(|e| e.kind == EventKind::CircleSpoof && e.grade.as_deref() == Some("circle")),
            "{ev:#?}"
        );
        let straight = sail(c, 45.0, 12.0, T0, 240, 1);
        assert!(detect_spoofing(&[seg(2, straight)], &cfg, &ctx).is_empty());
    }

    #[test]
    fn a_fixed_position_with_speed_is_spoofed() {
        let c = LonLat::new(123.0, 36.0);
        let fixed: Vec<TrackPoint> = (0..180).map(|i| pt(T0 + i * MIN, c, 11.0)).collect();
        let ev = detect_spoofing(
            &[seg(1, fixed)],
            &SpoofConfig::default(),
            &Context::default_region(),
        );
        assert!(
            ev.iter().any(|e| e.grade.as_deref() == Some("fixed")),
            "{ev:#?}"
        );
        // A ship at anchor reporting 0 kn is not.
        let anchored: Vec<TrackPoint> = (0..180).map(|i| pt(T0 + i * MIN, c, 0.0)).collect();
        assert!(detect_spoofing(
            &[seg(1, anchored)],
            &SpoofConfig::default(),
            &Context::default_region()
        )
        .is_empty());
    }

    #[test]
    fn a_stationary_segment_between_jumps_is_a_fixed_false_position() {
        let real = LonLat::new(122.0, 30.5);
        let fake = LonLat::new(122.6, 30.2);
        let a = sail(real, 0.0, 10.0, T0, 120, 2);
        let island = drift(fake, 0.1, T0 + 122 * MIN, 240, 2);
        let b = sail(real, 0.0, 10.0, T0 + 364 * MIN, 120, 2);
        let ev = detect_spoofing(
            &[seg(5, a), seg(5, island), seg(5, b)],
            &SpoofConfig::default(),
            &Context::default_region(),
        );
        assert_eq!(
            ev.iter().filter(|e| e.kind == EventKind::Teleport).count(),
            2,
            "{ev:#?}"
        );
        assert_eq!(
            ev.iter()
                .filter(|e| e.grade.as_deref() == Some("fixed"))
                .count(),
            1,
            "{ev:#?}"
        );
    }

    #[test]
    fn one_mmsi_in_two_places_is_a_collision() {
        let a = sail(LonLat::new(123.0, 36.0), 0.0, 10.0, T0, 120, 2);
        let b = sail(LonLat::new(124.0, 37.0), 0.0, 10.0, T0 + MIN, 120, 2);
        let ev = detect_spoofing(
            &[seg(5, a), seg(5, b)],
            &SpoofConfig::default(),
            &Context::default_region(),
        );
        let c: Vec<_> = ev
            .iter()
            .filter(|e| e.kind == EventKind::MmsiCollision)
            .collect();
        assert_eq!(c.len(), 1);
        assert!(c[0].metrics["simultaneous_pairs"] > 50.0);
    }

    #[test]
    fn flagged_points_become_teleport_and_impossible_position_events() {
        let mut p = sail(LonLat::new(123.0, 36.0), 0.0, 10.0, T0, 30, 2);
        p[5].flag = Some(PointFlag::ImpliedSpeed);
        p[5].lat += 2.0;
        p[8].flag = Some(PointFlag::NullIsland);
        p[9].flag = Some(PointFlag::NullIsland);
        let ev = detect_spoofing(
            &[seg(5, p)],
            &SpoofConfig::default(),
            &Context::default_region(),
        );
        assert_eq!(
            ev.iter().filter(|e| e.kind == EventKind::Teleport).count(),
            1
        );
        let imp: Vec<_> = ev
            .iter()
            .filter(|e| e.kind == EventKind::ImpossiblePosition)
            .collect();
        assert_eq!(imp.len(), 1);
        assert_eq!(imp[0].grade.as_deref(), Some("null_island"));
        assert_eq!(imp[0].metrics["positions"], 2.0);
    }
}
