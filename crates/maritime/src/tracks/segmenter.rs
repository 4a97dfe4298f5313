//! The streaming segmenter: one MMSI's time-ordered positions in, closed segments out.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use store::PositionRow;

use super::matcher::{discrepancy, match_metric, norm, penalized_hours, Kin};
use super::{implied_knots, PointFlag, Segment, TrackConfig, TrackPoint};

/// One position in the compact form the segmenter consumes (40 bytes, no heap).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    /// UTC ms.
    pub time_ms: i64,
    /// MMSI.
    pub mmsi: u32,
    /// Latitude, degrees; NaN when not reported.
    pub lat: f64,
    /// Longitude, degrees; NaN when not reported.
    pub lon: f64,
    /// Speed over ground, knots.
    pub sog: Option<f32>,
    /// Course over ground, degrees.
    pub cog: Option<f32>,
    /// True heading, degrees.
    pub heading: Option<u16>,
    /// Navigational status.
    pub nav_status: Option<u8>,
    /// AIS message type (0 when unknown).
    pub msg_type: u8,
}

impl Fix {
    /// Converts a stored position; `None` when it has no time (bare NMEA), which cannot be placed
    /// on a track — callers count those.
    pub fn from_row(row: &PositionRow) -> Option<Fix> {
        Some(Fix {
            time_ms: row.time_ms?,
            mmsi: row.mmsi,
            lat: row.lat.unwrap_or(f64::NAN),
            lon: row.lon.unwrap_or(f64::NAN),
            sog: row
                .sog
                .filter(|s| s.is_finite() && *s >= 0.0 && *s < 102.25),
            cog: row.cog.filter(|c| c.is_finite() && *c >= 0.0 && *c < 360.0),
            heading: row.heading.filter(|h| *h < 360),
            nav_status: row.nav_status,
            msg_type: row.msg_type,
        })
    }

    fn point(&self, flag: Option<PointFlag>) -> TrackPoint {
        TrackPoint {
            time_ms: self.time_ms,
            lat: self.lat,
            lon: self.lon,
            sog: self.sog,
            cog: self.cog,
            heading: self.heading,
            nav_status: self.nav_status,
            flag,
        }
    }

    fn transponders(&self) -> u8 {
        match self.msg_type {
            1..=3 => CLASS_A,
            18 | 19 => CLASS_B,
            27 => CLASS_A | CLASS_B,
            // Unknown source (CSV, gpsd subsets): never penalise.
            _ => CLASS_A | CLASS_B | CLASS_UNKNOWN,
        }
    }
}

const CLASS_A: u8 = 1;
const CLASS_B: u8 = 2;
const CLASS_UNKNOWN: u8 = 4;

/// Counters of one segmentation run. Every input position is in exactly one of
/// `duplicates`, `no_time` or `placed`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentStats {
    /// Positions offered.
    pub positions: u64,
    /// Positions without a time, skipped (they cannot be ordered).
    pub no_time: u64,
    /// Repeats of a message already placed (several stations), dropped by rule.
    pub duplicates: u64,
    /// Positions placed in a segment (flagged or not).
    pub placed: u64,
    /// Positions earlier than the previous one of their MMSI (input not sorted; placed anyway).
    pub out_of_order: u64,
    /// Flagged [`PointFlag::ImpliedSpeed`].
    pub flagged_implied_speed: u64,
    /// Flagged [`PointFlag::NullIsland`].
    pub flagged_null_island: u64,
    /// Flagged [`PointFlag::NotAvailable`].
    pub flagged_not_available: u64,
    /// Flagged [`PointFlag::Outlier`].
    pub flagged_outlier: u64,
    /// Flagged [`PointFlag::CoarseLongRange`].
    pub flagged_coarse: u64,
    /// Segments emitted (including flagged-only buckets).
    pub segments: u64,
    /// MMSIs seen.
    pub mmsis: u64,
    /// Times two or more segments matched equally well (ambiguity closes them).
    pub ambiguous: u64,
}

impl SegmentStats {
    /// Adds another run's counters.
    pub fn add(&mut self, o: &SegmentStats) {
        self.positions += o.positions;
        self.no_time += o.no_time;
        self.duplicates += o.duplicates;
        self.placed += o.placed;
        self.out_of_order += o.out_of_order;
        self.flagged_implied_speed += o.flagged_implied_speed;
        self.flagged_null_island += o.flagged_null_island;
        self.flagged_not_available += o.flagged_not_available;
        self.flagged_outlier += o.flagged_outlier;
        self.flagged_coarse += o.flagged_coarse;
        self.segments += o.segments;
        self.mmsis += o.mmsis;
        self.ambiguous += o.ambiguous;
    }

