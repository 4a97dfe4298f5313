//! Typed AIS messages and their decoding from payload bits (ITU-R M.1371-5).
//!
//! Field names follow gpsd's JSON (`speed`, `course`, `shipname`…) so `embargo decode` output can be
//! compared with `gpsdecode`. Every "not available" sentinel is `None`; so is any value outside the
//! field's valid range (a latitude of 100° is as unusable as the 91° sentinel).

use serde::Serialize;

use crate::sixbit::Bits;
use crate::text::AisText;
use crate::RejectReason;

/// Vessel name, AtoN name or destination (20 six-bit characters).
pub type Name = AisText<20>;
/// Call sign (7 characters).
pub type CallSign = AisText<7>;
/// Type 24 vendor id (3 characters).
pub type VendorId = AisText<3>;
/// Type 21 name with its extension (20 + 14 characters).
pub type AtonName = AisText<34>;

/// One decoded AIS message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Message {
    /// Types 1, 2, 3: Class A position report.
    PositionReportA(PositionReportA),
    /// Types 4 and 11: base station report / UTC date response.
    BaseStation(BaseStation),
    /// Type 5: Class A static and voyage data.
    StaticVoyage(StaticVoyage),
    /// Type 9: SAR aircraft position report.
    SarAircraft(SarAircraft),
    /// Type 18: Class B position report.
    PositionReportB(PositionReportB),
    /// Type 19: extended Class B position report.
    ExtendedB(ExtendedB),
    /// Type 21: aid-to-navigation report.
    AidToNavigation(AidToNavigation),
    /// Type 24 part A or B: Class B static data.
    StaticDataB(StaticDataB),
    /// Type 27: long-range broadcast.
    LongRange(LongRange),
    /// Any other valid type (6, 7, 8, 10, 12–17, 20, 22, 23, 25, 26): counted but not decoded.
    Other(OtherMessage),
}

/// A message of a type this crate does not decode field by field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtherMessage {
    /// Message type (1–27).
    #[serde(rename = "type")]
    pub msg_type: u8,
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The whole payload, for callers that want to decode it themselves.
    #[serde(rename = "data")]
    pub bits: Bits,
}

/// Types 1, 2 and 3: Class A position report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PositionReportA {
    /// 1, 2 or 3.
    #[serde(rename = "type")]
    pub msg_type: u8,
    /// Repeat indicator (0–3).
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Navigational status (0–15; 15 = not defined, kept as is).
    pub status: u8,
    /// Raw rate of turn ROT_AIS (−127..127); `None` for −128 (not available).
    pub turn: Option<i8>,
    /// Speed over ground, knots; `None` for 102.3 (not available). 102.2 means ≥ 102.2.
    pub speed: Option<f32>,
    /// Position accuracy flag (true = high, < 10 m).
    pub accuracy: bool,
    /// Longitude, degrees; `None` for 181 or out of range.
    pub lon: Option<f64>,
    /// Latitude, degrees; `None` for 91 or out of range.
    pub lat: Option<f64>,
    /// Course over ground, degrees; `None` for 360 or more.
    pub course: Option<f32>,
    /// True heading, degrees; `None` for 511 or out of range.
    pub heading: Option<u16>,
    /// UTC second of the fix; `None` for 60 (not available). 61–63 are mode codes, kept.
    pub second: Option<u8>,
    /// Special manoeuvre indicator (0–2).
    pub maneuver: u8,
    /// RAIM flag.
    pub raim: bool,
    /// Radio status (19 bits).
    pub radio: u32,
}

/// Types 4 and 11: base station report (4) or UTC/date response (11).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaseStation {
    /// 4 or 11.
    #[serde(rename = "type")]
    pub msg_type: u8,
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// UTC year; `None` for 0.
    pub year: Option<u16>,
    /// UTC month; `None` for 0 or > 12.
    pub month: Option<u8>,
    /// UTC day; `None` for 0.
    pub day: Option<u8>,
    /// UTC hour; `None` for 24 or more.
    pub hour: Option<u8>,
    /// UTC minute; `None` for 60 or more.
    pub minute: Option<u8>,
    /// UTC second; `None` for 60 or more.
    pub second: Option<u8>,
    /// Position accuracy flag.
    pub accuracy: bool,
    /// Longitude, degrees.
    pub lon: Option<f64>,
    /// Latitude, degrees.
    pub lat: Option<f64>,
    /// Type of position fixing device (0 = undefined).
    pub epfd: u8,
    /// RAIM flag.
    pub raim: bool,
    /// Radio status (19 bits).
    pub radio: u32,
}

