//! Agreement with a reference segmentation (GFW's `expected` labels): pairwise precision/recall
//! of "these two positions are in the same segment".

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{segment_fixes, Fix, SegmentStats, TrackConfig};

/// Pair counts of one comparison. Precision = `same_both / same_ours`, recall =
/// `same_both / same_reference`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairCounts {
    /// Labelled positions compared.
    pub positions: u64,
    /// Pairs in one segment in both segmentations.
    pub same_both: u64,
    /// Pairs in one of our segments.
    pub same_ours: u64,
    /// Pairs in one reference segment.
    pub same_reference: u64,
    /// Our segments among the compared positions (flagged points count as their own).
    pub our_segments: u64,
    /// Reference segments among the compared positions.
    pub reference_segments: u64,
}

impl PairCounts {
    /// Adds another comparison's counts.
    pub fn add(&mut self, o: &PairCounts) {
        self.positions += o.positions;
        self.same_both += o.same_both;
        self.same_ours += o.same_ours;
        self.same_reference += o.same_reference;
        self.our_segments += o.our_segments;
        self.reference_segments += o.reference_segments;
    }

    /// Share of our same-segment pairs that the reference agrees with (1 when there are none).
    pub fn precision(&self) -> f64 {
        ratio(self.same_both, self.same_ours)
    }

    /// Share of the reference's same-segment pairs that we also put together (1 when none).
    pub fn recall(&self) -> f64 {
        ratio(self.same_both, self.same_reference)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Our segment for every input position: `Some(id)` when placed in a usable segment (a dropped
/// duplicate gets the segment of the position it repeats), `None` when flagged.
pub fn assign_segments(fixes: &[Fix], cfg: &TrackConfig) -> (Vec<Option<String>>, SegmentStats) {
    let (segments, stats) = segment_fixes(fixes.to_vec(), cfg);
    let key = |mmsi: u32, t: i64, lat: f64, lon: f64| (mmsi, t, lat.to_bits(), lon.to_bits());
    // A dropped duplicate repeats a placed report with the same rounded position, speed and
    // course (the segmenter's duplicate key); it belongs where that report went.
    let dup_key = |mmsi: u32, lat: f64, lon: f64, sog: Option<f32>, cog: Option<f32>| {
        (
            mmsi,
            (lat * 600_000.0).round() as i64,
            (lon * 600_000.0).round() as i64,
            sog.map_or(-1, |s| (s * 10.0).round() as i32),
            cog.map_or(-1, |c| (c * 10.0).round() as i32),
        )
    };
    let mut placed: HashMap<(u32, i64, u64, u64), Option<&str>> = HashMap::new();
    let mut by_dup_key: HashMap<(u32, i64, i64, i32, i32), &str> = HashMap::new();
    for s in &segments {
        for p in &s.points {
            let id = if p.flag.is_some() {
                None
            } else {
                Some(s.id.as_str())
            };
            placed
                .entry(key(s.mmsi, p.time_ms, p.lat, p.lon))
                .or_insert(id);
            if let Some(id) = id {
                by_dup_key.insert(dup_key(s.mmsi, p.lat, p.lon, p.sog, p.cog), id);
            }
        }
    }
    let out = fixes
        .iter()
        .map(|f| {
            let id = match placed.get(&key(f.mmsi, f.time_ms, f.lat, f.lon)) {
                Some(id) => *id,
                None => by_dup_key
                    .get(&dup_key(f.mmsi, f.lat, f.lon, f.sog, f.cog))
                    .copied(),
            };
            id.map(str::to_string)
        })
        .collect();
    (out, stats)
}

/// Compares our segmentation of `fixes` with reference labels (same length; `None` labels are
/// left out, as GFW leaves some positions unassigned). Our flagged positions count as singletons.
pub fn compare_with_reference(ours: &[Option<String>], reference: &[Option<String>]) -> PairCounts {
    let mut cells: HashMap<(Option<&str>, usize, &str), u64> = HashMap::new();
    let mut our_sizes: HashMap<(Option<&str>, usize), u64> = HashMap::new();
    let mut ref_sizes: HashMap<&str, u64> = HashMap::new();
    let mut counts = PairCounts::default();
    for (i, (o, r)) in ours.iter().zip(reference).enumerate() {
        let Some(r) = r.as_deref() else { continue };
        counts.positions += 1;
        // A flagged point is its own segment: key it by its index.
        let ok = match o.as_deref() {
            Some(id) => (Some(id), 0),
            None => (None, i),
        };
        *cells.entry((ok.0, ok.1, r)).or_default() += 1;
        *our_sizes.entry(ok).or_default() += 1;
        *ref_sizes.entry(r).or_default() += 1;
    }
    counts.same_both = cells.values().map(|&n| pairs(n)).sum();
    counts.same_ours = our_sizes.values().map(|&n| pairs(n)).sum();
    counts.same_reference = ref_sizes.values().map(|&n| pairs(n)).sum();
    counts.our_segments = our_sizes.len() as u64;
    counts.reference_segments = ref_sizes.len() as u64;
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_counting() {
        let s = |v: &str| Some(v.to_string());
        let ours = vec![s("a"), s("a"), s("a"), s("b"), None];
        let reference = vec![s("x"), s("x"), s("y"), s("y"), s("y")];
        let c = compare_with_reference(&ours, &reference);
        // ours: {0,1,2}=3 pairs; reference: {0,1}=1, {2,3,4}=3; both: (0,1) = 1.
        assert_eq!((c.same_both, c.same_ours, c.same_reference), (1, 3, 4));
        assert!((c.precision() - 1.0 / 3.0).abs() < 1e-12);
        assert!((c.recall() - 0.25).abs() < 1e-12);
    }
}
