//! AIS gaps ("going dark") and dark rendezvous.
//!
//! A gap is a silence of at least `min_gap_hours` between two usable positions of one MMSI:
//! inside a segment, or between the end of one segment and the start of the next one of the same
//! MMSI that is reachable at a plausible speed (a long silence closes a segment in the track
//! layer). Each gap carries its off and on positions, distance, implied speed, distance from
//! shore (approximated by the nearest port: see [`Context::shore_distance_m`]) and from the
//! nearest DPRK zone, and the vessel's reporting before the gap.
//!
//! Grading, after Welch et al. 2022: a gap is `intentional` when reception was good and the
//! silence is longer than reception explains — at least `min_positions_before` positions in the
//! `hours_before` before going dark (their k = 14 in 12 h), a silence of at least
//! `intentional_min_hours` (Welch: 12 h; default 10 h, above the simulator's longest satellite
//! revisit), and longer than any silence of the same vessel in the `prior_window_hours` before
//! (revisit gaps repeat; a dark period stands out). Otherwise it is `poor_coverage`. The features
//! are in the metrics, with `covered_hours` (hours of the silence in which other vessels were heard
//! within one coverage cell), which may be required with `min_covered_hours`.
//!
//! Shared silence: a receiver outage (a satellite downlink failure, a coast station down) silences
//! every vessel it was hearing in an area at once, however good reception was before. So a gap
//! that passes the test above is graded `coverage` instead when most of the other vessels heard
//! near its off or on position in the `shared_lookback_hours` before it started were also silent
//! for at least `shared_silent_share` of its hours (and were heard again after it ended, so that
//! the end of a track is not taken for a silence): at least `shared_min_neighbours` such
//! neighbours and a silent fraction of at least `shared_min_fraction`. Reception-quality maps
//! (GFW) and analysts discount gaps the same way. The neighbours and fraction are in the metrics
//! (`shared_neighbours`, `shared_silent_fraction`) of every gap. A vessel that goes dark alone,
//! or with one partner for a dark transfer, keeps its `intentional` grade. Positions are binned
//! once by (cell of `shared_cell_km`, UTC hour), so the test costs a few look-ups per gap.

use super::{evidence, ll, new_event, usable_points, Context, HOUR_MS};
use crate::event::{Event, EventKind};
use crate::tracks::{Segment, TrackPoint};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use spatial::{haversine_m, mps_to_knots, LonLat};
use std::collections::{BTreeMap, HashMap};

/// Gap thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GapConfig {
    /// Shortest silence reported, hours.
    pub min_gap_hours: f64,
    /// Largest implied speed across a gap between two segments for them to be one vessel, knots.
    pub max_implied_knots: f64,
    /// Window before the gap in which positions are counted, hours.
    pub hours_before: f64,
    /// `intentional` grade: at least this many positions in the window before.
    pub min_positions_before: f64,
    /// Coverage grid cell, degrees (neighbourhood = 3 × 3 cells around the off and on positions).
    pub coverage_cell_deg: f64,
    /// `intentional` grade: hours of the silence in which other vessels were heard nearby (0 by
    /// default: recorded as `covered_hours`, but on the DPRK scenario it did not separate dark
    /// periods from satellite-revisit gaps; see docs/accuracy.md).
    pub min_covered_hours: f64,
    /// `intentional` grade: shortest silence, hours. Set it above the longest revisit interval of
    /// the receivers that feed the data (Welch et al. used 12 h for 2017–2019 satellite AIS).
    pub intentional_min_hours: f64,
    /// Window before the gap searched for the vessel's longest earlier silence, hours.
    pub prior_window_hours: f64,
    /// `intentional` grade: the gap must be longer than this factor times that earlier silence.
    pub prior_silence_factor: f64,
    /// `intentional` grade: smallest off-position distance from shore (port proxy), metres.
    pub min_offshore_m: f64,
    /// Shared-silence test: cell size, km; neighbours are vessels heard in the 3 × 3 cells around
    /// the off and on positions (so within about 1 to 2 cells).
    pub shared_cell_km: f64,
    /// Shared-silence test: window before the gap in which neighbours must have been heard, hours.
    pub shared_lookback_hours: f64,
    /// Shared-silence test: a neighbour counts as silent when it was not heard in at least this
    /// share of the gap's whole UTC hours.
    pub shared_silent_share: f64,
    /// Shared-silence test: fewest neighbours for the test to apply.
    pub shared_min_neighbours: f64,
    /// Shared-silence test: `coverage` grade when at least this fraction of neighbours was silent
    /// (above 1: test disabled).
    pub shared_min_fraction: f64,
}