    fn count_flag(&mut self, flag: PointFlag) {
        match flag {
            PointFlag::ImpliedSpeed => self.flagged_implied_speed += 1,
            PointFlag::NullIsland => self.flagged_null_island += 1,
            PointFlag::NotAvailable => self.flagged_not_available += 1,
            PointFlag::Outlier => self.flagged_outlier += 1,
            PointFlag::CoarseLongRange => self.flagged_coarse += 1,
        }
    }
}

/// A recent usable point of an open segment, as the matcher sees it.
#[derive(Debug, Clone, Copy)]
struct TailEntry {
    /// Index in the segment's points.
    idx: usize,
    kin: Kin,
    /// Score with which this point joined (0 for the first point).
    metric: f64,
    transponders: u8,
}

#[derive(Debug)]
struct OpenSeg {
    first_time_ms: i64,
    serial: u32,
    points: Vec<TrackPoint>,
    /// Recent usable points, oldest first.
    tail: Vec<TailEntry>,
    usable: usize,
    last_time_ms: i64,
    /// Opened by a position unreachable from the MMSI's active track: flagged if it stays alone.
    provisional_teleport: bool,
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    seg: usize,
    metric: f64,
    hours: f64,
    /// How many of the segment's newest tail entries to drop as outliers.
    drop: usize,
}

/// Key identifying a repeated report: position to 1/10000 minute, speed and course to 0.1.
type DupKey = (i64, i64, i32, i32);

/// Segments one MMSI at a time from time-ordered positions. Memory: its open segments.
#[derive(Debug)]
pub struct MmsiSegmenter<'c> {
    cfg: &'c TrackConfig,
    mmsi: u32,
    open: Vec<OpenSeg>,
    flagged: Vec<TrackPoint>,
    flagged_serial: u32,
    next_serial: u32,
    recent: Vec<(i64, DupKey, bool)>,
    recent_pos: usize,
    last_time_ms: Option<i64>,
    scratch: Vec<Candidate>,
    /// Counters so far.
    pub stats: SegmentStats,
}

/// Flagged points are emitted in buckets of at most this many, so a junk stream cannot grow memory.
const FLAGGED_BUCKET: usize = 4096;

impl<'c> MmsiSegmenter<'c> {
    /// A segmenter for `mmsi`.
    pub fn new(mmsi: u32, cfg: &'c TrackConfig) -> Self {
        Self {
            cfg,
            mmsi,
            open: Vec::new(),
            flagged: Vec::new(),
            flagged_serial: 0,
            next_serial: 0,
            recent: Vec::with_capacity(cfg.duplicate_memory.max(1)),
            recent_pos: 0,
            last_time_ms: None,
            scratch: Vec::new(),
            stats: SegmentStats {
                mmsis: 1,
                ..SegmentStats::default()
            },
        }
    }

    /// The MMSI this segmenter is for.
    pub fn mmsi(&self) -> u32 {
        self.mmsi
    }

    /// Takes the next position (time order); closed segments go to `sink`.
    pub fn push<F: FnMut(Segment)>(&mut self, fix: &Fix, sink: &mut F) {
        self.stats.positions += 1;
        if let Some(last) = self.last_time_ms {
            if fix.time_ms < last {
                self.stats.out_of_order += 1;
            }
        }
        self.last_time_ms = Some(
            self.last_time_ms
                .map_or(fix.time_ms, |l| l.max(fix.time_ms)),
        );

        if let Some(flag) = self.position_flag(fix) {
            self.place_flagged(fix.point(Some(flag)), sink);
            return;
        }
        if self.is_duplicate(fix) {
            self.stats.duplicates += 1;
            return;
        }
        self.stats.placed += 1;
        self.close_stale(fix.time_ms, sink);
        let kin = Kin::new(
            fix.time_ms,
            fix.lat,
            fix.lon,
            fix.sog,
            fix.cog,
            self.cfg.very_slow_knots,
        );
        let transponders = fix.transponders();
        if self.open.is_empty() {
            self.open_segment(fix, kin, transponders, false, sink);
            return;
        }
        let mut matches = std::mem::take(&mut self.scratch);
        matches.clear();
        for (i, seg) in self.open.iter().enumerate() {
            if let Some(c) = self.match_segment(i, seg, &kin, fix, transponders) {
                matches.push(c);
            }
        }
        self.place(&mut matches, fix, kin, transponders, sink);
        self.scratch = matches;
    }

