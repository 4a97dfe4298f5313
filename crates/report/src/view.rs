//! The report's view model: plain data the HTML is rendered from.
//!
//! Keeping the renderer on its own view types means the report can be tested without running
//! the pipeline, and the pipeline's types can change without touching the markup.

use serde::{Deserialize, Serialize};

/// Everything one report shows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReportData {
    /// Title line.
    pub title: String,
    /// When the report was generated (ISO 8601, UTC).
    pub generated_at: String,
    /// Regime name, e.g. "DPRK (UNSCR 1718 and successors)".
    pub regime: String,
    /// Headline counts: label and value, in display order.
    pub counts: Vec<(String, String)>,
    /// The petroleum tally for the report's year, when there is one.
    pub tally: Option<TallyView>,
    /// Findings, highest probability first.
    pub findings: Vec<FindingView>,
    /// Vessel profiles.
    pub vessels: Vec<VesselView>,
    /// Thresholds and parameters: (group, name, value).
    pub methods: Vec<(String, String, String)>,
    /// Data sources: one line each.
    pub sources: Vec<String>,
    /// Land polygons for maps (lon/lat rings).
    pub land: Vec<Vec<(f64, f64)>>,
    /// Regime zones for maps: name, kind and rings.
    pub zones: Vec<ZoneView>,
}

/// A zone drawn on maps.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ZoneView {
    /// Zone name.
    pub name: String,
    /// Zone kind (`territorial_sea`, `sts_hotspot`, `port_area`, ...), which sets its style.
    pub kind: String,
    /// Outer rings, lon/lat.
    pub rings: Vec<Vec<(f64, f64)>>,
}

/// One month of the petroleum tally.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MonthView {
    /// `YYYY-MM`.
    pub month: String,
    /// Cumulative reported barrels at the month's end.
    pub reported_cum: f64,
    /// Cumulative estimated barrels, low case.
    pub low_cum: f64,
    /// Cumulative estimated barrels, mid case.
    pub mid_cum: f64,
    /// Cumulative estimated barrels, high case.
    pub high_cum: f64,
}

/// The year's tally against the cap.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TallyView {
    /// Calendar year.
    pub year: i32,
    /// The cap in barrels.
    pub cap_bbl: f64,
    /// Months in order.
    pub months: Vec<MonthView>,
    /// Threshold crossings: (series, percent of cap, date).
    pub crossings: Vec<(String, u32, String)>,
    /// Notes on method (sizing, laden fractions).
    pub notes: Vec<String>,
}

/// A track drawn on a finding's map.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TrackView {
    /// Legend label (vessel name or MMSI).
    pub label: String,
    /// Points: lon, lat, UTC ms.
    pub points: Vec<(f64, f64, i64)>,
}

/// One finding as the report shows it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FindingView {
    /// Finding identifier.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Rule identifier.
    pub rule: String,
    /// Probability in [0, 1].
    pub probability: f64,
    /// ICD 203 estimative term.
    pub term: String,
    /// The assessment, one or more sentences.
    pub assessment: String,
    /// Legal references.
    pub legal: Vec<String>,
    /// Evidence features: name, value, log-odds weight.
    pub features: Vec<(String, String, f64)>,
    /// Evidence table rows: time, vessel, lat, lon, what.
    pub evidence: Vec<[String; 5]>,
    /// Tracks around the event.
    pub tracks: Vec<TrackView>,
    /// Event markers: lon, lat, label.
    pub markers: Vec<(f64, f64, String)>,
    /// For on-chain findings, the transfer path: time, hop, from → to, amount, transaction.
    pub funds_path: Vec<[String; 5]>,
}

/// A vessel profile.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct VesselView {
    /// MMSI.
    pub mmsi: u32,
    /// Display name.
    pub name: String,
    /// Flag from the MMSI's MID.
    pub flag: String,
    /// Identity history rows: field, value, first seen, last seen.
    pub identity: Vec<[String; 4]>,
    /// Draught history: time, draught in metres.
    pub draughts: Vec<(String, f64)>,
    /// Sanctions list matches: entity, list, score, explanation.
    pub matches: Vec<[String; 4]>,
}
