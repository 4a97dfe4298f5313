//! The track layer: de-duplicated, time-ordered positions split into segments.
//!
//! Positions of one MMSI are not one ship's track: feeds repeat a message once per receiving
//! station, satellites deliver out of order, several ships share an MMSI, and spoofers inject
//! positions. The segmenter follows Global Fishing Watch's gpsdio-segment (v3): per MMSI it keeps
//! several segments open at once, scores each new position against every open segment by how
//! far it lies from where dead reckoning with the reported speed and course says the ship should
//! be ([`TrackConfig`] documents every parameter and its GFW counterpart), joins the best one or
//! opens a new segment, and closes segments after 24 h of silence.
//!
//! Impossible positions are kept and flagged ([`PointFlag`]), never deleted: detectors skip
//! flagged points. Duplicates (same message heard by several stations) are removed by rule and
//! counted in [`SegmentStats`].
//!
//! Scale: the segmenter is a streaming state machine ([`MmsiSegmenter`]) over positions sorted by
//! (MMSI, time); its memory is the open segments of the current MMSI only. [`segment_rows`] sorts
//! an in-memory batch and runs MMSIs in parallel; [`partition`] spills positions to MMSI-hashed
//! partition files so that a day of global AIS is segmented one partition at a time.

use serde::{Deserialize, Serialize};

pub mod eval;
mod export;
mod matcher;
pub mod partition;
mod segmenter;
mod table;

pub use export::{write_csv, write_geojson};
pub use matcher::{discrepancy_nm, match_metric};
pub use partition::{segment_store, StoreRunOptions, StoreRunSummary};
pub use segmenter::{
    segment_fixes, segment_rows, segment_sorted, Fix, MmsiSegmenter, SegmentStats,
};
pub use table::{
    clear_segments_table, load_segments, load_segments_for, read_segments_table, segments_batch,
    segments_schema, write_segments_table, TableError, SEGMENTS_FILE,
};

/// Why a point was flagged. Flagged points are kept, never deleted, and skipped by detectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointFlag {
    /// Reaching it from the segment's previous point needs a speed above the configured bound.
    ImpliedSpeed,
    /// Reported at or near 0,0 ("null island").
    NullIsland,
    /// Latitude or longitude "not available" (91 / 181) or out of range.
    NotAvailable,
    /// Dropped by the matcher's look-back: a later position fits the segment much better from the
    /// point before this one, so this one was an outlier of the track.
    Outlier,
    /// A type 27 long-range report (1/10-minute resolution) within `min_type27_hours` of the
    /// segment's precise reports: kept, but too coarse to place on the track.
    CoarseLongRange,
}

impl PointFlag {
    /// The snake_case name used in tables and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            PointFlag::ImpliedSpeed => "implied_speed",
            PointFlag::NullIsland => "null_island",
            PointFlag::NotAvailable => "not_available",
            PointFlag::Outlier => "outlier",
            PointFlag::CoarseLongRange => "coarse_long_range",
        }
    }

    /// Parses [`PointFlag::as_str`] back.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "implied_speed" => PointFlag::ImpliedSpeed,
            "null_island" => PointFlag::NullIsland,
            "not_available" => PointFlag::NotAvailable,
            "outlier" => PointFlag::Outlier,
            "coarse_long_range" => PointFlag::CoarseLongRange,
            _ => return None,
        })
    }
}

/// One position of a segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackPoint {
    /// UTC milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Speed over ground, knots.
    pub sog: Option<f32>,
    /// Course over ground, degrees.
    pub cog: Option<f32>,
    /// True heading, degrees.
    pub heading: Option<u16>,
    /// Navigational status code.
    pub nav_status: Option<u8>,
    /// Set when the point is impossible; the reason.
    pub flag: Option<PointFlag>,
}

/// One segment: positions of one MMSI that plausibly come from one ship, in time order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Identifier unique in the store: `<mmsi>-<first time ms>-<n>`; the points of an MMSI that
    /// could not be placed at all (no position, 0,0) are in `<mmsi>-flagged-<n>` segments.
    pub id: String,
    /// MMSI broadcast.
    pub mmsi: u32,
    /// Points in time order.
    pub points: Vec<TrackPoint>,
}

impl Segment {
    /// Points not flagged, the ones detectors use.
    pub fn usable_points(&self) -> impl Iterator<Item = &TrackPoint> {
        self.points.iter().filter(|p| p.flag.is_none())
    }

    /// True when every point is flagged (a bucket of unplaceable positions).
    pub fn is_flagged_only(&self) -> bool {
        self.points.iter().all(|p| p.flag.is_some())
    }

    /// Time of the first and last point, UTC ms.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        Some((self.points.first()?.time_ms, self.points.last()?.time_ms))
    }
}