/// Type 5: Class A static and voyage related data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaticVoyage {
    /// Always 5.
    #[serde(rename = "type")]
    pub msg_type: u8,
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// AIS version indicator (0–3).
    pub ais_version: u8,
    /// IMO number; `None` for 0.
    pub imo: Option<u32>,
    /// Call sign.
    pub callsign: Option<CallSign>,
    /// Vessel name.
    pub shipname: Option<Name>,
    /// Ship and cargo type; `None` for 0.
    pub shiptype: Option<u8>,
    /// Dimension to bow, metres; `None` for 0.
    pub to_bow: Option<u16>,
    /// Dimension to stern, metres; `None` for 0.
    pub to_stern: Option<u16>,
    /// Dimension to port, metres; `None` for 0.
    pub to_port: Option<u8>,
    /// Dimension to starboard, metres; `None` for 0.
    pub to_starboard: Option<u8>,
    /// Type of position fixing device.
    pub epfd: u8,
    /// ETA month; `None` for 0 or > 12.
    pub month: Option<u8>,
    /// ETA day; `None` for 0.
    pub day: Option<u8>,
    /// ETA hour; `None` for 24 or more.
    pub hour: Option<u8>,
    /// ETA minute; `None` for 60 or more.
    pub minute: Option<u8>,
    /// Draught, metres; `None` for 0.
    pub draught: Option<f32>,
    /// Destination.
    pub destination: Option<Name>,
    /// Data terminal equipment flag (false = ready).
    pub dte: bool,
}

/// Type 9: standard SAR aircraft position report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SarAircraft {
    /// Always 9.
    #[serde(rename = "type")]
    pub msg_type: u8,
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Altitude, metres; `None` for 4095. 4094 means ≥ 4094.
    pub alt: Option<u16>,
    /// Speed over ground, knots; `None` for 1023. 1022 means ≥ 1022.
    pub speed: Option<u16>,
    /// Position accuracy flag.
    pub accuracy: bool,
    /// Longitude, degrees.
    pub lon: Option<f64>,
    /// Latitude, degrees.
    pub lat: Option<f64>,
    /// Course over ground, degrees.
    pub course: Option<f32>,
    /// UTC second; `None` for 60.
    pub second: Option<u8>,
    /// Regional reserved bits.
    pub regional: u8,
    /// DTE flag.
    pub dte: bool,
    /// Assigned-mode flag.
    pub assigned: bool,
    /// RAIM flag.
    pub raim: bool,
    /// Radio status (20 bits).
    pub radio: u32,
}

/// Type 18: standard Class B position report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PositionReportB {
    /// Always 18.
    #[serde(rename = "type")]
    pub msg_type: u8,
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Regional reserved (8 bits).
    pub reserved: u8,
    /// Speed over ground, knots.
    pub speed: Option<f32>,
    /// Position accuracy flag.
    pub accuracy: bool,
    /// Longitude, degrees.
    pub lon: Option<f64>,
    /// Latitude, degrees.
    pub lat: Option<f64>,
    /// Course over ground, degrees.
    pub course: Option<f32>,
    /// True heading, degrees.
    pub heading: Option<u16>,
    /// UTC second; `None` for 60.
    pub second: Option<u8>,
    /// Regional reserved (2 bits).
    pub regional: u8,
    /// Class B unit flag (true = carrier-sense unit).
    pub cs: bool,
    /// Display flag.
    pub display: bool,
    /// DSC flag.
    pub dsc: bool,
    /// Band flag.
    pub band: bool,
    /// Message 22 flag.
    pub msg22: bool,
    /// Assigned-mode flag.
    pub assigned: bool,
    /// RAIM flag.
    pub raim: bool,
    /// Radio status (20 bits).
    pub radio: u32,
}

