//! The scenario file: a TOML description of a sea area, its ports, lanes, coastline, receivers,
//! fleet and scripted events. The format is documented in `docs/scenarios.md`.

use serde::Deserialize;

/// A whole scenario as read from TOML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name, copied into `truth.json`.
    pub name: String,
    /// What the scenario shows.
    #[serde(default)]
    pub description: String,
    /// Start time, `YYYY-MM-DDTHH:MM:SSZ`.
    pub start: String,
    /// Length of the run, hours.
    pub hours: f64,
    /// Default seed (the command line's `--seed` overrides it).
    #[serde(default)]
    pub seed: u64,
    /// Coastline: `"builtin:east_asia"` (Natural Earth 1:10m land, bundled), a GeoJSON path
    /// relative to the scenario file, or absent for none. Inline `[[land]]` polygons are added.
    #[serde(default)]
    pub coastline: Option<String>,
    /// Extra land polygons.
    #[serde(default)]
    pub land: Vec<LandPolygon>,
    /// Ports.
    #[serde(default)]
    pub port: Vec<Port>,
    /// Anchorages, each belonging to a port.
    #[serde(default)]
    pub anchorage: Vec<Anchorage>,
    /// Sea-lane waypoints.
    #[serde(default)]
    pub waypoint: Vec<Waypoint>,
    /// Lanes: pairs of port or waypoint names joined by a straight leg, usable both ways.
    #[serde(default)]
    pub lanes: Vec<[String; 2]>,
    /// Terrestrial receiving stations.
    #[serde(default)]
    pub station: Vec<Station>,
    /// Satellite reception, if any.
    #[serde(default)]
    pub satellite: Option<Satellite>,
    /// Reception imperfections.
    #[serde(default)]
    pub reception: Reception,
    /// Ship types.
    #[serde(default)]
    pub ship_type: Vec<ShipType>,
    /// Generated groups of benign ships.
    #[serde(default)]
    pub fleet: Vec<FleetGroup>,
    /// Named vessels that scripts refer to.
    #[serde(default)]
    pub vessel: Vec<VesselSpec>,
    /// Scripted events, evasive and benign.
    #[serde(default)]
    pub script: Vec<Script>,
}

/// A land polygon given inline, as `[lon, lat]` pairs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LandPolygon {
    /// Name for error messages.
    pub name: String,
    /// Outer ring, `[lon, lat]` pairs.
    pub ring: Vec<[f64; 2]>,
}

/// A port: the point ships berth at (in water, next to the quay).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Port {
    /// Unique name.
    pub name: String,
    /// ISO 3166 alpha-2 country code (`KP` for the DPRK).
    pub country: String,
    /// Latitude of the berth area.
    pub lat: f64,
    /// Longitude of the berth area.
    pub lon: f64,
    /// Radius of the berth area in metres: moored ships are spread over it.
    #[serde(default = "default_port_radius")]
    pub radius_m: f64,
}

fn default_port_radius() -> f64 {
    800.0
}

/// An anchorage outside a port, where ships wait for a berth.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchorage {
    /// Unique name.
    pub name: String,
    /// The port it serves.
    pub port: String,
    /// Centre latitude.
    pub lat: f64,
    /// Centre longitude.
    pub lon: f64,
    /// Radius in metres over which anchored ships are spread.
    #[serde(default = "default_anchorage_radius")]
    pub radius_m: f64,
}

fn default_anchorage_radius() -> f64 {
    1500.0
}

/// A sea-lane waypoint.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waypoint {
    /// Unique name.
    pub name: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// A terrestrial AIS receiving station.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Station {
    /// Station id, written in the tag block `s:` field.
    pub name: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Range in nautical miles (VHF line of sight, typically 30–50).
    #[serde(default = "default_range")]
    pub range_nm: f64,
}

fn default_range() -> f64 {
    40.0
}