    fn place<F: FnMut(Segment)>(
        &mut self,
        matches: &mut [Candidate],
        fix: &Fix,
        kin: Kin,
        transponders: u8,
        sink: &mut F,
    ) {
        match matches.len() {
            0 => {
                let teleport = self.unreachable_from_active(fix);
                self.open_segment(fix, kin, transponders, teleport, sink);
            }
            1 => self.join(matches[0], fix, kin, transponders),
            _ => {
                let t = self.cfg.short_seg_threshold;
                for c in matches.iter_mut() {
                    let a = self.open[c.seg].usable as f64 / t;
                    c.metric *= a / (1.0 + a * a).sqrt();
                }
                matches.sort_by(|x, y| y.metric.total_cmp(&x.metric));
                let best = matches[0];
                let close: Vec<usize> = matches[1..]
                    .iter()
                    .filter(|c| c.metric * self.cfg.ambiguity_factor >= best.metric)
                    .map(|c| c.seg)
                    .collect();
                // A coarse type 27 report is only flagged, so ambiguity does not matter for it.
                let coarse = fix.msg_type == 27 && best.hours < self.cfg.min_type27_hours;
                if close.is_empty() || coarse {
                    self.join(best, fix, kin, transponders);
                } else {
                    self.stats.ambiguous += 1;
                    let mut to_close: Vec<usize> = close;
                    to_close.push(best.seg);
                    to_close.sort_unstable_by(|a, b| b.cmp(a));
                    for i in to_close {
                        let seg = self.open.swap_remove(i);
                        self.emit(seg, sink);
                    }
                    self.open_segment(fix, kin, transponders, false, sink);
                }
            }
        }
    }

    /// Closes every open segment and the flagged bucket.
    pub fn finish<F: FnMut(Segment)>(mut self, sink: &mut F) -> SegmentStats {
        let mut open = std::mem::take(&mut self.open);
        open.sort_by_key(|s| (s.first_time_ms, s.serial));
        for seg in open {
            self.emit(seg, sink);
        }
        self.flush_flagged(sink);
        self.stats
    }

    fn position_flag(&self, fix: &Fix) -> Option<PointFlag> {
        let (lat, lon) = (fix.lat, fix.lon);
        if !lat.is_finite()
            || !lon.is_finite()
            || !(-90.0..=90.0).contains(&lat)
            || !(-180.0..=180.0).contains(&lon)
        {
            return Some(PointFlag::NotAvailable);
        }
        if lat.abs() <= self.cfg.null_island_deg && lon.abs() <= self.cfg.null_island_deg {
            return Some(PointFlag::NullIsland);
        }
        None
    }

    fn is_duplicate(&mut self, fix: &Fix) -> bool {
        let cap = self.cfg.duplicate_memory;
        if cap == 0 {
            return false;
        }
        let key: DupKey = (
            (fix.lat * 600_000.0).round() as i64,
            (fix.lon * 600_000.0).round() as i64,
            fix.sog.map_or(-1, |s| (s * 10.0).round() as i32),
            fix.cog.map_or(-1, |c| (c * 10.0).round() as i32),
        );
        let moving = fix.sog.is_some_and(|s| s > 0.0);
        let tol = self.cfg.duplicate_tolerance_ms;
        let dup = self
            .recent
            .iter()
            .any(|(t, k, _)| *k == key && (moving || (fix.time_ms - t).abs() <= tol));
        if dup {
            return true;
        }
        if self.recent.len() < cap {
            self.recent.push((fix.time_ms, key, moving));
        } else {
            self.recent[self.recent_pos] = (fix.time_ms, key, moving);
            self.recent_pos = (self.recent_pos + 1) % cap;
        }
        false
    }