/// Type 19: extended Class B position report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtendedB {
    /// Always 19.
    #[serde(rename = "type")]
    pub msg_type: u8,
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Regional reserved (8 bits).
    pub reserved: u8,
    /// Speed over ground, knots.
    pub speed: Option<f32>,
    /// Position accuracy flag.
    pub accuracy: bool,
    /// Longitude, degrees.
    pub lon: Option<f64>,
    /// Latitude, degrees.
    pub lat: Option<f64>,
    /// Course over ground, degrees.
    pub course: Option<f32>,
    /// True heading, degrees.
    pub heading: Option<u16>,
    /// UTC second; `None` for 60.
    pub second: Option<u8>,
    /// Regional reserved (4 bits).
    pub regional: u8,
    /// Vessel name.
    pub shipname: Option<Name>,
    /// Ship and cargo type; `None` for 0.
    pub shiptype: Option<u8>,
    /// Dimension to bow, metres.
    pub to_bow: Option<u16>,
    /// Dimension to stern, metres.
    pub to_stern: Option<u16>,
    /// Dimension to port, metres.
    pub to_port: Option<u8>,
    /// Dimension to starboard, metres.
    pub to_starboard: Option<u8>,
    /// Type of position fixing device.
    pub epfd: u8,
    /// RAIM flag.
    pub raim: bool,
    /// DTE flag.
    pub dte: bool,
    /// Assigned-mode flag.
    pub assigned: bool,
}

/// Type 21: aid-to-navigation report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AidToNavigation {
    /// Always 21.
    #[serde(rename = "type")]
    pub msg_type: u8,
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Aid type (0–31).
    pub aid_type: u8,
    /// Name, including the name extension when present.
    pub name: Option<AtonName>,
    /// Position accuracy flag.
    pub accuracy: bool,
    /// Longitude, degrees.
    pub lon: Option<f64>,
    /// Latitude, degrees.
    pub lat: Option<f64>,
    /// Dimension to bow, metres.
    pub to_bow: Option<u16>,
    /// Dimension to stern, metres.
    pub to_stern: Option<u16>,
    /// Dimension to port, metres.
    pub to_port: Option<u8>,
    /// Dimension to starboard, metres.
    pub to_starboard: Option<u8>,
    /// Type of position fixing device.
    pub epfd: u8,
    /// UTC second; `None` for 60.
    pub second: Option<u8>,
    /// Off-position indicator.
    pub off_position: bool,
    /// Regional reserved.
    pub regional: u8,
    /// RAIM flag.
    pub raim: bool,
    /// Virtual-aid flag.
    pub virtual_aid: bool,
    /// Assigned-mode flag.
    pub assigned: bool,
}

/// Type 24: Class B static data, part A (name) or part B (type, call sign, dimensions).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaticDataB {
    /// Always 24.
    #[serde(rename = "type")]
    pub msg_type: u8,
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The part's content.
    #[serde(flatten)]
    pub part: StaticDataBPart,
}

/// The two parts of a type 24 message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum StaticDataBPart {
    /// Part A (part number 0): the vessel name.
    A {
        /// Vessel name.
        shipname: Option<Name>,
    },
    /// Part B (part number 1).
    B {
        /// Ship and cargo type; `None` for 0.
        shiptype: Option<u8>,
        /// Vendor id (3 characters).
        vendorid: Option<VendorId>,
        /// Unit model code.
        model: u8,
        /// Unit serial number.
        serial: u32,
        /// Call sign.
        callsign: Option<CallSign>,
        /// Dimensions, or the mother ship's MMSI for auxiliary craft (MMSI 98xxxxxxx).
        #[serde(flatten)]
        dims: Type24Dims,
    },
}

