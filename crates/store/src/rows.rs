//! Row types: the in-memory form of one record of each table, before it is batched into Arrow.

use serde::{Deserialize, Serialize};

/// The AIS transceiver class a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TransceiverClass {
    /// Class A shipborne mobile equipment (message types 1, 2, 3, 5).
    A,
    /// Class B shipborne mobile equipment (message types 18, 19, 24).
    B,
    /// Base station (type 4, 11).
    BaseStation,
    /// Search-and-rescue aircraft (type 9).
    Sar,
    /// Aid to navigation (type 21).
    AtoN,
    /// Unknown or not stated (CSV inputs without a class column).
    Unknown,
}

/// One position report: one row of the `positions` table.
///
/// Fields an AIS message marks "not available" are `None`. `time_ms` is `None` when the
/// input carried no time at all (bare NMEA without tag blocks or epoch columns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PositionRow {
    /// Reception time, UTC milliseconds since the Unix epoch.
    pub time_ms: Option<i64>,
    /// Maritime Mobile Service Identity of the sender.
    pub mmsi: u32,
    /// Latitude in degrees, WGS 84.
    pub lat: Option<f64>,
    /// Longitude in degrees, WGS 84.
    pub lon: Option<f64>,
    /// Speed over ground in knots.
    pub sog: Option<f32>,
    /// Course over ground in degrees.
    pub cog: Option<f32>,
    /// True heading in degrees.
    pub heading: Option<u16>,
    /// Navigational status code (0–15) for Class A reports.
    pub nav_status: Option<u8>,
    /// AIS message type (1, 2, 3, 4, 9, 11, 18, 19, 21, 27), or 0 for a CSV input.
    pub msg_type: u8,
    /// Transceiver class.
    pub class: TransceiverClass,
    /// Receiving station (tag-block `s:` or similar), when known.
    pub station: Option<String>,
    /// Index of the source file in the ingest's source list.
    pub source: u32,
}

/// One static and voyage report (types 5, 19, 24 and CSV static columns): one row of `static_reports`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StaticRow {
    /// Reception time, UTC milliseconds since the Unix epoch.
    pub time_ms: Option<i64>,
    /// MMSI of the sender.
    pub mmsi: u32,
    /// AIS message type (5, 19, 24), or 0 for a CSV input.
    pub msg_type: u8,
    /// IMO number as broadcast (not validated here).
    pub imo: Option<u32>,
    /// Call sign, trimmed of `@` padding.
    pub call_sign: Option<String>,
    /// Vessel name, trimmed of `@` padding.
    pub name: Option<String>,
    /// AIS ship and cargo type code (0–99).
    pub ship_type: Option<u8>,
    /// Distance from reference point to bow, metres.
    pub to_bow: Option<u16>,
    /// Distance from reference point to stern, metres.
    pub to_stern: Option<u16>,
    /// Distance from reference point to port side, metres.
    pub to_port: Option<u8>,
    /// Distance from reference point to starboard side, metres.
    pub to_starboard: Option<u8>,
    /// Present static draught, metres.
    pub draught: Option<f32>,
    /// Destination as broadcast.
    pub destination: Option<String>,
    /// ETA as broadcast, `MM-DDTHH:MM` (AIS carries no year).
    pub eta: Option<String>,
    /// Index of the source file in the ingest's source list.
    pub source: u32,
}