/// Satellite reception: passes of `pass_minutes` every `revisit_minutes`, covering the whole area.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Satellite {
    /// Station id written in `s:` for satellite-received messages.
    #[serde(default = "default_sat_name")]
    pub name: String,
    /// Time between the starts of two passes, minutes.
    pub revisit_minutes: f64,
    /// Length of one pass, minutes.
    pub pass_minutes: f64,
    /// Probability that a message sent during a pass is received (slot collisions lose many).
    #[serde(default = "default_sat_prob")]
    pub detect_prob: f64,
    /// Mean number of satellite data outages per day (no satellite data at all meanwhile, as when a
    /// ground station misses downlinks); 0 for none.
    #[serde(default)]
    pub outages_per_day: f64,
    /// Range of outage lengths, hours.
    #[serde(default = "default_outage_hours")]
    pub outage_hours: [f64; 2],
}

fn default_outage_hours() -> [f64; 2] {
    [6.0, 9.0]
}

fn default_sat_name() -> String {
    "sat".into()
}
fn default_sat_prob() -> f64 {
    0.5
}

/// Imperfections of reception and delivery.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reception {
    /// Probability that a terrestrial station in range misses a message (grows towards the edge
    /// of range: this is the loss at the edge; half of it near the station).
    #[serde(default = "default_loss")]
    pub loss: f64,
    /// Probability that a message heard by two stations is delivered twice (once per station).
    #[serde(default = "default_dup")]
    pub duplicate: f64,
    /// Probability that a delivered line is held back and written after later lines.
    #[serde(default = "default_reorder")]
    pub reorder: f64,
    /// Longest hold-back of a reordered line, seconds.
    #[serde(default = "default_reorder_max")]
    pub reorder_max_s: f64,
    /// Probability that a delivered sentence is corrupted (one payload character changed, so the
    /// checksum no longer matches).
    #[serde(default = "default_corrupt")]
    pub corrupt: f64,
}

fn default_loss() -> f64 {
    0.1
}
fn default_dup() -> f64 {
    0.3
}
fn default_reorder() -> f64 {
    0.002
}
fn default_reorder_max() -> f64 {
    20.0
}
fn default_corrupt() -> f64 {
    0.0005
}

impl Default for Reception {
    fn default() -> Self {
        Reception {
            loss: default_loss(),
            duplicate: default_dup(),
            reorder: default_reorder(),
            reorder_max_s: default_reorder_max(),
            corrupt: default_corrupt(),
        }
    }
}

/// AIS transceiver class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum AisClass {
    /// Class A: types 1–3 and 5; 2–10 s under way, 3 min at anchor.
    A,
    /// Class B: types 18 and 24; 30 s under way, 3 min below 2 kn.
    B,
}

/// A ship type: ranges from which each ship's particulars are drawn.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShipType {
    /// Unique name (`tanker_small`, `bulk`, `fishing`, `tug` ...).
    pub name: String,
    /// AIS ship-and-cargo type code (80 tanker, 70 cargo, 30 fishing, 52 tug, 31 towing ...).
    pub ais_type: u8,
    /// Transceiver class.
    pub class: AisClass,
    /// Length overall range, metres.
    pub length_m: [f64; 2],
    /// Beam range, metres.
    pub beam_m: [f64; 2],
    /// Deadweight range, tonnes.
    pub dwt: [f64; 2],
    /// Service speed range, knots.
    pub speed_kn: [f64; 2],
    /// Draught in ballast and laden, metres.
    pub draught_m: [f64; 2],
}

/// How a generated group behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// Port to port along the lanes, with stays and anchorage waits.
    Trade,
    /// Out to a fishing ground, trawl slowly for a day or more, back to port.
    Fishing,
    /// Stay in or near the home port (tugs, bunker barges, pilot boats), with short harbour moves.
    Harbour,
}