/// Part B carries either dimensions or, for an auxiliary craft, its mother ship's MMSI.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Type24Dims {
    /// Dimensions of an ordinary vessel, metres; 0 becomes `None`.
    Dimensions {
        /// Dimension to bow.
        to_bow: Option<u16>,
        /// Dimension to stern.
        to_stern: Option<u16>,
        /// Dimension to port.
        to_port: Option<u8>,
        /// Dimension to starboard.
        to_starboard: Option<u8>,
    },
    /// Auxiliary craft: the mother ship's MMSI.
    MothershipMmsi {
        /// Mother ship MMSI.
        mothership_mmsi: u32,
    },
}

/// Type 27: long-range AIS broadcast (satellite).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LongRange {
    /// Always 27.
    #[serde(rename = "type")]
    pub msg_type: u8,
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Position accuracy flag.
    pub accuracy: bool,
    /// RAIM flag.
    pub raim: bool,
    /// Navigational status.
    pub status: u8,
    /// Longitude, degrees (1/10 minute resolution).
    pub lon: Option<f64>,
    /// Latitude, degrees.
    pub lat: Option<f64>,
    /// Speed over ground, knots; `None` for 63.
    pub speed: Option<u8>,
    /// Course over ground, degrees; `None` for 511 or ≥ 360.
    pub course: Option<u16>,
    /// GNSS position latency flag (false = current GNSS position).
    pub gnss: bool,
}

impl Message {
    /// The AIS message type (1–27).
    pub fn msg_type(&self) -> u8 {
        match self {
            Message::PositionReportA(m) => m.msg_type,
            Message::BaseStation(m) => m.msg_type,
            Message::StaticVoyage(m) => m.msg_type,
            Message::SarAircraft(m) => m.msg_type,
            Message::PositionReportB(m) => m.msg_type,
            Message::ExtendedB(m) => m.msg_type,
            Message::AidToNavigation(m) => m.msg_type,
            Message::StaticDataB(m) => m.msg_type,
            Message::LongRange(m) => m.msg_type,
            Message::Other(m) => m.msg_type,
        }
    }

    /// The source MMSI.
    pub fn mmsi(&self) -> u32 {
        match self {
            Message::PositionReportA(m) => m.mmsi,
            Message::BaseStation(m) => m.mmsi,
            Message::StaticVoyage(m) => m.mmsi,
            Message::SarAircraft(m) => m.mmsi,
            Message::PositionReportB(m) => m.mmsi,
            Message::ExtendedB(m) => m.mmsi,
            Message::AidToNavigation(m) => m.mmsi,
            Message::StaticDataB(m) => m.mmsi,
            Message::LongRange(m) => m.mmsi,
            Message::Other(m) => m.mmsi,
        }
    }

    /// True for types this crate decodes field by field (everything but [`Message::Other`]).
    pub fn is_decoded(&self) -> bool {
        !matches!(self, Message::Other(_))
    }

    /// `(lat, lon)` when the message carries a valid position.
    pub fn position(&self) -> Option<(f64, f64)> {
        let (lat, lon) = match self {
            Message::PositionReportA(m) => (m.lat, m.lon),
            Message::BaseStation(m) => (m.lat, m.lon),
            Message::SarAircraft(m) => (m.lat, m.lon),
            Message::PositionReportB(m) => (m.lat, m.lon),
            Message::ExtendedB(m) => (m.lat, m.lon),
            Message::AidToNavigation(m) => (m.lat, m.lon),
            Message::LongRange(m) => (m.lat, m.lon),
            _ => return None,
        };
        Some((lat?, lon?))
    }
}

/// Accepted payload length in bits, per type, as `(min, max)`.
///
/// Mirrors gpsd and libais: exact sizes where the standard fixes them, with the tolerances real
/// transmitters need (type 5 sent as 420 bits, type 24A as 168, type 27 padded to 168). Satellite
/// feeds carry many payloads with a valid checksum and an impossible length; these are rejected.
pub fn length_bounds(msg_type: u8) -> Option<(usize, usize)> {
    Some(match msg_type {
        1..=3 => (168, 168),
        4 | 11 => (168, 168),
        5 => (420, 426),
        9 => (168, 168),
        18 => (168, 168),
        19 => (312, 312),
        // 360 is the standard's maximum; gpsd's sample has a real 368-bit one (byte padding).
        21 => (272, 368),
        24 => (160, 168),
        27 => (96, 168),
        // Types not decoded here: they must at least hold type, repeat and MMSI and fit in 5 slots.
        6..=8 | 10 | 12..=17 | 20 | 22 | 23 | 25 | 26 => (38, 1008),
        _ => return None,
    })
}