    fn match_segment(
        &self,
        seg_index: usize,
        seg: &OpenSeg,
        kin: &Kin,
        fix: &Fix,
        transponders: u8,
    ) -> Option<Candidate> {
        let cfg = self.cfg;
        let n = seg.tail.len();
        let look = cfg.lookback.max(1).min(n);
        let seg_transponders = seg.tail[n - look..]
            .iter()
            .fold(0u8, |acc, e| acc | e.transponders);
        let transponder_match = seg_transponders & transponders != 0;
        let mut best: Option<Candidate> = None;
        let mut best_lb = 0.0;
        let mut newer_all_unreachable = true;
        for k in 0..look {
            let entry = &seg.tail[n - 1 - k];
            let freed = k == 1 && newer_all_unreachable;
            let existing = if k == 0 { 0.0 } else { seg.tail[n - k].metric };
            let hours = (fix.time_ms - entry.kin.time_ms).max(0) as f64 / 3_600_000.0;
            if hours > cfg.max_gap_hours {
                break;
            }
            let divisor = (k as f64 * cfg.lookback_factor).max(1.0);
            // The best possible score at this gap cannot beat the existing one: skip the maths.
            if k > 0 && !freed && 1.0 / norm(hours, cfg.buffer_hours) / divisor <= existing {
                continue;
            }
            if self.too_fast(&entry.kin, kin, &seg.points[entry.idx], fix) {
                continue;
            }
            newer_all_unreachable = false;
            let ph = penalized_hours(hours, cfg);
            let disc = discrepancy(&entry.kin, kin, ph, cfg.shape_factor);
            let mut metric = match_metric(disc, hours, cfg);
            if metric <= 0.0 {
                continue;
            }
            // The newest point is unreachable, so one of the two is wrong. The point before it may
            // replace it without beating its score, but only if it predicts the new position well
            // (discrepancy within `penalty_speed` knots over the padded hours, i.e. α ≤ 1).
            let existing = if freed && disc <= cfg.penalty_speed * norm(hours, cfg.buffer_hours) {
                0.0
            } else {
                existing
            };
            if !transponder_match {
                metric *= cfg.transponder_mismatch_weight;
            }
            let metric_lb = metric / divisor;
            if metric_lb <= existing {
                continue;
            }
            if metric_lb > best_lb {
                best_lb = metric_lb;
                best = Some(Candidate {
                    seg: seg_index,
                    metric,
                    hours,
                    drop: k,
                });
            }
        }
        best
    }

    fn join(&mut self, c: Candidate, fix: &Fix, kin: Kin, transponders: u8) {
        let coarse = fix.msg_type == 27 && c.hours < self.cfg.min_type27_hours;
        let seg = &mut self.open[c.seg];
        if coarse {
            seg.points.push(fix.point(Some(PointFlag::CoarseLongRange)));
            self.stats.flagged_coarse += 1;
            return;
        }
        for _ in 0..c.drop {
            if let Some(e) = seg.tail.pop() {
                seg.points[e.idx].flag = Some(PointFlag::Outlier);
                seg.usable -= 1;
                self.stats.flagged_outlier += 1;
            }
        }
        seg.provisional_teleport = false;
        seg.points.push(fix.point(None));
        seg.tail.push(TailEntry {
            idx: seg.points.len() - 1,
            kin,
            metric: c.metric,
            transponders,
        });
        if seg.tail.len() > 2 * self.cfg.lookback.max(1) {
            seg.tail.drain(..self.cfg.lookback.max(1));
        }
        seg.usable += 1;
        seg.last_time_ms = fix.time_ms;
    }

    /// True when going from `prev` to `fix` implies more than `max_implied_knots`. A flat-earth
    /// distance decides the clear cases cheaply; near the bound the haversine one decides, so the
    /// bound holds exactly as [`implied_knots`] measures it.
    fn too_fast(&self, a: &Kin, b: &Kin, prev: &TrackPoint, fix: &Fix) -> bool {
        let cfg = self.cfg;
        let hours = (b.time_ms - a.time_ms).abs() as f64 / 3_600_000.0;
        let dx =
            ((b.lon - a.lon + 180.0).rem_euclid(360.0) - 180.0) * 30.0 * (a.cos_lat + b.cos_lat);
        let dy = (b.lat - a.lat) * 60.0;
        let excess_nm = norm(dx, dy) - cfg.position_noise_m / spatial::METRES_PER_NM;
        let limit_nm = cfg.max_implied_knots * hours;
        if excess_nm <= 0.9 * limit_nm {
            return false;
        }
        if excess_nm >= 1.1 * limit_nm && hours > 0.0 {
            return true;
        }
        implied_knots(prev, &fix.point(None), cfg.position_noise_m) > cfg.max_implied_knots
    }