/// A group of generated benign ships.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetGroup {
    /// Group name, used in generated ship names.
    pub name: String,
    /// Ship type name.
    #[serde(rename = "type")]
    pub ship_type: String,
    /// Number of ships.
    pub count: usize,
    /// Maritime identification digits the MMSIs are drawn from (e.g. `[412, 413, 414]` for China).
    pub mids: Vec<u32>,
    /// Flag (ISO alpha-2).
    pub flag: String,
    /// Ports the group trades between (trade), sails from (fishing) or stays in (harbour).
    pub ports: Vec<String>,
    /// Behaviour.
    #[serde(default = "default_pattern")]
    pub pattern: Pattern,
    /// Range of port stays, hours.
    #[serde(default = "default_stay")]
    pub stay_hours: [f64; 2],
    /// Probability of waiting at the port's anchorage before berthing.
    #[serde(default)]
    pub anchor_wait_prob: f64,
    /// Fishing ground centre `[lat, lon]` (fishing only).
    #[serde(default)]
    pub ground: Option<[f64; 2]>,
    /// Fishing ground radius, km (fishing only).
    #[serde(default = "default_ground_radius")]
    pub ground_radius_km: f64,
    /// Role written in `truth.json` (defaults to the pattern's name, e.g. `bulk`, `fishing`).
    #[serde(default)]
    pub role: Option<String>,
}

fn default_pattern() -> Pattern {
    Pattern::Trade
}
fn default_stay() -> [f64; 2] {
    [12.0, 48.0]
}
fn default_ground_radius() -> f64 {
    20.0
}

/// A named vessel that scripts use.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VesselSpec {
    /// Name as broadcast.
    pub name: String,
    /// Ship type name.
    #[serde(rename = "type")]
    pub ship_type: String,
    /// MMSI (MID 445 for the DPRK).
    pub mmsi: u32,
    /// IMO number, if it has one.
    #[serde(default)]
    pub imo: Option<u32>,
    /// Call sign.
    #[serde(default)]
    pub callsign: Option<String>,
    /// Flag (ISO alpha-2).
    pub flag: String,
    /// Role in `truth.json`: `dprk_tanker`, `foreign_tanker`, `bulk`, `bunker`, ...
    pub role: String,
    /// True when the vessel is on a sanctions list (UN 1718 or national).
    #[serde(default)]
    pub designated: bool,
    /// Home port: where it starts and returns between scripts.
    pub home: String,
    /// Deadweight, tonnes (drawn from the type when absent).
    #[serde(default)]
    pub dwt: Option<f64>,
    /// Length overall, metres (drawn from the type when absent).
    #[serde(default)]
    pub length_m: Option<f64>,
    /// Starts laden (draught at the laden value) instead of in ballast.
    #[serde(default)]
    pub laden: bool,
}

/// Which side of a ship-to-ship transfer has its AIS off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DarkSide {
    /// Both broadcast throughout.
    None,
    /// The first vessel is dark.
    First,
    /// The second vessel is dark.
    Second,
    /// Both are dark.
    Both,
}

/// How a position is spoofed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpoofMode {
    /// A fixed false position (with GPS-like jitter).
    Fixed,
    /// A circle around the false position.
    Circle,
}