// Helpers turning raw fields into values, with sentinels and out-of-range values as None.

#[inline]
fn lon_1_10000_min(raw: i64) -> Option<f64> {
    let deg = raw as f64 / 600_000.0;
    (-180.0..=180.0).contains(&deg).then_some(deg)
}
#[inline]
fn lat_1_10000_min(raw: i64) -> Option<f64> {
    let deg = raw as f64 / 600_000.0;
    (-90.0..=90.0).contains(&deg).then_some(deg)
}
#[inline]
fn speed_tenths(raw: u64) -> Option<f32> {
    (raw < 1023).then(|| raw as f32 / 10.0)
}
#[inline]
fn course_tenths(raw: u64) -> Option<f32> {
    (raw < 3600).then(|| raw as f32 / 10.0)
}
#[inline]
fn heading(raw: u64) -> Option<u16> {
    (raw < 360).then_some(raw as u16)
}
#[inline]
fn second(raw: u64) -> Option<u8> {
    (raw != 60).then_some(raw as u8)
}
#[inline]
fn nonzero_u8(raw: u64) -> Option<u8> {
    (raw != 0).then_some(raw as u8)
}
#[inline]
fn nonzero_u16(raw: u64) -> Option<u16> {
    (raw != 0).then_some(raw as u16)
}
#[inline]
fn below_u8(raw: u64, limit: u64) -> Option<u8> {
    (raw < limit).then_some(raw as u8)
}
#[inline]
fn month(raw: u64) -> Option<u8> {
    (1..=12).contains(&raw).then_some(raw as u8)
}