    /// True when the position could only come from the MMSI's currently active track by moving
    /// faster than `max_implied_knots`: a jump (spoofing, corrupted message) rather than a ship.
    fn unreachable_from_active(&self, fix: &Fix) -> bool {
        let window_ms = (self.cfg.teleport_window_hours * 3_600_000.0) as i64;
        let p = fix.point(None);
        let mut any_active = false;
        for seg in &self.open {
            if seg.usable < 2 || fix.time_ms - seg.last_time_ms > window_ms {
                continue;
            }
            let Some(last) = seg.tail.last() else {
                continue;
            };
            any_active = true;
            if implied_knots(&seg.points[last.idx], &p, self.cfg.position_noise_m)
                <= self.cfg.max_implied_knots
            {
                return false;
            }
        }
        any_active
    }

    fn open_segment<F: FnMut(Segment)>(
        &mut self,
        fix: &Fix,
        kin: Kin,
        transponders: u8,
        teleport: bool,
        sink: &mut F,
    ) {
        while self.open.len() >= self.cfg.max_open_segments.max(1) {
            let stalest = self
                .open
                .iter()
                .enumerate()
                .min_by_key(|(_, s)| s.last_time_ms)
                .map(|(i, _)| i);
            match stalest {
                Some(i) => {
                    let seg = self.open.swap_remove(i);
                    self.emit(seg, sink);
                }
                None => break,
            }
        }
        self.next_serial += 1;
        self.open.push(OpenSeg {
            first_time_ms: fix.time_ms,
            serial: self.next_serial,
            points: vec![fix.point(None)],
            tail: vec![TailEntry {
                idx: 0,
                kin,
                metric: 0.0,
                transponders,
            }],
            usable: 1,
            last_time_ms: fix.time_ms,
            provisional_teleport: teleport,
        });
    }

    fn close_stale<F: FnMut(Segment)>(&mut self, now_ms: i64, sink: &mut F) {
        let max_ms = (self.cfg.max_gap_hours * 3_600_000.0) as i64;
        let mut i = 0;
        while i < self.open.len() {
            if now_ms - self.open[i].last_time_ms > max_ms {
                let seg = self.open.swap_remove(i);
                self.emit(seg, sink);
            } else {
                i += 1;
            }
        }
    }

    fn emit<F: FnMut(Segment)>(&mut self, mut seg: OpenSeg, sink: &mut F) {
        if seg.provisional_teleport && seg.usable == 1 {
            if let Some(p) = seg.points.iter_mut().find(|p| p.flag.is_none()) {
                p.flag = Some(PointFlag::ImpliedSpeed);
                self.stats.flagged_implied_speed += 1;
            }
        }
        // Coarse type 27 reports were appended as they came; keep time order.
        if seg.points.windows(2).any(|w| w[1].time_ms < w[0].time_ms) {
            seg.points.sort_by_key(|p| p.time_ms);
        }
        self.stats.segments += 1;
        sink(Segment {
            id: format!("{}-{}-{}", self.mmsi, seg.first_time_ms, seg.serial),
            mmsi: self.mmsi,
            points: seg.points,
        });
    }

    fn place_flagged<F: FnMut(Segment)>(&mut self, p: TrackPoint, sink: &mut F) {
        if let Some(flag) = p.flag {
            self.stats.count_flag(flag);
        }
        self.stats.placed += 1;
        self.flagged.push(p);
        if self.flagged.len() >= FLAGGED_BUCKET {
            self.flush_flagged(sink);
        }
    }

    fn flush_flagged<F: FnMut(Segment)>(&mut self, sink: &mut F) {
        if self.flagged.is_empty() {
            return;
        }
        self.flagged_serial += 1;
        self.stats.segments += 1;
        sink(Segment {
            id: format!("{}-flagged-{}", self.mmsi, self.flagged_serial),
            mmsi: self.mmsi,
            points: std::mem::take(&mut self.flagged),
        });
    }
}