/// A scripted event. Times are hours from the scenario start.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Script {
    /// Ship-to-ship transfer: both arrive at the point, lie alongside drifting at < 1 kn, part.
    /// Cargo moves from the second vessel to the first (the first's draught rises).
    Sts {
        /// Label written in `truth.json`.
        label: String,
        /// `[receiver, supplier]`.
        vessels: [String; 2],
        /// Latitude of the meeting point.
        lat: f64,
        /// Longitude of the meeting point.
        lon: f64,
        /// Start of the time alongside, hours.
        start_h: f64,
        /// Hours alongside (2–10 is typical).
        hours: f64,
        /// Distance between the ships' antennas while alongside, metres.
        #[serde(default = "default_alongside")]
        distance_m: f64,
        /// Whose AIS is off.
        #[serde(default = "default_dark_side")]
        dark: DarkSide,
        /// Hours of silence before arrival and after parting for a dark side.
        #[serde(default = "default_dark_margin")]
        dark_margin_h: f64,
    },
    /// AIS off for a while; the ship keeps to its plan meanwhile.
    Dark {
        /// Label.
        label: String,
        /// The vessel.
        vessel: String,
        /// Start, hours.
        start_h: f64,
        /// Length, hours.
        hours: f64,
    },
    /// A call at a port (usually in the DPRK), optionally with AIS off on the way in and out.
    PortCall {
        /// Label.
        label: String,
        /// The vessel.
        vessel: String,
        /// Port name.
        port: String,
        /// Arrival, hours.
        start_h: f64,
        /// Hours in port.
        hours: f64,
        /// AIS off from `dark_margin_h` before arrival to `dark_margin_h` after departure.
        #[serde(default)]
        dark: bool,
        /// Margin of the dark period around the stay, hours.
        #[serde(default = "default_dark_margin")]
        dark_margin_h: f64,
        /// Draught change at the end of the stay, metres (+ loading, − discharge; 0 none).
        #[serde(default)]
        draught_change_m: f64,
        /// Overrides the truth's benign flag (default: benign unless the port is in the DPRK).
        #[serde(default)]
        benign: Option<bool>,
    },
    /// A second vessel broadcasts the victim's MMSI (and name and IMO) for a while.
    MmsiSpoof {
        /// Label.
        label: String,
        /// The vessel that transmits the stolen identity.
        vessel: String,
        /// The vessel whose identity is stolen.
        victim: String,
        /// Start, hours.
        start_h: f64,
        /// Length, hours.
        hours: f64,
    },
    /// From a time on, the vessel broadcasts a different IMO number (forged or another ship's).
    ForgedImo {
        /// Label.
        label: String,
        /// The vessel.
        vessel: String,
        /// The IMO number broadcast from then on.
        imo: u32,
        /// When, hours.
        at_h: f64,
    },
    /// From a time on, the vessel broadcasts a new name.
    Rename {
        /// Label.
        label: String,
        /// The vessel.
        vessel: String,
        /// New name.
        name: String,
        /// When, hours.
        at_h: f64,
    },
    /// The vessel broadcasts a false position (fixed or circling) while it is elsewhere.
    PositionSpoof {
        /// Label.
        label: String,
        /// The vessel.
        vessel: String,
        /// Mode.
        mode: SpoofMode,
        /// False latitude.
        lat: f64,
        /// False longitude.
        lon: f64,
        /// Circle radius, metres.
        #[serde(default = "default_circle")]
        radius_m: f64,
        /// Start, hours.
        start_h: f64,
        /// Length, hours.
        hours: f64,
    },
    /// Benign: a small craft (bunker barge, tug, pilot boat) alongside a ship in port.
    InPortAlongside {
        /// Label (`bunkering_in_port`, `tug_alongside`, ...).
        label: String,
        /// `[ship, small craft]`.
        vessels: [String; 2],
        /// Port name.
        port: String,
        /// Start, hours.
        start_h: f64,
        /// Length, hours.
        hours: f64,
    },
    /// Benign: several ships anchored near each other at an anchorage.
    AnchorageWait {
        /// Label.
        label: String,
        /// The ships.
        vessels: Vec<String>,
        /// Anchorage name.
        anchorage: String,
        /// Start, hours.
        start_h: f64,
        /// Length, hours.
        hours: f64,
    },
    /// Benign: fishing vessels trawling slowly together at sea.
    FishingFleet {
        /// Label.
        label: String,
        /// The fishing vessels.
        vessels: Vec<String>,
        /// Latitude of the ground.
        lat: f64,
        /// Longitude of the ground.
        lon: f64,
        /// Start, hours.
        start_h: f64,
        /// Length, hours.
        hours: f64,
        /// Trawling speed, knots.
        #[serde(default = "default_trawl")]
        speed_kn: f64,
    },
}

fn default_alongside() -> f64 {
    60.0
}
fn default_dark_side() -> DarkSide {
    DarkSide::None
}
fn default_dark_margin() -> f64 {
    3.0
}
fn default_circle() -> f64 {
    2000.0
}
fn default_trawl() -> f64 {
    2.5
}

impl Script {
    /// The script's label.
    pub fn label(&self) -> &str {
        match self {
            Script::Sts { label, .. }
            | Script::Dark { label, .. }
            | Script::PortCall { label, .. }
            | Script::MmsiSpoof { label, .. }
            | Script::ForgedImo { label, .. }
            | Script::Rename { label, .. }
            | Script::PositionSpoof { label, .. }
            | Script::InPortAlongside { label, .. }
            | Script::AnchorageWait { label, .. }
            | Script::FishingFleet { label, .. } => label,
        }
    }
}