impl Default for GapConfig {
    fn default() -> Self {
        Self {
            min_gap_hours: 6.0,
            max_implied_knots: 30.0,
            hours_before: 12.0,
            min_positions_before: 14.0,
            coverage_cell_deg: 0.25,
            min_covered_hours: 0.0,
            intentional_min_hours: 10.0,
            prior_window_hours: 48.0,
            prior_silence_factor: 1.0,
            min_offshore_m: 0.0,
            shared_cell_km: 50.0,
            shared_lookback_hours: 1.0,
            shared_silent_share: 0.75,
            shared_min_neighbours: 3.0,
            shared_min_fraction: 0.5,
        }
    }
}

impl GapConfig {
    /// The thresholds as an event's `params`.
    pub fn params(&self) -> BTreeMap<String, f64> {
        to_params(self)
    }
}

pub(crate) fn to_params<T: Serialize>(cfg: &T) -> BTreeMap<String, f64> {
    serde_json::to_value(cfg)
        .ok()
        .and_then(|v| {
            v.as_object().map(|o| {
                o.iter()
                    .filter_map(|(k, v)| v.as_f64().map(|x| (k.clone(), x)))
                    .collect()
            })
        })
        .unwrap_or_default()
}

/// Distinct segments heard per (coverage cell, UTC hour).
struct Coverage {
    cell_deg: f64,
    heard: HashMap<(i32, i32, i64), u32>,
}

impl Coverage {
    fn build(segments: &[Segment], cell_deg: f64) -> Self {
        let keys: Vec<(i32, i32, i64)> = segments
            .par_iter()
            .flat_map_iter(|s| {
                let mut k: Vec<(i32, i32, i64)> = usable_points(s)
                    .into_iter()
                    .map(|p| Self::key(cell_deg, ll(p), p.time_ms))
                    .collect();
                k.sort_unstable();
                k.dedup();
                k
            })
            .collect();
        let mut heard: HashMap<(i32, i32, i64), u32> = HashMap::new();
        for k in keys {
            *heard.entry(k).or_default() += 1;
        }
        Self { cell_deg, heard }
    }

    fn key(cell_deg: f64, p: LonLat, t: i64) -> (i32, i32, i64) {
        (
            (p.lon / cell_deg).floor() as i32,
            (p.lat / cell_deg).floor() as i32,
            t.div_euclid(HOUR_MS as i64),
        )
    }

    /// Hours strictly inside (start, end) in which some segment was heard within one cell of
    /// `a` or `b`.
    fn covered_hours(&self, a: LonLat, b: LonLat, start: i64, end: i64) -> u32 {
        let h = HOUR_MS as i64;
        let (h0, h1) = (start.div_euclid(h) + 1, end.div_euclid(h) - 1);
        let mut n = 0;
        for hour in h0..=h1 {
            let heard = [a, b].iter().any(|p| {
                let (cx, cy, _) = Self::key(self.cell_deg, *p, hour * h);
                (-1..=1)
                    .any(|dx| (-1..=1).any(|dy| self.heard.contains_key(&(cx + dx, cy + dy, hour))))
            });
            if heard {
                n += 1;
            }
        }
        n
    }
}

/// Who was heard where and when, for the shared-silence test.
struct Heard {
    cell_deg: f64,
    /// MMSIs heard per (cell, UTC hour), sorted and distinct.
    by_cell_hour: HashMap<(i32, i32, i64), Vec<u32>>,
    /// UTC hours in which each MMSI was heard anywhere, sorted and distinct.
    hours_of: HashMap<u32, Vec<i64>>,
}

/// What the shared-silence test found for one gap.
struct SharedSilence {
    neighbours: usize,
    silent: usize,
}