/// Segments positions sorted by (MMSI, time), streaming: one MMSI's open segments in memory.
pub fn segment_sorted<I, F>(fixes: I, cfg: &TrackConfig, mut sink: F) -> SegmentStats
where
    I: IntoIterator<Item = Fix>,
    F: FnMut(Segment),
{
    let mut stats = SegmentStats::default();
    let mut current: Option<MmsiSegmenter<'_>> = None;
    for fix in fixes {
        if current.as_ref().is_none_or(|s| s.mmsi() != fix.mmsi) {
            if let Some(done) = current.take() {
                stats.add(&done.finish(&mut sink));
            }
            current = Some(MmsiSegmenter::new(fix.mmsi, cfg));
        }
        if let Some(seg) = current.as_mut() {
            seg.push(&fix, &mut sink);
        }
    }
    if let Some(done) = current {
        stats.add(&done.finish(&mut sink));
    }
    stats
}

/// Segments an in-memory batch: sorts by (MMSI, time) keeping input order for ties, then runs
/// MMSIs in parallel on all cores. Segments come back ordered by MMSI, then start time.
pub fn segment_fixes(mut fixes: Vec<Fix>, cfg: &TrackConfig) -> (Vec<Segment>, SegmentStats) {
    fixes.par_sort_by_key(|f| (f.mmsi, f.time_ms));
    let mut runs: Vec<&[Fix]> = Vec::new();
    let mut rest = fixes.as_slice();
    while let Some(first) = rest.first() {
        let end = rest.partition_point(|f| f.mmsi == first.mmsi);
        let (run, tail) = rest.split_at(end);
        runs.push(run);
        rest = tail;
    }
    let parts: Vec<(Vec<Segment>, SegmentStats)> = runs
        .par_iter()
        .map(|run| {
            let mut out = Vec::new();
            let stats = segment_sorted(run.iter().copied(), cfg, |s| out.push(s));
            (out, stats)
        })
        .collect();
    let mut stats = SegmentStats::default();
    let mut segments = Vec::new();
    for (mut segs, st) in parts {
        stats.add(&st);
        segs.sort_by_key(|s| s.time_range().map_or(i64::MAX, |r| r.0));
        segments.append(&mut segs);
    }
    (segments, stats)
}

