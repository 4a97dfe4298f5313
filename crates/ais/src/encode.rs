//! Encoding messages back to 6-bit payloads and complete NMEA sentences.
//!
//! The simulator writes synthetic feeds with it, and the round-trip property tests check that
//! `decode(encode(m)) == m` for every decoded type. `None` fields are written as the standard's
//! "not available" sentinels; numbers are rounded to the field's resolution and clamped to its
//! range.
//!
//! ```
//! use ais::encode::{sentences, EncodeOptions, TagBlock};
//! use ais::{Decoder, DecoderOptions, Feed};
//! # let msg = match Decoder::new(DecoderOptions::default())
//! #     .feed(b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A") { Feed::Decoded(d) => d.message, _ => unreachable!() };
//! let opts = EncodeOptions {
//!     tag_block: Some(TagBlock { time_s: Some(1_700_000_000), station: Some("sim1".into()), group_id: None }),
//!     ..EncodeOptions::default()
//! };
//! let lines = sentences(&msg, &opts);
//! assert!(lines[0].starts_with("\\s:sim1,c:1700000000*"));
//! ```

use crate::message::*;
use crate::nmea::xor_checksum;
use crate::sixbit::Bits;

/// IEC 61162-450 tag block to prefix sentences with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagBlock {
    /// `c:` reception time, Unix seconds.
    pub time_s: Option<i64>,
    /// `s:` source station.
    pub station: Option<String>,
    /// `g:` group id for multipart messages; when set, every fragment carries
    /// `g:<n>-<total>-<id>` and only the first carries `s:`/`c:` (as satellite feeds do). When
    /// unset, every fragment carries `s:`/`c:` and assembly falls back to the sequence id.
    pub group_id: Option<u32>,
}

/// How to wrap a payload into sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Two-character talker (`AI`, `AB`, `BS`…).
    pub talker: String,
    /// Channel character (`A`/`B`), or none.
    pub channel: Option<char>,
    /// Sequential message id (0–9) for multipart messages; `None` writes an empty field for single
    /// sentences and 0 for multipart ones.
    pub seq_id: Option<u8>,
    /// Write `VDO` (own ship) instead of `VDM`.
    pub own_ship: bool,
    /// Optional tag block.
    pub tag_block: Option<TagBlock>,
    /// Most payload characters per sentence (the usual 60 keeps lines within 82 characters);
    /// raised when needed so that a message never takes more than 9 fragments.
    pub max_payload_chars: usize,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        Self {
            talker: "AI".to_string(),
            channel: Some('A'),
            seq_id: None,
            own_ship: false,
            tag_block: None,
            max_payload_chars: 60,
        }
    }
}

/// Encodes a message into complete NMEA sentences (one per line, without line terminator).
pub fn sentences(msg: &Message, opts: &EncodeOptions) -> Vec<String> {
    let (payload, fill) = to_bits(msg).to_armored();
    sentences_for_payload(&payload, fill, opts)
}

/// The armoured payload and fill-bit count of a message.
pub fn payload(msg: &Message) -> (String, u8) {
    to_bits(msg).to_armored()
}

