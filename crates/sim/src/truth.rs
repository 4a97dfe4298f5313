//! Ground truth: the scripted events of a simulation run, written as `truth.json`.

use serde::{Deserialize, Serialize};

/// One scripted event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthEvent {
    /// Kind, using the same snake_case names as `maritime::event::EventKind` where one applies
    /// (`encounter`, `gap`, `port_visit`, `loitering`, `circle_spoof`, `mmsi_collision`,
    /// `identity_change`, `draught_change`, `teleport`, ...).
    pub kind: String,
    /// Scenario label of the script that produced it (e.g. `"sts_rendezvous"`, `"bunkering_in_port"`).
    pub script: String,
    /// True for benign look-alikes that a detector must not report as evasion.
    pub benign: bool,
    /// MMSIs involved (as broadcast).
    pub vessels: Vec<u32>,
    /// Start, UTC ms.
    pub start_ms: i64,
    /// End, UTC ms.
    pub end_ms: i64,
    /// Latitude of the event's place.
    pub lat: f64,
    /// Longitude of the event's place.
    pub lon: f64,
    /// Free-text details (e.g. which ship was dark).
    pub note: String,
}

/// The whole `truth.json` file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Truth {
    /// Scenario name.
    pub scenario: String,
    /// Seed the run used.
    pub seed: u64,
    /// Every scripted event, benign ones included.
    pub events: Vec<TruthEvent>,
}