impl Heard {
    fn build(segments: &[Segment], cell_km: f64) -> Self {
        // Cells are square in degrees of latitude; east-west they shrink with latitude, which
        // only makes the neighbourhood narrower, never wider.
        let cell_deg = (cell_km.max(1.0)) / 111.32;
        let keyed: Vec<(u32, (i32, i32, i64))> = segments
            .par_iter()
            .flat_map_iter(|s| {
                let mut k: Vec<(u32, (i32, i32, i64))> = usable_points(s)
                    .into_iter()
                    .map(|p| (s.mmsi, Coverage::key(cell_deg, ll(p), p.time_ms)))
                    .collect();
                k.sort_unstable();
                k.dedup();
                k
            })
            .collect();
        let mut by_cell_hour: HashMap<(i32, i32, i64), Vec<u32>> = HashMap::new();
        let mut hours_of: HashMap<u32, Vec<i64>> = HashMap::new();
        for (mmsi, key) in keyed {
            by_cell_hour.entry(key).or_default().push(mmsi);
            hours_of.entry(mmsi).or_default().push(key.2);
        }
        for v in by_cell_hour.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        for v in hours_of.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        Self {
            cell_deg,
            by_cell_hour,
            hours_of,
        }
    }

    /// Other vessels heard near `a` or `b` in the `lookback` before `start`, and how many of them
    /// were silent for at least `silent_share` of the whole hours of (start, end) and heard again
    /// from the hour `end` falls in.
    #[allow(clippy::too_many_arguments)]
    fn shared_silence(
        &self,
        mmsi: u32,
        a: LonLat,
        b: LonLat,
        start: i64,
        end: i64,
        lookback_ms: i64,
        silent_share: f64,
    ) -> SharedSilence {
        let h = HOUR_MS as i64;
        let mut near: Vec<u32> = Vec::new();
        for hour in (start - lookback_ms).div_euclid(h)..=start.div_euclid(h) {
            for p in [a, b] {
                let (cx, cy, _) = Coverage::key(self.cell_deg, p, hour * h);
                for dx in -1..=1 {
                    for dy in -1..=1 {
                        if let Some(v) = self.by_cell_hour.get(&(cx + dx, cy + dy, hour)) {
                            near.extend(v.iter().filter(|&&m| m != mmsi));
                        }
                    }
                }
            }
        }
        near.sort_unstable();
        near.dedup();
        let (h0, h1) = (start.div_euclid(h) + 1, end.div_euclid(h) - 1);
        let whole = (h1 - h0 + 1).max(0) as f64;
        let mut out = SharedSilence {
            neighbours: 0,
            silent: 0,
        };
        if whole < 1.0 {
            return out;
        }
        for m in near {
            let Some(hours) = self.hours_of.get(&m) else {
                continue;
            };
            // A track that ends during the gap tells nothing about reception.
            if hours.last().is_none_or(|&l| l < end.div_euclid(h)) {
                continue;
            }
            out.neighbours += 1;
            let lo = hours.partition_point(|&x| x < h0);
            let hi = hours.partition_point(|&x| x <= h1);
            let heard = (hi - lo) as f64;
            if 1.0 - heard / whole >= silent_share {
                out.silent += 1;
            }
        }
        out
    }
}