/// Segments stored position rows (see [`segment_fixes`]); rows without time are counted in
/// `no_time` and skipped.
pub fn segment_rows(rows: &[PositionRow], cfg: &TrackConfig) -> (Vec<Segment>, SegmentStats) {
    let fixes: Vec<Fix> = rows.iter().filter_map(Fix::from_row).collect();
    let no_time = (rows.len() - fixes.len()) as u64;
    let (segments, mut stats) = segment_fixes(fixes, cfg);
    stats.no_time += no_time;
    stats.positions += no_time;
    (segments, stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(t_min: i64, lat: f64, lon: f64, sog: f32, cog: f32) -> Fix {
        Fix {
            time_ms: t_min * 60_000,
            mmsi: 416_000_000,
            lat,
            lon,
            sog: Some(sog),
            cog: Some(cog),
            heading: None,
            nav_status: None,
            msg_type: 1,
        }
    }

    fn run(fixes: Vec<Fix>) -> (Vec<Segment>, SegmentStats) {
        segment_fixes(fixes, &TrackConfig::default())
    }

    /// A ship at 12 kn due north from (lat0, lon0).
    fn northbound(lat0: f64, lon0: f64, minutes: std::ops::Range<i64>) -> Vec<Fix> {
        minutes
            .map(|m| fix(m, lat0 + 12.0 / 60.0 * m as f64 / 60.0, lon0, 12.0, 0.0))
            .collect()
    }

    #[test]
    fn one_ship_is_one_segment() {
        let (segs, stats) = run(northbound(10.0, 120.0, 0..120));
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].points.len(), 120);
        assert_eq!(stats.placed, 120);
        assert!(segs[0].points.iter().all(|p| p.flag.is_none()));
    }

    #[test]
    fn two_ships_sharing_an_mmsi_become_two_segments() {
        let mut fixes = northbound(10.0, 120.0, 0..120);
        fixes.extend(northbound(11.0, 121.0, 0..120).into_iter().map(|mut f| {
            f.time_ms += 30_000;
            f
        }));
        let (segs, _) = run(fixes);
        let real: Vec<_> = segs.iter().filter(|s| s.points.len() > 5).collect();
        assert_eq!(
            real.len(),
            2,
            "{:?}",
            segs.iter().map(|s| s.points.len()).collect::<Vec<_>>()
        );
        for s in real {
            let lon0 = s.points[0].lon;
            assert!(
                s.points.iter().all(|p| p.lon == lon0),
                "mixed ships in {}",
                s.id
            );
        }
    }

    #[test]
    fn gap_over_max_hours_splits() {
        let mut fixes = northbound(10.0, 120.0, 0..10);
        fixes.extend(northbound(10.0, 120.0, 0..10).into_iter().map(|mut f| {
            f.time_ms += 25 * 3_600_000;
            f.sog = Some(0.0);
            f
        }));
        let (segs, _) = run(fixes);
        assert_eq!(segs.len(), 2);
    }

    #[test]
    fn duplicates_are_dropped_and_counted() {
        let mut fixes = northbound(10.0, 120.0, 0..10);
        let copy = fixes[3];
        fixes.push(copy);
        fixes.push(Fix {
            time_ms: copy.time_ms + 2_000,
            ..copy
        });
        let (segs, stats) = run(fixes);
        assert_eq!(stats.duplicates, 2);
        assert_eq!(segs.iter().map(|s| s.points.len()).sum::<usize>(), 10);
        assert_eq!(stats.positions, 12);
    }

    #[test]
    fn flag_not_available() {
        let mut fixes = northbound(10.0, 120.0, 0..10);
        fixes.push(fix(4, 91.0, 181.0, 12.0, 0.0));
        fixes.push(fix(5, f64::NAN, f64::NAN, 12.0, 0.0));
        let (segs, stats) = run(fixes);
        assert_eq!(stats.flagged_not_available, 2);
        let bucket = segs
            .iter()
            .find(|s| s.id.contains("flagged"))
            .expect("bucket");
        assert!(bucket
            .points
            .iter()
            .all(|p| p.flag == Some(PointFlag::NotAvailable)));
        assert!(bucket.is_flagged_only());
    }

    #[test]
    fn flag_null_island() {
        let mut fixes = northbound(10.0, 120.0, 0..10);
        fixes.push(fix(4, 0.0, 0.0, 0.0, 0.0));
        let (segs, stats) = run(fixes);
        assert_eq!(stats.flagged_null_island, 1);
        assert!(segs
            .iter()
            .flat_map(|s| &s.points)
            .any(|p| p.flag == Some(PointFlag::NullIsland)));
    }

    #[test]
    fn flag_implied_speed_for_lone_jump() {
        let mut fixes = northbound(10.0, 120.0, 0..60);
        // One report 3 degrees away in the middle of the track: 180 nm in a minute.
        fixes.push(Fix {
            time_ms: 30 * 60_000 + 10_000,
            ..fix(30, 13.0, 120.0, 12.0, 0.0)
        });
        let (segs, stats) = run(fixes);
        assert_eq!(stats.flagged_implied_speed, 1, "{stats:?}");
        let main = segs.iter().max_by_key(|s| s.points.len()).expect("main");
        assert_eq!(main.points.len(), 60);
    }

    #[test]
    fn flag_outlier_by_lookback() {
        // Reports every 5 minutes at 12 kn due north; at minute 33 one report 2 nm east of the line
        // (reachable from minute 30 at 35 kn, so it joins), then the track goes on: the next report
        // fits the point before the outlier far better, so the look-back drops it.
        let mut fixes: Vec<Fix> = northbound(10.0, 120.0, 0..90)
            .into_iter()
            .filter(|f| (f.time_ms / 60_000) % 5 == 0)
            .collect();
        let off_lon = 120.0 + 2.0 / (60.0 * 10.0f64.to_radians().cos());
        fixes.push(fix(
            33,
            10.0 + 12.0 / 60.0 * 33.0 / 60.0,
            off_lon,
            12.0,
            0.0,
        ));
        let (segs, stats) = run(fixes);
        assert_eq!(stats.flagged_outlier, 1, "{stats:?}");
        assert_eq!(segs.len(), 1);
        let off = segs[0]
            .points
            .iter()
            .find(|p| p.lon == off_lon)
            .expect("kept, not deleted");
        assert_eq!(off.flag, Some(PointFlag::Outlier));
        assert_eq!(segs[0].usable_points().count(), 18);
    }

    #[test]
    fn flag_coarse_type27() {
        let mut fixes = northbound(10.0, 120.0, 0..60);
        let mut f27 = fix(30, 10.1005, 120.0, 12.0, 0.0);
        f27.time_ms += 5_000;
        f27.msg_type = 27;
        fixes.push(f27);
        let (_, stats) = run(fixes);
        assert_eq!(stats.flagged_coarse, 1);
    }
}
