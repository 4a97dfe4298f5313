//! The track layer: de-duplicated, time-ordered positions split into segments.

use serde::{Deserialize, Serialize};

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
    /// Identifier unique in the store: `<mmsi>-<first time ms>-<n>`.
    pub id: String,
    /// MMSI broadcast.
    pub mmsi: u32,
    /// Points in time order.
    pub points: Vec<TrackPoint>,
}