/// Detects gaps. Dark rendezvous are found among the returned gaps by
/// [`detect_dark_rendezvous`].
pub fn detect_gaps(segments: &[Segment], cfg: &GapConfig, ctx: &Context) -> Vec<Event> {
    let min_ms = (cfg.min_gap_hours * HOUR_MS) as i64;
    let coverage = Coverage::build(segments, cfg.coverage_cell_deg);
    let heard = Heard::build(segments, cfg.shared_cell_km);
    // Segments by MMSI, ordered by start.
    let mut by_mmsi: BTreeMap<u32, Vec<(usize, Vec<&TrackPoint>)>> = BTreeMap::new();
    for (i, s) in segments.iter().enumerate() {
        let pts = usable_points(s);
        if !pts.is_empty() {
            by_mmsi.entry(s.mmsi).or_default().push((i, pts));
        }
    }
    let params = cfg.params();
    let groups: Vec<_> = by_mmsi.into_iter().collect();
    groups
        .par_iter()
        .flat_map_iter(|(_, segs)| {
            let mut segs: Vec<&(usize, Vec<&TrackPoint>)> = segs.iter().collect();
            segs.sort_by_key(|(_, p)| p[0].time_ms);
            let mut out = Vec::new();
            for (k, (si, pts)) in segs.iter().enumerate() {
                let seg = &segments[*si];
                for (j, w) in pts.windows(2).enumerate() {
                    if w[1].time_ms - w[0].time_ms >= min_ms {
                        out.push(gap_event(
                            seg,
                            pts,
                            j,
                            seg,
                            pts,
                            j + 1,
                            cfg,
                            ctx,
                            &coverage,
                            &heard,
                            &params,
                        ));
                    }
                }
                // Across segments: the next segment starting after this one ends, reachable.
                let end = pts[pts.len() - 1];
                let next = segs[k + 1..].iter().find(|(_, q)| {
                    let dt = q[0].time_ms - end.time_ms;
                    dt >= min_ms
                        && mps_to_knots(haversine_m(ll(end), ll(q[0])) / (dt as f64 / 1000.0))
                            <= cfg.max_implied_knots
                });
                // Only when no other segment of this MMSI was heard in between.
                if let Some((ni, q)) = next {
                    let t_on = q[0].time_ms;
                    let heard_between = segs.iter().any(|(_, r)| {
                        r.iter()
                            .any(|p| p.time_ms > end.time_ms && p.time_ms < t_on)
                    });
                    if !heard_between {
                        out.push(gap_event(
                            seg,
                            pts,
                            pts.len() - 1,
                            &segments[*ni],
                            q,
                            0,
                            cfg,
                            ctx,
                            &coverage,
                            &heard,
                            &params,
                        ));
                    }
                }
            }
            out
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn gap_event(
    seg_off: &Segment,
    pts_off: &[&TrackPoint],
    i_off: usize,
    seg_on: &Segment,
    pts_on: &[&TrackPoint],
    i_on: usize,
    cfg: &GapConfig,
    ctx: &Context,
    coverage: &Coverage,
    heard: &Heard,
    params: &BTreeMap<String, f64>,
) -> Event {
    let (off, on) = (pts_off[i_off], pts_on[i_on]);
    let hours = (on.time_ms - off.time_ms) as f64 / HOUR_MS;
    let dist = haversine_m(ll(off), ll(on));
    let before_ms = (cfg.hours_before * HOUR_MS) as i64;
    let n_before = pts_off[..=i_off]
        .iter()
        .rev()
        .take_while(|p| p.time_ms >= off.time_ms - before_ms)
        .count();
    let span_before = pts_off[..=i_off]
        .iter()
        .rev()
        .take_while(|p| p.time_ms >= off.time_ms - before_ms)
        .last()
        .map_or(0.0, |p| (off.time_ms - p.time_ms) as f64 / HOUR_MS);
    let n_after = pts_on[i_on..]
        .iter()
        .take_while(|p| p.time_ms <= on.time_ms + before_ms)
        .count();
    let covered = coverage.covered_hours(ll(off), ll(on), off.time_ms, on.time_ms);
    let shore_off = ctx.shore_distance_m(ll(off));
    let shore_on = ctx.shore_distance_m(ll(on));
    // The longest silence of the vessel in the window before: a receiver pattern (satellite
    // revisits) repeats, so a gap no longer than the ones before it is no evidence of intent.
    let prior_ms = (cfg.prior_window_hours * HOUR_MS) as i64;
    let longest_before_h = pts_off[..=i_off]
        .windows(2)
        .rev()
        .take_while(|w| w[1].time_ms >= off.time_ms - prior_ms)
        .map(|w| (w[1].time_ms - w[0].time_ms) as f64 / HOUR_MS)
        .fold(0.0, f64::max);
    let intentional = n_before as f64 >= cfg.min_positions_before
        && hours >= cfg.intentional_min_hours
        && hours > cfg.prior_silence_factor * longest_before_h
        && covered as f64 >= cfg.min_covered_hours
        && shore_off.is_none_or(|d| d >= cfg.min_offshore_m);
    let shared = heard.shared_silence(
        seg_off.mmsi,
        ll(off),
        ll(on),
        off.time_ms,
        on.time_ms,
        (cfg.shared_lookback_hours * HOUR_MS) as i64,
        cfg.shared_silent_share,
    );
    let shared_fraction = shared.silent as f64 / shared.neighbours.max(1) as f64;
    let receivers_down = shared.neighbours as f64 >= cfg.shared_min_neighbours
        && shared_fraction >= cfg.shared_min_fraction;
    let mut ev = new_event(
        EventKind::Gap,
        Some(match (intentional, receivers_down) {
            (true, false) => "intentional",
            (true, true) => "coverage",
            (false, _) => "poor_coverage",
        }),
        vec![seg_off.mmsi],
        if seg_off.id == seg_on.id {
            vec![seg_off.id.clone()]
        } else {
            vec![seg_off.id.clone(), seg_on.id.clone()]
        },
        off.time_ms,
        on.time_ms,
        ll(off),
        params.clone(),
    );
    let m = &mut ev.metrics;
    m.insert("duration_hours".into(), hours);
    m.insert("distance_m".into(), dist.round());
    m.insert(
        "implied_speed_knots".into(),
        mps_to_knots(dist / (hours * 3600.0).max(1.0)),
    );
    m.insert("off_lat".into(), off.lat);
    m.insert("off_lon".into(), off.lon);
    m.insert("on_lat".into(), on.lat);
    m.insert("on_lon".into(), on.lon);
    m.insert("positions_before".into(), n_before as f64);
    m.insert(
        "positions_per_hour_before".into(),
        n_before as f64 / span_before.max(1.0 / 60.0),
    );
    m.insert("positions_after".into(), n_after as f64);
    m.insert("covered_hours".into(), covered as f64);
    m.insert("longest_silence_before_hours".into(), longest_before_h);
    m.insert("shared_neighbours".into(), shared.neighbours as f64);
    m.insert("shared_silent_fraction".into(), shared_fraction);
    if let Some(d) = shore_off {
        m.insert("off_shore_m_approx".into(), d.round());
    }
    if let Some(d) = shore_on {
        m.insert("on_shore_m_approx".into(), d.round());
    }
    for (name, p) in [("off", ll(off)), ("on", ll(on))] {
        if let Some(d) = ctx.dprk_zone_distance_m(p) {
            ev.metrics.insert(format!("{name}_dprk_zone_m"), d.round());
        }
        if let Some((port, d)) = ctx.ports.nearest_in(p, "KP") {
            ev.metrics.insert(format!("{name}_dprk_port_m"), d.round());
            ev.attributes
                .insert(format!("{name}_dprk_port"), port.name.clone());
        }
    }
    ev.evidence = evidence(seg_off.mmsi, [off, on].into_iter(), 2);
    ctx.annotate(&mut ev);
    ev
}

/// Finds pairs of gaps of two different vessels that start near each other at about the same
/// time and end near each other at about the same time.
pub fn detect_dark_rendezvous(
    gaps: &[Event],
    cfg: &super::EncounterConfig,
    ctx: &Context,
) -> Vec<Event> {
    let min_ms = (cfg.rendezvous_min_gap_hours * HOUR_MS) as i64;
    let dt_ms = (cfg.rendezvous_max_time_diff_hours * HOUR_MS) as i64;
    let pos = |e: &Event, w: &str| {
        LonLat::new(
            e.metrics.get(&format!("{w}_lon")).copied().unwrap_or(e.lon),
            e.metrics.get(&format!("{w}_lat")).copied().unwrap_or(e.lat),
        )
    };
    let mut g: Vec<&Event> = gaps
        .iter()
        .filter(|e| {
            e.kind == EventKind::Gap
                && e.end_ms - e.start_ms >= min_ms
                && (cfg.rendezvous_intentional_only < 0.5
                    || e.grade.as_deref() == Some("intentional"))
        })
        .collect();
    let min_overlap = (cfg.rendezvous_min_overlap_hours * HOUR_MS) as i64;
    let max_mps = cfg.rendezvous_max_knots * 1852.0 / 3600.0;
    // Could both have gone to one meeting point and on to where they reappeared, in time?
    let can_meet = |a: &Event, b: &Event| {
        let pts = [pos(a, "off"), pos(a, "on"), pos(b, "off"), pos(b, "on")];
        let m = LonLat::new(
            pts.iter().map(|p| p.lon).sum::<f64>() / 4.0,
            pts.iter().map(|p| p.lat).sum::<f64>() / 4.0,
        );
        [a, b].iter().all(|e| {
            let d = haversine_m(pos(e, "off"), m) + haversine_m(m, pos(e, "on"));
            d <= max_mps * (e.end_ms - e.start_ms) as f64 / 1000.0
        })
    };
    g.sort_by_key(|e| e.start_ms);
    let params = cfg.params();
    // Candidate partners of each gap.
    let mut partners: Vec<Vec<usize>> = vec![Vec::new(); g.len()];
    for (i, a) in g.iter().enumerate() {
        for (j, b) in g.iter().enumerate().skip(i + 1) {
            if b.start_ms - a.start_ms > dt_ms {
                break;
            }
            if a.vessels.first() == b.vessels.first() || (a.end_ms - b.end_ms).abs() > dt_ms {
                continue;
            }
            let d_off = haversine_m(pos(a, "off"), pos(b, "off"));
            let d_on = haversine_m(pos(a, "on"), pos(b, "on"));
            let overlap = a.end_ms.min(b.end_ms) - a.start_ms.max(b.start_ms);
            if d_off <= cfg.rendezvous_max_distance_m
                && d_on <= cfg.rendezvous_max_distance_m
                && overlap >= min_overlap
                && can_meet(a, b)
            {
                partners[i].push(j);
                partners[j].push(i);
            }
        }
    }
    let mut out = Vec::new();
    for (i, &a) in g.iter().enumerate() {
        for &j in &partners[i] {
            // A place where many vessels fall silent together is a berth or a base (vessels
            // moored overnight), not a meeting: only exclusive pairs are reported.
            if j < i || partners[i].len() > 1 || partners[j].len() > 1 {
                continue;
            }
            let b = g[j];
            let d_off = haversine_m(pos(a, "off"), pos(b, "off"));
            let d_on = haversine_m(pos(a, "on"), pos(b, "on"));
            let place = LonLat::new(
                (pos(a, "off").lon + pos(a, "on").lon + pos(b, "off").lon + pos(b, "on").lon) / 4.0,
                (pos(a, "off").lat + pos(a, "on").lat + pos(b, "off").lat + pos(b, "on").lat) / 4.0,
            );
            if ctx.ports.within(place, cfg.min_port_distance_m).is_some()
                || ctx.land_mask.is_inland(place)
            {
                continue;
            }
            let (x, y) = if a.vessels[0] <= b.vessels[0] {
                (a, b)
            } else {
                (b, a)
            };
            let start = x.start_ms.max(y.start_ms);
            let end = x.end_ms.min(y.end_ms).max(start);
            let mid = place;
            let mut ev = new_event(
                EventKind::DarkRendezvous,
                None,
                vec![x.vessels[0], y.vessels[0]],
                vec![
                    x.segments.first().cloned().unwrap_or_default(),
                    y.segments.first().cloned().unwrap_or_default(),
                ],
                start,
                end,
                mid,
                params.clone(),
            );
            ev.metrics.insert("off_distance_m".into(), d_off.round());
            ev.metrics.insert("on_distance_m".into(), d_on.round());
            ev.metrics
                .insert("dark_overlap_hours".into(), (end - start) as f64 / HOUR_MS);
            ev.attributes.insert("gap_1".into(), x.id.clone());
            ev.attributes.insert("gap_2".into(), y.id.clone());
            ev.evidence = x
                .evidence
                .iter()
                .chain(y.evidence.iter())
                .cloned()
                .collect();
            ctx.annotate(&mut ev);
            out.push(ev);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testutil::*;
    use crate::detect::EncounterConfig;
    use spatial::destination;

    fn ctx() -> Context {
        Context::default_region()
    }

    /// A busy neighbour that keeps reporting near `at` the whole time (coverage).
    fn neighbour(mmsi: u32, at: LonLat, minutes: i64) -> Segment {
        seg(
            mmsi,
            drift(destination(at, 45.0, 8_000.0), 0.5, T0, minutes, 10),
        )
    }

    #[test]
    fn silence_in_good_coverage_is_intentional() {
        let at = LonLat::new(123.8, 37.2);
        let mut pts = sail(at, 90.0, 10.0, T0, 12 * 60, 2);
        let off = pts.last().unwrap().clone();
        let on_at = destination(LonLat::new(off.lon, off.lat), 90.0, 40_000.0);
        pts.extend(sail(on_at, 90.0, 10.0, off.time_ms + 10 * 60 * MIN, 120, 2));
        let segs = vec![
            seg(7, pts),
            neighbour(8, LonLat::new(off.lon, off.lat), 26 * 60),
        ];
        let ev = detect_gaps(&segs, &GapConfig::default(), &ctx());
        assert_eq!(ev.len(), 1, "{ev:#?}");
        let e = &ev[0];
        assert_eq!(e.vessels, vec![7]);
        assert_eq!(e.grade.as_deref(), Some("intentional"));
        assert!((e.metrics["duration_hours"] - 10.0).abs() < 0.01);
        assert!((e.metrics["distance_m"] - 40_000.0).abs() < 100.0);
        assert!(e.metrics["positions_before"] >= 14.0);
        assert!(e.metrics.contains_key("off_dprk_port_m"));
    }

    #[test]
    fn silence_shared_by_the_neighbours_is_coverage_alone_is_intentional() {
        let at = LonLat::new(123.8, 37.2);
        let mut pts = sail(at, 90.0, 10.0, T0, 12 * 60, 2);
        let off = pts.last().unwrap().clone();
        let off_at = LonLat::new(off.lon, off.lat);
        let t_on = off.time_ms + 11 * 60 * MIN;
        pts.extend(sail(
            destination(off_at, 90.0, 30_000.0),
            90.0,
            10.0,
            t_on,
            120,
            2,
        ));
        // Neighbours 5-20 km away, heard before and after; `silent` ones from the same moment.
        let neighbours = |silent: bool| -> Vec<Segment> {
            (0..4u32)
                .map(|k| {
                    let p = destination(off_at, 90.0 * k as f64, 5_000.0 + 5_000.0 * k as f64);
                    let mut q = drift(p, 0.5, T0, 12 * 60, 5);
                    let resume = if silent {
                        t_on - 30 * MIN
                    } else {
                        off.time_ms + 5 * MIN
                    };
                    q.extend(drift(p, 0.5, resume, (t_on - resume) / MIN + 180, 5));
                    seg(100 + k, q)
                })
                .collect()
        };
        let grade_of_7 = |segs: Vec<Segment>| {
            let ev = detect_gaps(&segs, &GapConfig::default(), &ctx());
            let g: Vec<&Event> = ev.iter().filter(|e| e.vessels == vec![7]).collect();
            assert_eq!(g.len(), 1, "{ev:#?}");
            g[0].clone()
        };
        let mut together = neighbours(true);
        together.push(seg(7, pts.clone()));
        let e = grade_of_7(together);
        assert_eq!(e.grade.as_deref(), Some("coverage"), "{e:#?}");
        assert_eq!(e.metrics["shared_neighbours"], 4.0);
        assert_eq!(e.metrics["shared_silent_fraction"], 1.0);
        let mut alone = neighbours(false);
        alone.push(seg(7, pts.clone()));
        let e = grade_of_7(alone);
        assert_eq!(e.grade.as_deref(), Some("intentional"), "{e:#?}");
        assert_eq!(e.metrics["shared_silent_fraction"], 0.0);
        // With one partner only (a dark transfer), too few neighbours to blame the receivers.
        let mut pair = neighbours(true);
        pair.truncate(1);
        pair.push(seg(7, pts));
        assert_eq!(grade_of_7(pair).grade.as_deref(), Some("intentional"));
    }

    #[test]
    fn a_silence_no_longer_than_earlier_ones_is_poor_coverage() {
        // Satellite-like reception: bursts every 11 h, then one 10.5 h silence.
        let at = LonLat::new(123.8, 37.2);
        let mut pts = Vec::new();
        for k in 0..4 {
            pts.extend(drift(at, 0.5, T0 + k * 11 * 60 * MIN, 20, 1));
        }
        pts.extend(drift(at, 0.5, T0 + (3 * 11 * 60 + 20 + 630) * MIN, 20, 1));
        let ev = detect_gaps(&[seg(7, pts)], &GapConfig::default(), &ctx());
        assert_eq!(ev.len(), 4, "{ev:#?}");
        // The first has no earlier silence to compare with; the repeats are recognised.
        assert!(
            ev[1..]
                .iter()
                .all(|e| e.grade.as_deref() == Some("poor_coverage")),
            "{ev:#?}"
        );
        // The same silence after continuous reception is intentional.
        let mut pts = sail(at, 90.0, 10.0, T0, 12 * 60, 2);
        let t = pts.last().unwrap().time_ms;
        pts.extend(sail(
            LonLat::new(124.5, 37.2),
            90.0,
            10.0,
            t + 690 * MIN,
            60,
            2,
        ));
        let ev = detect_gaps(&[seg(7, pts)], &GapConfig::default(), &ctx());
        assert_eq!(ev[0].grade.as_deref(), Some("intentional"), "{ev:#?}");
    }

    #[test]
    fn silence_where_nobody_is_heard_is_poor_coverage() {
        let at = LonLat::new(123.8, 37.2);
        let mut pts = sail(at, 90.0, 10.0, T0, 12 * 60, 2);
        let off = pts.last().unwrap().clone();
        pts.extend(sail(
            LonLat::new(off.lon + 0.3, off.lat),
            90.0,
            10.0,
            off.time_ms + 8 * 60 * MIN,
            60,
            2,
        ));
        let ev = detect_gaps(&[seg(7, pts)], &GapConfig::default(), &ctx());
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].grade.as_deref(), Some("poor_coverage"));
    }

    #[test]
    fn gaps_between_segments_count_but_short_silences_do_not() {
        let at = LonLat::new(123.8, 37.2);
        let a = sail(at, 90.0, 10.0, T0, 120, 2);
        let b = sail(
            destination(at, 90.0, 60_000.0),
            90.0,
            10.0,
            T0 + 30 * 60 * MIN,
            60,
            2,
        );
        let short = sail(at, 0.0, 10.0, T0, 600, 60 * 5);
        let ev = detect_gaps(
            &[seg(7, a), seg(7, b), seg(9, short)],
            &GapConfig::default(),
            &ctx(),
        );
        assert_eq!(ev.len(), 1, "{ev:#?}");
        assert_eq!(ev[0].segments.len(), 2);
    }

    #[test]
    fn two_ships_dark_together_are_a_dark_rendezvous() {
        let at = LonLat::new(123.8, 37.2);
        let mk = |mmsi: u32, off_m: f64, delay: i64| {
            let mut p = drift(destination(at, 0.0, off_m), 1.0, T0, 240, 2);
            p.extend(drift(
                destination(at, 0.0, off_m + 300.0),
                1.0,
                T0 + (240 + 720 + delay) * MIN,
                120,
                2,
            ));
            seg(mmsi, p)
        };
        let segs = vec![mk(1, 0.0, 0), mk(2, 400.0, 30)];
        let gaps = detect_gaps(&segs, &GapConfig::default(), &ctx());
        assert_eq!(gaps.len(), 2);
        let r = detect_dark_rendezvous(&gaps, &EncounterConfig::default(), &ctx());
        assert_eq!(r.len(), 1, "{r:#?}");
        assert_eq!(r[0].vessels, vec![1, 2]);
        // Far apart: no rendezvous.
        let segs = vec![mk(1, 0.0, 0), mk(2, 150_000.0, 0)];
        let gaps = detect_gaps(&segs, &GapConfig::default(), &ctx());
        assert!(detect_dark_rendezvous(&gaps, &EncounterConfig::default(), &ctx()).is_empty());
    }
}