/// Decodes a complete payload. The bit length must already be within [`length_bounds`]; fields
/// past the end of a shorter-than-maximum payload (type 21 name extension) are handled here.
pub fn decode_bits(bits: &Bits) -> Result<Message, RejectReason> {
    if bits.len() < 6 {
        return Err(RejectReason::BadLength);
    }
    let msg_type = bits.get(0, 6) as u8;
    let (min, max) = length_bounds(msg_type).ok_or(RejectReason::InvalidType)?;
    let len = bits.len();
    if len < min || len > max {
        return Err(RejectReason::BadLength);
    }
    let repeat = bits.get(6, 2) as u8;
    let mmsi = bits.get(8, 30) as u32;
    Ok(match msg_type {
        1..=3 => Message::PositionReportA(PositionReportA {
            msg_type,
            repeat,
            mmsi,
            status: bits.get(38, 4) as u8,
            turn: {
                let t = bits.get_signed(42, 8);
                (t != -128).then_some(t as i8)
            },
            speed: speed_tenths(bits.get(50, 10)),
            accuracy: bits.get_bool(60),
            lon: lon_1_10000_min(bits.get_signed(61, 28)),
            lat: lat_1_10000_min(bits.get_signed(89, 27)),
            course: course_tenths(bits.get(116, 12)),
            heading: heading(bits.get(128, 9)),
            second: second(bits.get(137, 6)),
            maneuver: bits.get(143, 2) as u8,
            raim: bits.get_bool(148),
            radio: bits.get(149, 19) as u32,
        }),
        4 | 11 => Message::BaseStation(BaseStation {
            msg_type,
            repeat,
            mmsi,
            year: nonzero_u16(bits.get(38, 14)),
            month: month(bits.get(52, 4)),
            day: nonzero_u8(bits.get(56, 5)),
            hour: below_u8(bits.get(61, 5), 24),
            minute: below_u8(bits.get(66, 6), 60),
            second: below_u8(bits.get(72, 6), 60),
            accuracy: bits.get_bool(78),
            lon: lon_1_10000_min(bits.get_signed(79, 28)),
            lat: lat_1_10000_min(bits.get_signed(107, 27)),
            epfd: bits.get(134, 4) as u8,
            raim: bits.get_bool(148),
            radio: bits.get(149, 19) as u32,
        }),
        5 => Message::StaticVoyage(StaticVoyage {
            msg_type,
            repeat,
            mmsi,
            ais_version: bits.get(38, 2) as u8,
            imo: {
                let imo = bits.get(40, 30) as u32;
                (imo != 0).then_some(imo)
            },
            callsign: bits.get_text::<7>(70, 7).non_empty(),
            shipname: bits.get_text::<20>(112, 20).non_empty(),
            shiptype: nonzero_u8(bits.get(232, 8)),
            to_bow: nonzero_u16(bits.get(240, 9)),
            to_stern: nonzero_u16(bits.get(249, 9)),
            to_port: nonzero_u8(bits.get(258, 6)),
            to_starboard: nonzero_u8(bits.get(264, 6)),
            epfd: bits.get(270, 4) as u8,
            month: month(bits.get(274, 4)),
            day: nonzero_u8(bits.get(278, 5)),
            hour: below_u8(bits.get(283, 5), 24),
            minute: below_u8(bits.get(288, 6), 60),
            draught: {
                let d = bits.get(294, 8);
                (d != 0).then(|| d as f32 / 10.0)
            },
            destination: bits.get_text::<20>(302, 20).non_empty(),
            // A 420-bit type 5 lacks the DTE bit; absent reads as 0 (ready), gpsd's choice too.
            dte: bits.get_bool(422) && len > 422,
        }),
        9 => Message::SarAircraft(SarAircraft {
            msg_type,
            repeat,
            mmsi,
            alt: {
                let a = bits.get(38, 12);
                (a != 4095).then_some(a as u16)
            },
            speed: {
                let s = bits.get(50, 10);
                (s != 1023).then_some(s as u16)
            },
            accuracy: bits.get_bool(60),
            lon: lon_1_10000_min(bits.get_signed(61, 28)),
            lat: lat_1_10000_min(bits.get_signed(89, 27)),
            course: course_tenths(bits.get(116, 12)),
            second: second(bits.get(128, 6)),
            regional: bits.get(134, 8) as u8,
            dte: bits.get_bool(142),
            assigned: bits.get_bool(146),
            raim: bits.get_bool(147),
            radio: bits.get(148, 20) as u32,
        }),
        18 => Message::PositionReportB(PositionReportB {
            msg_type,
            repeat,
            mmsi,
            reserved: bits.get(38, 8) as u8,
            speed: speed_tenths(bits.get(46, 10)),
            accuracy: bits.get_bool(56),
            lon: lon_1_10000_min(bits.get_signed(57, 28)),
            lat: lat_1_10000_min(bits.get_signed(85, 27)),
            course: course_tenths(bits.get(112, 12)),
            heading: heading(bits.get(124, 9)),
            second: second(bits.get(133, 6)),
            regional: bits.get(139, 2) as u8,
            cs: bits.get_bool(141),
            display: bits.get_bool(142),
            dsc: bits.get_bool(143),
            band: bits.get_bool(144),
            msg22: bits.get_bool(145),
            assigned: bits.get_bool(146),
            raim: bits.get_bool(147),
            radio: bits.get(148, 20) as u32,
        }),
        19 => Message::ExtendedB(ExtendedB {
            msg_type,
            repeat,
            mmsi,
            reserved: bits.get(38, 8) as u8,
            speed: speed_tenths(bits.get(46, 10)),
            accuracy: bits.get_bool(56),
            lon: lon_1_10000_min(bits.get_signed(57, 28)),
            lat: lat_1_10000_min(bits.get_signed(85, 27)),
            course: course_tenths(bits.get(112, 12)),
            heading: heading(bits.get(124, 9)),
            second: second(bits.get(133, 6)),
            regional: bits.get(139, 4) as u8,
            shipname: bits.get_text::<20>(143, 20).non_empty(),
            shiptype: nonzero_u8(bits.get(263, 8)),
            to_bow: nonzero_u16(bits.get(271, 9)),
            to_stern: nonzero_u16(bits.get(280, 9)),
            to_port: nonzero_u8(bits.get(289, 6)),
            to_starboard: nonzero_u8(bits.get(295, 6)),
            epfd: bits.get(301, 4) as u8,
            raim: bits.get_bool(305),
            dte: bits.get_bool(306),
            assigned: bits.get_bool(307),
        }),
        21 => {
            let mut name = AtonName::new();
            // The name extension (whole 6-bit characters after bit 272) continues a name that
            // fills all 20 characters of the name field.
            if bits.append_text(&mut name, 43, 20) && len >= 278 {
                bits.append_text(&mut name, 272, ((len - 272) / 6).min(14));
            }
            name.trim_padding();
            Message::AidToNavigation(AidToNavigation {
                msg_type,
                repeat,
                mmsi,
                aid_type: bits.get(38, 5) as u8,
                name: name.non_empty(),
                accuracy: bits.get_bool(163),
                lon: lon_1_10000_min(bits.get_signed(164, 28)),
                lat: lat_1_10000_min(bits.get_signed(192, 27)),
                to_bow: nonzero_u16(bits.get(219, 9)),
                to_stern: nonzero_u16(bits.get(228, 9)),
                to_port: nonzero_u8(bits.get(237, 6)),
                to_starboard: nonzero_u8(bits.get(243, 6)),
                epfd: bits.get(249, 4) as u8,
                second: second(bits.get(253, 6)),
                off_position: bits.get_bool(259),
                regional: bits.get(260, 8) as u8,
                raim: bits.get_bool(268),
                virtual_aid: bits.get_bool(269),
                assigned: bits.get_bool(270),
            })
        }
        24 => {
            let part = match bits.get(38, 2) {
                0 => StaticDataBPart::A {
                    shipname: bits.get_text::<20>(40, 20).non_empty(),
                },
                1 => {
                    if len < 168 {
                        return Err(RejectReason::BadLength);
                    }
                    let dims = if mmsi / 10_000_000 == 98 {
                        Type24Dims::MothershipMmsi {
                            mothership_mmsi: bits.get(132, 30) as u32,
                        }
                    } else {
                        Type24Dims::Dimensions {
                            to_bow: nonzero_u16(bits.get(132, 9)),
                            to_stern: nonzero_u16(bits.get(141, 9)),
                            to_port: nonzero_u8(bits.get(150, 6)),
                            to_starboard: nonzero_u8(bits.get(156, 6)),
                        }
                    };
                    StaticDataBPart::B {
                        shiptype: nonzero_u8(bits.get(40, 8)),
                        vendorid: bits.get_text::<3>(48, 3).non_empty(),
                        model: bits.get(66, 4) as u8,
                        serial: bits.get(70, 20) as u32,
                        callsign: bits.get_text::<7>(90, 7).non_empty(),
                        dims,
                    }
                }
                // Part numbers 2 and 3 are not defined by the standard.
                _ => return Err(RejectReason::Malformed),
            };
            Message::StaticDataB(StaticDataB {
                msg_type,
                repeat,
                mmsi,
                part,
            })
        }
        27 => Message::LongRange(LongRange {
            msg_type,
            repeat,
            mmsi,
            accuracy: bits.get_bool(38),
            raim: bits.get_bool(39),
            status: bits.get(40, 4) as u8,
            lon: {
                let raw = bits.get_signed(44, 18);
                let deg = raw as f64 / 600.0;
                (-180.0..=180.0).contains(&deg).then_some(deg)
            },
            lat: {
                let raw = bits.get_signed(62, 17);
                let deg = raw as f64 / 600.0;
                (-90.0..=90.0).contains(&deg).then_some(deg)
            },
            speed: below_u8(bits.get(79, 6), 63),
            course: {
                let c = bits.get(85, 9);
                (c < 360).then_some(c as u16)
            },
            gnss: bits.get_bool(94),
        }),
        _ => Message::Other(OtherMessage {
            msg_type,
            repeat,
            mmsi,
            bits: bits.clone(),
        }),
    })
}