/// Segmentation parameters. Defaults follow gpsdio-segment v3.0.0's `Matcher` unless noted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackConfig {
    /// No position joins a segment after this many hours of silence; the segment closes (GFW
    /// `max_hours = 24`).
    pub max_gap_hours: f64,
    /// Hours after which dead reckoning is trusted less: penalised hours = h / (1 + (h/p)^(1-e))
    /// (GFW `penalty_hours = 4`).
    pub penalty_hours: f64,
    /// Exponent `e` of the penalty above (GFW `hours_exp = 0.5`).
    pub hours_exp: f64,
    /// Padding added in quadrature to every time difference, so that near-simultaneous reports
    /// still allow GPS noise (GFW `buffer_hours = 0.25`).
    pub buffer_hours: f64,
    /// Largest discrepancy rate accepted, knots: a position more than `padded_hours × max_knots`
    /// nautical miles from the dead-reckoned one never matches (GFW `max_knots = 25`).
    pub max_knots: f64,
    /// Discrepancy speed scale of the Gaussian score (GFW `penalty_speed = 5`).
    pub penalty_speed: f64,
    /// How many of a segment's last points a position is compared with (GFW `lookback = 5`).
    pub lookback: usize,
    /// A match to the k-th last point must beat the existing one by `k × lookback_factor`; the k
    /// intervening points are then flagged [`PointFlag::Outlier`] (GFW `lookback_factor = 2`).
    pub lookback_factor: f64,
    /// Two segments scoring within this factor of each other are ambiguous: both close and the
    /// position starts a new segment (GFW `ambiguity_factor = 10`).
    pub ambiguity_factor: f64,
    /// Segments shorter than this many points are down-weighted when several match (GFW
    /// `short_seg_threshold = 10`).
    pub short_seg_threshold: f64,
    /// Score multiplier when a class A position (types 1–3) is matched to a class B segment
    /// (18, 19) or the reverse (GFW `transponder_mismatch_weight = 0.1`).
    pub transponder_mismatch_weight: f64,
    /// Below this speed (knots) a missing course is normal and the ship is taken as stationary
    /// (GFW `very_slow = 0.35`).
    pub very_slow_knots: f64,
    /// Weight of the "stayed put" and "off the path" discrepancy estimates (GFW `shape_factor = 4`).
    pub shape_factor: f64,
    /// A type 27 report matched within this many hours of its segment is flagged
    /// [`PointFlag::CoarseLongRange`] (GFW `min_type_27_hours = 1`).
    pub min_type27_hours: f64,
    /// At most this many segments stay open per MMSI; the stalest closes first (GFW 100).
    pub max_open_segments: usize,
    /// Hard bound (knots) on the speed implied between consecutive usable points of a segment.
    /// Not in GFW: a candidate implying more never joins, and a lone position that could only be
    /// reached from the MMSI's current track above it is flagged [`PointFlag::ImpliedSpeed`].
    /// Default 50 kn (faster than any merchant ship; high-speed craft reach ≈ 45 kn).
    pub max_implied_knots: f64,
    /// Distance (metres) subtracted before computing implied speed, for GPS and timestamp noise
    /// between near-simultaneous reports. Default 500 m.
    pub position_noise_m: f64,
    /// Window (hours) in which an unreachable lone position counts as a jump of the MMSI's active
    /// track rather than a new ship. Default 1 h.
    pub teleport_window_hours: f64,
    /// Two reports with the same position, speed and course within this many milliseconds are one
    /// message heard by several stations; the repeat is dropped. Default 10 s.
    pub duplicate_tolerance_ms: i64,
    /// A moving ship (speed > 0) cannot repeat its exact position: repeats among the last
    /// `duplicate_memory` reports are dropped too, as GFW does. Default 32 reports.
    pub duplicate_memory: usize,
    /// Positions within this many degrees of 0,0 are flagged [`PointFlag::NullIsland`]. Default 0.01°.
    pub null_island_deg: f64,
}

impl Default for TrackConfig {
    fn default() -> Self {
        Self {
            max_gap_hours: 24.0,
            penalty_hours: 4.0,
            hours_exp: 0.5,
            buffer_hours: 0.25,
            max_knots: 25.0,
            penalty_speed: 5.0,
            lookback: 5,
            lookback_factor: 2.0,
            ambiguity_factor: 10.0,
            short_seg_threshold: 10.0,
            transponder_mismatch_weight: 0.1,
            very_slow_knots: 0.35,
            shape_factor: 4.0,
            min_type27_hours: 1.0,
            max_open_segments: 100,
            max_implied_knots: 50.0,
            position_noise_m: 500.0,
            teleport_window_hours: 1.0,
            duplicate_tolerance_ms: 10_000,
            duplicate_memory: 32,
            null_island_deg: 0.01,
        }
    }
}

/// Speed (knots) implied between two points, after subtracting `noise_m` of position noise.
///
/// Zero when the points are within the noise; infinite when they are apart at the same instant.
pub fn implied_knots(a: &TrackPoint, b: &TrackPoint, noise_m: f64) -> f64 {
    let d = spatial::haversine_m(
        spatial::LonLat::new(a.lon, a.lat),
        spatial::LonLat::new(b.lon, b.lat),
    );
    let excess = (d - noise_m).max(0.0);
    if excess == 0.0 {
        return 0.0;
    }
    let hours = (b.time_ms - a.time_ms).abs() as f64 / 3_600_000.0;
    if hours == 0.0 {
        return f64::INFINITY;
    }
    excess / spatial::METRES_PER_NM / hours
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_names_round_trip() {
        for f in [
            PointFlag::ImpliedSpeed,
            PointFlag::NullIsland,
            PointFlag::NotAvailable,
            PointFlag::Outlier,
            PointFlag::CoarseLongRange,
        ] {
            assert_eq!(PointFlag::parse(f.as_str()), Some(f));
            let json = serde_json::to_string(&f).expect("serialise");
            assert_eq!(json, format!("\"{}\"", f.as_str()));
        }
    }
}
