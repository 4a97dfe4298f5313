//! Ground truth: the scripted events of a simulation run, written as `truth.json`.

use serde::{Deserialize, Serialize};

/// One scripted event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthEvent {
    /// Kind, using the same snake_case names as `maritime::event::EventKind` where one applies
    /// (`encounter`, `gap`, `port_visit`, `loitering`, `circle_spoof`, `mmsi_collision`,
    /// `identity_change`, `draught_change`, `teleport`, `dark_rendezvous`).
    pub kind: String,
    /// Scenario label of the script that produced it (e.g. `"sts_rendezvous"`, `"bunkering_in_port"`),
    /// `port_call` for generated port calls, `coverage_gap` for silences caused by reception.
    pub script: String,
    /// True for benign look-alikes that a detector must not report as evasion.
    pub benign: bool,
    /// MMSIs involved (as broadcast; the first is the subject).
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
    /// Events produced by the same script share a group id (`s<index>`); empty for generated ones.
    #[serde(default)]
    pub group: String,
}

/// One simulated vessel's true particulars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthVessel {
    /// Own MMSI (what it broadcasts when not spoofing another's).
    pub mmsi: u32,
    /// Own IMO number.
    pub imo: Option<u32>,
    /// Own name at the start.
    pub name: String,
    /// Call sign.
    pub callsign: String,
    /// Flag, ISO alpha-2.
    pub flag: String,
    /// Scenario ship type name (`tanker_small`, `bulk`, ...).
    pub ship_type: String,
    /// AIS ship-and-cargo type code.
    pub ais_type: u8,
    /// Transceiver class, `A` or `B`.
    pub class: String,
    /// Length overall, metres.
    pub length_m: f64,
    /// Beam, metres.
    pub beam_m: f64,
    /// Deadweight, tonnes.
    pub dwt: f64,
    /// Role: `dprk_tanker`, `foreign_tanker`, `bulk`, `fishing`, `bunker`, `harbour_craft`, ...
    pub role: String,
    /// True when the vessel is designated (on a sanctions list).
    pub designated: bool,
    /// True for the scenario's named vessels (false for generated traffic).
    pub named: bool,
}

/// A port of the scenario, as the simulator placed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthPort {
    /// Name.
    pub name: String,
    /// Country, ISO alpha-2.
    pub country: String,
    /// Latitude of the berth area.
    pub lat: f64,
    /// Longitude of the berth area.
    pub lon: f64,
    /// Radius of the berth area, metres.
    pub radius_m: f64,
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
    /// Start of the run, UTC ms.
    #[serde(default)]
    pub start_ms: i64,
    /// End of the run, UTC ms.
    #[serde(default)]
    pub end_ms: i64,
    /// Every simulated vessel.
    #[serde(default)]
    pub vessels: Vec<TruthVessel>,
    /// The scenario's ports.
    #[serde(default)]
    pub ports: Vec<TruthPort>,
}