/// Wraps an armoured payload into sentences, splitting it into fragments when needed.
pub fn sentences_for_payload(payload: &str, fill: u8, opts: &EncodeOptions) -> Vec<String> {
    // NMEA allows at most 9 fragments: widen them rather than drop payload.
    let max = opts.max_payload_chars.max(1).max(payload.len().div_ceil(9));
    let chunks: Vec<&str> = if payload.is_empty() {
        vec![""]
    } else {
        payload
            .as_bytes()
            .chunks(max)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect()
    };
    let total = chunks.len().min(9);
    let formatter = if opts.own_ship { "VDO" } else { "VDM" };
    let seq = match (total, opts.seq_id) {
        (1, None) => String::new(),
        (_, s) => (s.unwrap_or(0) % 10).to_string(),
    };
    let channel = opts.channel.map(String::from).unwrap_or_default();
    let mut out = Vec::with_capacity(total);
    for (i, chunk) in chunks.iter().take(total).enumerate() {
        let f = if i + 1 == total { fill } else { 0 };
        let body = format!(
            "{}{},{},{},{},{},{},{}",
            opts.talker,
            formatter,
            total,
            i + 1,
            seq,
            channel,
            chunk,
            f
        );
        let sentence = format!("!{}*{:02X}", body, xor_checksum(body.as_bytes()));
        match &opts.tag_block {
            None => out.push(sentence),
            Some(tb) => {
                let mut fields: Vec<String> = Vec::new();
                if total > 1 {
                    if let Some(id) = tb.group_id {
                        fields.push(format!("g:{}-{}-{}", i + 1, total, id));
                    }
                }
                if i == 0 || tb.group_id.is_none() || total == 1 {
                    if let Some(s) = &tb.station {
                        fields.push(format!("s:{s}"));
                    }
                    if let Some(t) = tb.time_s {
                        fields.push(format!("c:{t}"));
                    }
                }
                if fields.is_empty() {
                    out.push(sentence);
                } else {
                    let content = fields.join(",");
                    out.push(format!(
                        "\\{}*{:02X}\\{}",
                        content,
                        xor_checksum(content.as_bytes()),
                        sentence
                    ));
                }
            }
        }
    }
    out
}

fn lon_raw(v: Option<f64>) -> i64 {
    match v {
        Some(d) if d.is_finite() => (d.clamp(-180.0, 180.0) * 600_000.0).round() as i64,
        _ => 181 * 600_000,
    }
}
fn lat_raw(v: Option<f64>) -> i64 {
    match v {
        Some(d) if d.is_finite() => (d.clamp(-90.0, 90.0) * 600_000.0).round() as i64,
        _ => 91 * 600_000,
    }
}
fn tenths(v: Option<f32>, na: u64, max: u64) -> u64 {
    match v {
        Some(x) if x.is_finite() && x >= 0.0 => ((x * 10.0).round() as u64).min(max),
        _ => na,
    }
}
fn or_u(v: Option<impl Into<u64>>, na: u64) -> u64 {
    v.map(Into::into).unwrap_or(na)
}
fn push_signed(b: &mut Bits, v: i64, n: usize) {
    b.push(v as u64, n);
}
fn header(b: &mut Bits, msg_type: u8, repeat: u8, mmsi: u32) {
    b.push(msg_type as u64, 6);
    b.push(repeat as u64, 2);
    b.push(mmsi as u64, 30);
}
fn text_or_empty<const N: usize>(t: &Option<crate::text::AisText<N>>) -> &str {
    t.as_ref().map(|t| t.as_str()).unwrap_or("")
}

