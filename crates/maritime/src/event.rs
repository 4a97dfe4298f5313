//! The event model shared by every detector, the `events` table and the findings built on it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of thing happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Two vessels close together and slow, away from port: a candidate ship-to-ship transfer.
    Encounter,
    /// Two vessels went dark near each other and reappeared near each other.
    DarkRendezvous,
    /// One vessel slow for a long time away from port.
    Loitering,
    /// A vessel's AIS was silent for longer than the gap threshold.
    Gap,
    /// A stay in a port, with entry and exit.
    PortVisit,
    /// Time spent inside a zone polygon, from entry to exit.
    ZoneVisit,
    /// A jump between two positions that implies an impossible speed.
    Teleport,
    /// A position on land, at 0,0 or otherwise impossible.
    ImpossiblePosition,
    /// A position stream that traces a circle or stays fixed while the ship moves elsewhere.
    CircleSpoof,
    /// One MMSI reported in two places at once (shared or spoofed MMSI).
    MmsiCollision,
    /// Name, IMO, call sign, type or flag changed.
    IdentityChange,
    /// Reported draught changed (loading or discharge).
    DraughtChange,
}

impl EventKind {
    /// Every kind, in declaration order.
    pub const ALL: [EventKind; 12] = [
        EventKind::Encounter,
        EventKind::DarkRendezvous,
        EventKind::Loitering,
        EventKind::Gap,
        EventKind::PortVisit,
        EventKind::ZoneVisit,
        EventKind::Teleport,
        EventKind::ImpossiblePosition,
        EventKind::CircleSpoof,
        EventKind::MmsiCollision,
        EventKind::IdentityChange,
        EventKind::DraughtChange,
    ];

    /// The snake_case name used in tables, JSON and on the command line (`dark_rendezvous`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Encounter => "encounter",
            EventKind::DarkRendezvous => "dark_rendezvous",
            EventKind::Loitering => "loitering",
            EventKind::Gap => "gap",
            EventKind::PortVisit => "port_visit",
            EventKind::ZoneVisit => "zone_visit",
            EventKind::Teleport => "teleport",
            EventKind::ImpossiblePosition => "impossible_position",
            EventKind::CircleSpoof => "circle_spoof",
            EventKind::MmsiCollision => "mmsi_collision",
            EventKind::IdentityChange => "identity_change",
            EventKind::DraughtChange => "draught_change",
        }
    }
}

/// A position cited as evidence for an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidencePoint {
    /// Vessel MMSI.
    pub mmsi: u32,
    /// UTC milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Speed over ground, knots, when reported.
    pub sog: Option<f32>,
}

/// One detected event: who, when, where, how much, and the positions that show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable identifier derived from kind, vessels and start time.
    pub id: String,
    /// What happened.
    pub kind: EventKind,
    /// A finer grade within the kind, e.g. `"sts"` for the strict encounter grade, `"intentional"` for a gap.
    pub grade: Option<String>,
    /// The vessels involved (one or two MMSIs; the first is the subject).
    pub vessels: Vec<u32>,
    /// Segment identifiers of the vessels, aligned with `vessels`, when known.
    pub segments: Vec<String>,
    /// Start, UTC ms.
    pub start_ms: i64,
    /// End, UTC ms.
    pub end_ms: i64,
    /// Representative latitude (mean or start position).
    pub lat: f64,
    /// Representative longitude.
    pub lon: f64,
    /// Numeric measurements (distances in metres, speeds in knots, durations in hours, ...).
    pub metrics: BTreeMap<String, f64>,
    /// Text attributes (port name, zone name, old and new identity values, ...).
    pub attributes: BTreeMap<String, String>,
    /// The thresholds the detector ran with, so every event can be reproduced.
    pub params: BTreeMap<String, f64>,
    /// Positions that are the evidence.
    pub evidence: Vec<EvidencePoint>,
}

#[cfg(test)]
mod tests {
    use super::EventKind;

    #[test]
    fn names_are_the_serde_names() {
        for k in EventKind::ALL {
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::String(k.as_str().into())
            );
        }
    }
}
