//! Encounters: two vessels close together and slow, away from port (candidate STS transfers).
//!
//! Method (GFW pipe-encounters, reference section 3.1): every segment is resampled on a 10-min
//! grid with interpolation across fixes at most 1 h apart; the resampled points (of vessels below
//! `max_slot_knots`, 3 kn, so a convoy's transit is not mixed into a stop) are sorted by
//! (slot, grid row, grid column) with grid cells at least as large as the distance threshold, so
//! the neighbours of a point are found by binary search in 9 cells of its own slot — O(n log n)
//! in resampled points, never all pairs. Runs of slots in which a pair stays within 500 m form
//! raw encounters; runs of the same pair less than 4 h apart are merged; merged encounters of at
//! least 2 h with a median speed under 2 kn and at least 10 km from every port or anchorage are
//! reported. The strict grade `sts` needs both vessels' median speed < 1 kn and a median distance
//! ≤ 200 m; the others are graded `encounter`.

use super::resample::{resample_segment, Resampled};
use super::{evidence, median, new_event, usable_points, Context, HOUR_MS};
use crate::event::{Event, EventKind};
use crate::tracks::Segment;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use spatial::{haversine_m, LonLat};
use std::collections::BTreeMap;

/// Encounter thresholds (also used by the dark-rendezvous detector).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EncounterConfig {
    /// Resampling increment, minutes.
    pub resample_minutes: f64,
    /// Longest fix gap interpolated across, hours.
    pub max_interp_gap_hours: f64,
    /// Grid cell size of the neighbour index, metres (raised to the distance threshold if smaller).
    pub cell_m: f64,
    /// Largest distance between the two vessels, metres.
    pub max_distance_m: f64,
    /// A slot counts towards an encounter only when both vessels are below this speed, knots:
    /// two ships sailing in convoy and then stopping together make a slow encounter, not one
    /// long run whose median speed hides the stop.
    pub max_slot_knots: f64,
    /// Slots a pair may miss inside one raw run (message loss, interpolation limits).
    pub max_missing_slots: f64,
    /// Shortest raw run kept before merging, hours.
    pub min_raw_hours: f64,
    /// Raw encounters of a pair closer in time than this are merged, hours.
    pub merge_gap_hours: f64,
    /// Shortest merged encounter, hours.
    pub min_hours: f64,
    /// Largest median speed (both vessels' samples), knots.
    pub max_median_knots: f64,
    /// Smallest distance of the encounter's mean position from any port or anchorage, metres.
    pub min_port_distance_m: f64,
    /// Strict `sts` grade: each vessel's median speed below this, knots.
    pub sts_max_knots: f64,
    /// Strict `sts` grade: median distance at most this, metres.
    pub sts_max_distance_m: f64,
    /// Dark rendezvous: shortest gap of each vessel, hours.
    pub rendezvous_min_gap_hours: f64,
    /// Dark rendezvous: largest distance between the two vessels' off (and on) positions, metres.
    pub rendezvous_max_distance_m: f64,
    /// Dark rendezvous: largest difference between the off (and on) times, hours.
    pub rendezvous_max_time_diff_hours: f64,
    /// Dark rendezvous: shortest time both vessels were dark together, hours.
    pub rendezvous_min_overlap_hours: f64,
    /// Dark rendezvous: speed at which each vessel must be able to reach the meeting point (the
    /// centroid of the four off/on positions) and go on to its on position within its gap, knots.
    pub rendezvous_max_knots: f64,
    /// Dark rendezvous: 1 to consider only gaps graded `intentional` (coverage gaps of a whole
    /// region overlap by construction), 0 for all gaps.
    pub rendezvous_intentional_only: f64,
    /// Evidence points kept per vessel.
    pub max_evidence_per_vessel: f64,
}