/// Encodes a message into payload bits.
pub fn to_bits(msg: &Message) -> Bits {
    let mut b = Bits::new();
    match msg {
        Message::PositionReportA(m) => {
            header(&mut b, m.msg_type, m.repeat, m.mmsi);
            b.push(m.status as u64, 4);
            push_signed(&mut b, m.turn.map(i64::from).unwrap_or(-128), 8);
            b.push(tenths(m.speed, 1023, 1022), 10);
            b.push(m.accuracy as u64, 1);
            push_signed(&mut b, lon_raw(m.lon), 28);
            push_signed(&mut b, lat_raw(m.lat), 27);
            b.push(tenths(m.course, 3600, 3599), 12);
            b.push(or_u(m.heading, 511), 9);
            b.push(or_u(m.second, 60), 6);
            b.push(m.maneuver as u64, 2);
            b.push(0, 3);
            b.push(m.raim as u64, 1);
            b.push(m.radio as u64, 19);
        }
        Message::BaseStation(m) => {
            header(&mut b, m.msg_type, m.repeat, m.mmsi);
            b.push(or_u(m.year, 0), 14);
            b.push(or_u(m.month, 0), 4);
            b.push(or_u(m.day, 0), 5);
            b.push(or_u(m.hour, 24), 5);
            b.push(or_u(m.minute, 60), 6);
            b.push(or_u(m.second, 60), 6);
            b.push(m.accuracy as u64, 1);
            push_signed(&mut b, lon_raw(m.lon), 28);
            push_signed(&mut b, lat_raw(m.lat), 27);
            b.push(m.epfd as u64, 4);
            b.push(0, 10);
            b.push(m.raim as u64, 1);
            b.push(m.radio as u64, 19);
        }
        Message::StaticVoyage(m) => {
            header(&mut b, m.msg_type, m.repeat, m.mmsi);
            b.push(m.ais_version as u64, 2);
            b.push(or_u(m.imo, 0), 30);
            b.push_text(text_or_empty(&m.callsign), 7);
            b.push_text(text_or_empty(&m.shipname), 20);
            b.push(or_u(m.shiptype, 0), 8);
            b.push(or_u(m.to_bow, 0), 9);
            b.push(or_u(m.to_stern, 0), 9);
            b.push(or_u(m.to_port, 0), 6);
            b.push(or_u(m.to_starboard, 0), 6);
            b.push(m.epfd as u64, 4);
            b.push(or_u(m.month, 0), 4);
            b.push(or_u(m.day, 0), 5);
            b.push(or_u(m.hour, 24), 5);
            b.push(or_u(m.minute, 60), 6);
            b.push(tenths(m.draught, 0, 255), 8);
            b.push_text(text_or_empty(&m.destination), 20);
            b.push(m.dte as u64, 1);
            b.push(0, 1);
        }
        Message::SarAircraft(m) => {
            header(&mut b, m.msg_type, m.repeat, m.mmsi);
            b.push(or_u(m.alt, 4095), 12);
            b.push(or_u(m.speed, 1023), 10);
            b.push(m.accuracy as u64, 1);
            push_signed(&mut b, lon_raw(m.lon), 28);
            push_signed(&mut b, lat_raw(m.lat), 27);
            b.push(tenths(m.course, 3600, 3599), 12);
            b.push(or_u(m.second, 60), 6);
            b.push(m.regional as u64, 8);
            b.push(m.dte as u64, 1);
            b.push(0, 3);
            b.push(m.assigned as u64, 1);
            b.push(m.raim as u64, 1);
            b.push(m.radio as u64, 20);
        }
        Message::PositionReportB(m) => {
            header(&mut b, m.msg_type, m.repeat, m.mmsi);
            b.push(m.reserved as u64, 8);
            b.push(tenths(m.speed, 1023, 1022), 10);
            b.push(m.accuracy as u64, 1);
            push_signed(&mut b, lon_raw(m.lon), 28);
            push_signed(&mut b, lat_raw(m.lat), 27);
            b.push(tenths(m.course, 3600, 3599), 12);
            b.push(or_u(m.heading, 511), 9);
            b.push(or_u(m.second, 60), 6);
            b.push(m.regional as u64, 2);
            for flag in [m.cs, m.display, m.dsc, m.band, m.msg22, m.assigned, m.raim] {
                b.push(flag as u64, 1);
            }
            b.push(m.radio as u64, 20);
        }
        Message::ExtendedB(m) => {
            header(&mut b, m.msg_type, m.repeat, m.mmsi);
            b.push(m.reserved as u64, 8);
            b.push(tenths(m.speed, 1023, 1022), 10);
            b.push(m.accuracy as u64, 1);
            push_signed(&mut b, lon_raw(m.lon), 28);
            push_signed(&mut b, lat_raw(m.lat), 27);
            b.push(tenths(m.course, 3600, 3599), 12);
            b.push(or_u(m.heading, 511), 9);
            b.push(or_u(m.second, 60), 6);
            b.push(m.regional as u64, 4);
            b.push_text(text_or_empty(&m.shipname), 20);
            b.push(or_u(m.shiptype, 0), 8);
            b.push(or_u(m.to_bow, 0), 9);
            b.push(or_u(m.to_stern, 0), 9);
            b.push(or_u(m.to_port, 0), 6);
            b.push(or_u(m.to_starboard, 0), 6);
            b.push(m.epfd as u64, 4);
            b.push(m.raim as u64, 1);
            b.push(m.dte as u64, 1);
            b.push(m.assigned as u64, 1);
            b.push(0, 4);
        }
        Message::AidToNavigation(m) => {
            header(&mut b, m.msg_type, m.repeat, m.mmsi);
            b.push(m.aid_type as u64, 5);
            let name = text_or_empty(&m.name);
            let (head, ext) = name.split_at(name.len().min(20));
            b.push_text(head, 20);
            b.push(m.accuracy as u64, 1);
            push_signed(&mut b, lon_raw(m.lon), 28);
            push_signed(&mut b, lat_raw(m.lat), 27);
            b.push(or_u(m.to_bow, 0), 9);
            b.push(or_u(m.to_stern, 0), 9);
            b.push(or_u(m.to_port, 0), 6);
            b.push(or_u(m.to_starboard, 0), 6);
            b.push(m.epfd as u64, 4);
            b.push(or_u(m.second, 60), 6);
            b.push(m.off_position as u64, 1);
            b.push(m.regional as u64, 8);
            b.push(m.raim as u64, 1);
            b.push(m.virtual_aid as u64, 1);
            b.push(m.assigned as u64, 1);
            b.push(0, 1);
            if !ext.is_empty() {
                let ext = &ext[..ext.len().min(14)];
                b.push_text(ext, ext.len());
            }
        }
        Message::StaticDataB(m) => {
            header(&mut b, m.msg_type, m.repeat, m.mmsi);
            match &m.part {
                StaticDataBPart::A { shipname } => {
                    b.push(0, 2);
                    b.push_text(text_or_empty(shipname), 20);
                }
                StaticDataBPart::B {
                    shiptype,
                    vendorid,
                    model,
                    serial,
                    callsign,
                    dims,
                } => {
                    b.push(1, 2);
                    b.push(or_u(*shiptype, 0), 8);
                    b.push_text(text_or_empty(vendorid), 3);
                    b.push(*model as u64, 4);
                    b.push(*serial as u64, 20);
                    b.push_text(text_or_empty(callsign), 7);
                    match dims {
                        Type24Dims::Dimensions {
                            to_bow,
                            to_stern,
                            to_port,
                            to_starboard,
                        } => {
                            b.push(or_u(*to_bow, 0), 9);
                            b.push(or_u(*to_stern, 0), 9);
                            b.push(or_u(*to_port, 0), 6);
                            b.push(or_u(*to_starboard, 0), 6);
                        }
                        Type24Dims::MothershipMmsi { mothership_mmsi } => {
                            b.push(*mothership_mmsi as u64, 30);
                        }
                    }
                    b.push(0, 6);
                }
            }
        }
        Message::LongRange(m) => {
            header(&mut b, m.msg_type, m.repeat, m.mmsi);
            b.push(m.accuracy as u64, 1);
            b.push(m.raim as u64, 1);
            b.push(m.status as u64, 4);
            let lon = match m.lon {
                Some(d) if d.is_finite() => (d.clamp(-180.0, 180.0) * 600.0).round() as i64,
                _ => 181 * 600,
            };
            let lat = match m.lat {
                Some(d) if d.is_finite() => (d.clamp(-90.0, 90.0) * 600.0).round() as i64,
                _ => 91 * 600,
            };
            push_signed(&mut b, lon, 18);
            push_signed(&mut b, lat, 17);
            b.push(or_u(m.speed, 63), 6);
            b.push(or_u(m.course, 511), 9);
            b.push(m.gnss as u64, 1);
            b.push(0, 1);
        }
        Message::Other(m) => {
            b = m.bits.clone();
        }
    }
    b
}