impl Default for EncounterConfig {
    fn default() -> Self {
        Self {
            resample_minutes: 10.0,
            max_interp_gap_hours: 1.0,
            cell_m: 1_000.0,
            max_distance_m: 500.0,
            max_slot_knots: 3.0,
            max_missing_slots: 1.0,
            min_raw_hours: 1.0,
            merge_gap_hours: 4.0,
            min_hours: 2.0,
            max_median_knots: 2.0,
            min_port_distance_m: 10_000.0,
            sts_max_knots: 1.0,
            sts_max_distance_m: 200.0,
            rendezvous_min_gap_hours: 3.0,
            rendezvous_max_distance_m: 100_000.0,
            rendezvous_max_time_diff_hours: 6.0,
            rendezvous_min_overlap_hours: 2.0,
            rendezvous_max_knots: 15.0,
            rendezvous_intentional_only: 1.0,
            max_evidence_per_vessel: 24.0,
        }
    }
}

impl EncounterConfig {
    /// The thresholds as an event's `params`.
    pub fn params(&self) -> BTreeMap<String, f64> {
        let v = serde_json::to_value(self).unwrap_or_default();
        v.as_object()
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| v.as_f64().map(|x| (k.clone(), x)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One slot in which two segments were within the distance threshold.
#[derive(Debug, Clone, Copy)]
struct PairObs {
    a: u32,
    b: u32,
    slot_ms: i64,
    dist_m: f32,
    sog_a: f32,
    sog_b: f32,
    lat: f64,
    lon: f64,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct CellKey {
    slot_ms: i64,
    row: i32,
    col: i32,
}

fn row_of(lat: f64, cell_deg: f64) -> i32 {
    (lat / cell_deg).floor() as i32
}

fn col_of(lon: f64, row: i32, cell_deg: f64) -> i32 {
    // Columns are measured in metres along the row's centre latitude, so cells stay square.
    let lat_c = (row as f64 + 0.5) * cell_deg;
    let k = lat_c.to_radians().cos().abs().max(0.01);
    ((lon + 180.0) * k / cell_deg).floor() as i32
}

/// Finds all slot-pairs within `max_distance_m` through the sorted grid. Returns pair
/// observations with `a < b` (segment indices), skipping pairs of the same MMSI.
fn neighbour_pairs(
    segments: &[Segment],
    points: &mut [Resampled],
    cfg: &EncounterConfig,
) -> Vec<PairObs> {
    let cell_m = cfg.cell_m.max(cfg.max_distance_m).max(1.0);
    let cell_deg = cell_m / 111_195.0;
    let key = |r: &Resampled| {
        let row = row_of(r.lat, cell_deg);
        CellKey {
            slot_ms: r.slot_ms,
            row,
            col: col_of(r.lon, row, cell_deg),
        }
    };
    points.par_sort_unstable_by_key(|r| (key(r), r.seg));
    let keys: Vec<CellKey> = points.iter().map(key).collect();
    // Slot boundaries.
    let mut bounds = Vec::new();
    let mut s = 0;
    for i in 1..=points.len() {
        if i == points.len() || keys[i].slot_ms != keys[s].slot_ms {
            bounds.push((s, i));
            s = i;
        }
    }
    let pts: &[Resampled] = points;
    bounds
        .par_iter()
        .flat_map_iter(|&(lo, hi)| {
            let slot_keys = &keys[lo..hi];
            let slot_pts = &pts[lo..hi];
            let mut found = Vec::new();
            for (i, p) in slot_pts.iter().enumerate() {
                let row = slot_keys[i].row;
                for r in row - 1..=row + 1 {
                    let c = col_of(p.lon, r, cell_deg);
                    let from = CellKey {
                        slot_ms: p.slot_ms,
                        row: r,
                        col: c - 1,
                    };
                    let to = CellKey {
                        slot_ms: p.slot_ms,
                        row: r,
                        col: c + 1,
                    };
                    let start = slot_keys.partition_point(|k| *k < from);
                    for j in start..slot_keys.len() {
                        if slot_keys[j] > to {
                            break;
                        }
                        let q = &slot_pts[j];
                        if q.seg <= p.seg
                            || segments[q.seg as usize].mmsi == segments[p.seg as usize].mmsi
                        {
                            continue;
                        }
                        if f64::from(p.sog.max(q.sog)) >= cfg.max_slot_knots {
                            continue;
                        }
                        let d = haversine_m(LonLat::new(p.lon, p.lat), LonLat::new(q.lon, q.lat));
                        if d <= cfg.max_distance_m {
                            found.push(PairObs {
                                a: p.seg,
                                b: q.seg,
                                slot_ms: p.slot_ms,
                                dist_m: d as f32,
                                sog_a: p.sog,
                                sog_b: q.sog,
                                lat: (p.lat + q.lat) / 2.0,
                                lon: p.lon,
                            });
                        }
                    }
                }
            }
            found
        })
        .collect()
}

/// Resamples all segments (in parallel).
pub(crate) fn resample_all(segments: &[Segment], cfg: &EncounterConfig) -> Vec<Resampled> {
    let inc = (cfg.resample_minutes * 60_000.0).round() as i64;
    let gap = (cfg.max_interp_gap_hours * HOUR_MS).round() as i64;
    segments
        .par_iter()
        .enumerate()
        .fold(Vec::new, |mut acc, (i, s)| {
            resample_segment(i as u32, s, inc, gap, &mut acc);
            acc
        })
        .reduce(Vec::new, |mut a, mut b| {
            a.append(&mut b);
            a
        })
}

/// Detects encounters among `segments`.
pub fn detect_encounters(segments: &[Segment], cfg: &EncounterConfig, ctx: &Context) -> Vec<Event> {
    let mut points = resample_all(segments, cfg);
    let mut pairs = neighbour_pairs(segments, &mut points, cfg);
    drop(points);
    pairs.par_sort_unstable_by_key(|o| (o.a, o.b, o.slot_ms));
    let inc = (cfg.resample_minutes * 60_000.0).round() as i64;
    let max_step = inc * (1 + cfg.max_missing_slots.max(0.0) as i64);
    // Raw runs.
    let mut runs: Vec<&[PairObs]> = Vec::new();
    let mut s = 0;
    for i in 1..=pairs.len() {
        let split = i == pairs.len()
            || pairs[i].a != pairs[s].a
            || pairs[i].b != pairs[s].b
            || pairs[i].slot_ms - pairs[i - 1].slot_ms > max_step;
        if split {
            let run = &pairs[s..i];
            let hours = (run[run.len() - 1].slot_ms - run[0].slot_ms) as f64 / HOUR_MS;
            if hours >= cfg.min_raw_hours {
                runs.push(run);
            }
            s = i;
        }
    }
    // Merge runs of one pair less than merge_gap apart.
    let merge_ms = (cfg.merge_gap_hours * HOUR_MS) as i64;
    let mut merged: Vec<Vec<&[PairObs]>> = Vec::new();
    for run in runs {
        if let Some(last) = merged.last_mut() {
            let prev = last[last.len() - 1];
            if prev[0].a == run[0].a
                && prev[0].b == run[0].b
                && run[0].slot_ms - prev[prev.len() - 1].slot_ms < merge_ms
            {
                last.push(run);
                continue;
            }
        }
        merged.push(vec![run]);
    }
    let params = cfg.params();
    merged
        .par_iter()
        .filter_map(|group| build_event(segments, group, cfg, ctx, &params))
        .collect()
}

fn build_event(
    segments: &[Segment],
    group: &[&[PairObs]],
    cfg: &EncounterConfig,
    ctx: &Context,
    params: &BTreeMap<String, f64>,
) -> Option<Event> {
    let first = group.first()?.first()?;
    let last = group.last()?.last()?;
    let hours = (last.slot_ms - first.slot_ms) as f64 / HOUR_MS;
    if hours < cfg.min_hours {
        return None;
    }
    let obs: Vec<&PairObs> = group.iter().flat_map(|r| r.iter()).collect();
    let mut speeds: Vec<f64> = obs
        .iter()
        .flat_map(|o| [o.sog_a as f64, o.sog_b as f64])
        .collect();
    let median_speed = median(&mut speeds);
    if median_speed.is_nan() || median_speed >= cfg.max_median_knots {
        return None;
    }
    let lat = obs.iter().map(|o| o.lat).sum::<f64>() / obs.len() as f64;
    // Circular mean of longitude, so encounters across the antimeridian stay in place.
    let (sx, sy) = obs.iter().fold((0.0, 0.0), |(x, y), o| {
        (x + o.lon.to_radians().cos(), y + o.lon.to_radians().sin())
    });
    let lon = sy.atan2(sx).to_degrees();
    let pos = LonLat::new(lon, lat);
    // In port, at an anchorage, or on land (GFW drops distance_from_shore <= 0): not an encounter.
    if ctx.ports.within(pos, cfg.min_port_distance_m).is_some() || ctx.land_mask.is_inland(pos) {
        return None;
    }
    let mut med_a: Vec<f64> = obs.iter().map(|o| o.sog_a as f64).collect();
    let mut med_b: Vec<f64> = obs.iter().map(|o| o.sog_b as f64).collect();
    let mut dists: Vec<f64> = obs.iter().map(|o| o.dist_m as f64).collect();
    let (med_a, med_b) = (median(&mut med_a), median(&mut med_b));
    let min_dist = dists.iter().copied().fold(f64::INFINITY, f64::min);
    let med_dist = median(&mut dists);
    let sts = med_a < cfg.sts_max_knots
        && med_b < cfg.sts_max_knots
        && med_dist <= cfg.sts_max_distance_m;
    let (sa, sb) = (&segments[first.a as usize], &segments[first.b as usize]);
    // Subject first: the lower MMSI, so the pair has one id whichever segment came first.
    let (s1, s2, m1, m2) = if sa.mmsi <= sb.mmsi {
        (sa, sb, med_a, med_b)
    } else {
        (sb, sa, med_b, med_a)
    };
    let mut ev = new_event(
        EventKind::Encounter,
        Some(if sts { "sts" } else { "encounter" }),
        vec![s1.mmsi, s2.mmsi],
        vec![s1.id.clone(), s2.id.clone()],
        first.slot_ms,
        last.slot_ms,
        pos,
        params.clone(),
    );
    ev.metrics.insert("duration_hours".into(), hours);
    ev.metrics
        .insert("median_distance_m".into(), med_dist.round());
    ev.metrics.insert("min_distance_m".into(), min_dist.round());
    ev.metrics.insert("median_speed_knots".into(), median_speed);
    ev.metrics.insert("median_speed_knots_1".into(), m1);
    ev.metrics.insert("median_speed_knots_2".into(), m2);
    ev.metrics.insert("slots".into(), obs.len() as f64);
    ev.metrics.insert("raw_runs".into(), group.len() as f64);
    let max_ev = cfg.max_evidence_per_vessel.max(2.0) as usize;
    for s in [s1, s2] {
        let pts: Vec<_> = usable_points(s)
            .into_iter()
            .filter(|p| p.time_ms >= first.slot_ms && p.time_ms <= last.slot_ms)
            .collect();
        ev.evidence
            .extend(evidence(s.mmsi, pts.into_iter(), max_ev));
    }
    ctx.annotate(&mut ev);
    Some(ev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testutil::*;
    use spatial::destination;

    fn ctx() -> Context {
        Context::default_region()
    }

    /// Two ships meeting in the open Yellow Sea, far from any port.
    fn sts_pair(hours_alongside: i64, gap_m: f64, sog: f64) -> Vec<Segment> {
        let meet = LonLat::new(123.6, 36.6);
        let mut a = sail(
            destination(meet, 270.0, 10.0 * 1852.0),
            90.0,
            10.0,
            T0,
            60,
            2,
        );
        let t1 = T0 + 62 * MIN;
        a.extend(drift(meet, sog, t1, hours_alongside * 60, 3));
        let mut b = sail(
            destination(meet, 0.0, 12.0 * 1852.0),
            180.0,
            12.0,
            T0,
            60,
            2,
        );
        b.extend(drift(
            destination(meet, 90.0, gap_m),
            sog,
            t1,
            hours_alongside * 60,
            3,
        ));
        vec![seg(100, a), seg(200, b)]
    }

    #[test]
    fn alongside_for_five_hours_is_an_sts_encounter() {
        let segs = sts_pair(5, 100.0, 0.3);
        let ev = detect_encounters(&segs, &EncounterConfig::default(), &ctx());
        assert_eq!(ev.len(), 1, "{ev:#?}");
        let e = &ev[0];
        assert_eq!(e.vessels, vec![100, 200]);
        assert_eq!(e.grade.as_deref(), Some("sts"));
        let h = e.metrics["duration_hours"];
        assert!((4.5..=5.5).contains(&h), "{h}");
        assert!(e.params["max_distance_m"] == 500.0);
        assert!(!e.evidence.is_empty());
    }

    #[test]
    fn wider_and_faster_pairs_get_the_loose_grade() {
        let segs = sts_pair(4, 350.0, 1.5);
        let ev = detect_encounters(&segs, &EncounterConfig::default(), &ctx());
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].grade.as_deref(), Some("encounter"));
    }

    #[test]
    fn short_far_or_fast_pairs_are_not_encounters() {
        let cfg = EncounterConfig::default();
        assert!(detect_encounters(&sts_pair(1, 100.0, 0.3), &cfg, &ctx()).is_empty());
        assert!(detect_encounters(&sts_pair(5, 900.0, 0.3), &cfg, &ctx()).is_empty());
        assert!(detect_encounters(&sts_pair(5, 100.0, 3.0), &cfg, &ctx()).is_empty());
    }

    #[test]
    fn pairs_in_port_are_not_encounters() {
        // Bunkering alongside in Dalian.
        let dalian = LonLat::new(121.666667, 38.916667);
        let a = drift(dalian, 0.0, T0, 6 * 60, 3);
        let b = drift(destination(dalian, 0.0, 80.0), 0.0, T0, 6 * 60, 3);
        let segs = vec![seg(1, a), seg(2, b)];
        assert!(detect_encounters(&segs, &EncounterConfig::default(), &ctx()).is_empty());
    }

    #[test]
    fn a_short_separation_is_merged() {
        let meet = LonLat::new(123.6, 36.6);
        let mut a = drift(meet, 0.2, T0, 180, 3);
        a.extend(drift(meet, 0.2, T0 + 300 * MIN, 180, 3));
        let mut b = drift(destination(meet, 90.0, 100.0), 0.2, T0, 180, 3);
        // b wanders 5 km off for 2 h, then comes back.
        b.extend(drift(
            destination(meet, 90.0, 5_000.0),
            0.2,
            T0 + 183 * MIN,
            114,
            3,
        ));
        b.extend(drift(
            destination(meet, 90.0, 100.0),
            0.2,
            T0 + 300 * MIN,
            180,
            3,
        ));
        let ev = detect_encounters(&[seg(1, a), seg(2, b)], &EncounterConfig::default(), &ctx());
        assert_eq!(ev.len(), 1, "{ev:#?}");
        assert_eq!(ev[0].metrics["raw_runs"], 2.0);
    }

    #[test]
    fn neighbour_search_matches_brute_force() {
        // 300 vessels scattered in a 20 km box, 3 slots: grid search finds exactly the brute-force pairs.
        let mut segs = Vec::new();
        let base = LonLat::new(123.0, 36.0);
        for i in 0..300u32 {
            let b = (i * 7919 % 360) as f64;
            let d = (i * 104_729 % 20_000) as f64;
            let p = destination(base, b, d);
            segs.push(seg(1000 + i, drift(p, 0.1, T0, 20, 10)));
        }
        let cfg = EncounterConfig::default();
        let mut pts = resample_all(&segs, &cfg);
        let brute: usize = {
            let mut n = 0;
            for x in &pts {
                for y in &pts {
                    if x.slot_ms == y.slot_ms
                        && x.seg < y.seg
                        && haversine_m(LonLat::new(x.lon, x.lat), LonLat::new(y.lon, y.lat))
                            <= cfg.max_distance_m
                    {
                        n += 1;
                    }
                }
            }
            n
        };
        let found = neighbour_pairs(&segs, &mut pts, &cfg).len();
        assert!(brute > 10, "test needs some close pairs, got {brute}");
        assert_eq!(found, brute);
    }
}
