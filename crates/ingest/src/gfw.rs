//! Global Fishing Watch gpsdio-segment JSON lines (normalised messages with `ssvid`, `timestamp`, ...).
//!
//! Two flavours exist in GFW's test suite and both are read here:
//! - the v3 regression set (`regr_<ssvid>.json.gz`): one message per line with `type` (`"AIS.1"`,
//!   `"AIS.5"`, ...), position fields, identity fields, and the label `expected` (GFW's segment id);
//!   missing numbers are written as the bare token `NaN`, which is not JSON, so it is read as null;
//! - the older gpsd-JSON subset (`416000000.json.gz`): `ssvid`, `timestamp`, `lat`, `lon`, `course`,
//!   `speed` and, in `segmented-*` files, `segment` (taken as the label too).
//!
//! A message with a position becomes a [`PositionRow`]; one with identity fields and no position
//! (types 5, 19's static half, 24) becomes a [`StaticRow`]. Type 19 carries both, so it yields a
//! position and a static row. Every line is accounted for: a record, or a [`Reject`] naming the
//! line and the reason. Nothing here panics on input.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::Deserialize;
use store::{PositionRow, StaticRow, TransceiverClass};

/// Failure to open or read a file (as opposed to a bad record, which is a [`Reject`]).
#[derive(Debug, thiserror::Error)]
pub enum GfwError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Writing the store failed.
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// Accounting of [`ingest_gfw_files`]: every line of every file is in exactly one count.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct GfwIngestSummary {
    /// Files read.
    pub files: usize,
    /// Lines that became a position row only.
    pub positions: u64,
    /// Lines that became a static row only.
    pub statics: u64,
    /// Lines that became both (type 19).
    pub both: u64,
    /// Lines rejected, by reason (display text of [`RejectReason`] without details).
    pub rejected: std::collections::BTreeMap<String, u64>,
    /// Blank lines skipped.
    pub blank: u64,
}

/// Reads GFW JSON-lines files into the store's `positions` and `static_reports` tables
/// (appending; each file is registered in `sources.json`). The `expected` labels are not stored:
/// read them with [`read_gfw_file`] for evaluation.
pub fn ingest_gfw_files(
    paths: &[std::path::PathBuf],
    store_dir: &Path,
) -> Result<GfwIngestSummary, GfwError> {
    let mut sources = store::Sources::load(store_dir)?;
    let mut pos = store::RowWriter::<PositionRow>::new(store_dir);
    let mut sta = store::RowWriter::<StaticRow>::new(store_dir);
    let mut sum = GfwIngestSummary::default();
    for path in paths {
        let source = sources.register(&path.display().to_string());
        let file = read_gfw_file(path, source)?;
        sum.files += 1;
        sum.blank += file.blank_lines as u64;
        for r in &file.rejects {
            let key = match &r.reason {
                RejectReason::BadJson(_) => "not a JSON object".to_string(),
                other => other.to_string(),
            };
            *sum.rejected.entry(key).or_default() += 1;
        }
        for rec in file.records {
            match rec.payload {
                GfwPayload::Position(p) => {
                    sum.positions += 1;
                    pos.push(p)?;
                }
                GfwPayload::Static(s) => {
                    sum.statics += 1;
                    sta.push(s)?;
                }
                GfwPayload::Both(p, s) => {
                    sum.both += 1;
                    pos.push(p)?;
                    sta.push(s)?;
                }
            }
        }
    }
    pos.finish()?;
    sta.finish()?;
    sources.save(store_dir)?;
    Ok(sum)
}

/// What one accepted line carried.
#[derive(Debug, Clone, PartialEq)]
pub enum GfwPayload {
    /// A position report.
    Position(PositionRow),
    /// A static (identity) report.
    Static(StaticRow),
    /// A type 19 report: both a position and a static half.
    Both(PositionRow, StaticRow),
}

/// One accepted line with its evaluation label.
#[derive(Debug, Clone, PartialEq)]
pub struct GfwRecord {
    /// 1-based line number in the (decompressed) file.
    pub line: usize,
    /// The decoded rows.
    pub payload: GfwPayload,
    /// GFW's expected segment id (`expected`, or `segment` in the older files), when labelled.
    pub expected: Option<String>,
    /// GFW's message id, when present (used by GFW to drop repeated messages).
    pub msgid: Option<String>,
    /// `receiver_type` (`"satellite"` / `"terrestrial"`), when present.
    pub receiver_type: Option<String>,
}

impl GfwRecord {
    /// The position row, if the line carried one.
    pub fn position(&self) -> Option<&PositionRow> {
        match &self.payload {
            GfwPayload::Position(p) | GfwPayload::Both(p, _) => Some(p),
            GfwPayload::Static(_) => None,
        }
    }

    /// The static row, if the line carried one.
    pub fn static_row(&self) -> Option<&StaticRow> {
        match &self.payload {
            GfwPayload::Static(s) | GfwPayload::Both(_, s) => Some(s),
            GfwPayload::Position(_) => None,
        }
    }
}

/// A rejected line: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// 1-based line number.
    pub line: usize,
    /// Why the line was not used.
    pub reason: RejectReason,
}

/// Why a line was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejectReason {
    /// Not a JSON object (the parser's message).
    BadJson(String),
    /// `ssvid` missing or not a 9-digit-or-shorter unsigned number.
    BadSsvid,
    /// `timestamp` missing or not ISO-8601-like.
    BadTimestamp,
    /// Neither a position nor any identity field.
    Empty,
    /// The text was not valid UTF-8.
    NotUtf8,
}

impl std::fmt::Display for RejectReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RejectReason::BadJson(m) => write!(f, "not a JSON object: {m}"),
            RejectReason::BadSsvid => f.write_str("ssvid missing or not an MMSI"),
            RejectReason::BadTimestamp => f.write_str("timestamp missing or unreadable"),
            RejectReason::Empty => f.write_str("neither position nor identity fields"),
            RejectReason::NotUtf8 => f.write_str("not UTF-8"),
        }
    }
}

/// Everything read from one file.
#[derive(Debug, Clone, Default)]
pub struct GfwFile {
    /// Accepted lines in file order.
    pub records: Vec<GfwRecord>,
    /// Rejected lines in file order.
    pub rejects: Vec<Reject>,
    /// Blank lines skipped (by rule).
    pub blank_lines: usize,
}

impl GfwFile {
    /// All position rows, in file order.
    pub fn positions(&self) -> impl Iterator<Item = &PositionRow> {
        self.records.iter().filter_map(GfwRecord::position)
    }

    /// All static rows, in file order.
    pub fn statics(&self) -> impl Iterator<Item = &StaticRow> {
        self.records.iter().filter_map(GfwRecord::static_row)
    }
}

/// Reads a GFW JSON-lines file, gzip-compressed when the name ends in `.gz`.
pub fn read_gfw_file(path: &Path, source: u32) -> Result<GfwFile, GfwError> {
    let io_err = |source| GfwError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = File::open(path).map_err(io_err)?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    read_gfw(BufReader::new(reader), source).map_err(io_err)
}

/// Reads GFW JSON lines from any buffered reader. `source` is stored in every row.
pub fn read_gfw<R: BufRead>(mut reader: R, source: u32) -> Result<GfwFile, std::io::Error> {
    let mut out = GfwFile::default();
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line_no += 1;
        let Ok(text) = std::str::from_utf8(&buf) else {
            out.rejects.push(Reject {
                line: line_no,
                reason: RejectReason::NotUtf8,
            });
            continue;
        };
        if text.trim().is_empty() {
            out.blank_lines += 1;
            continue;
        }
        match parse_gfw_line(text, line_no, source) {
            Ok(rec) => out.records.push(rec),
            Err(reason) => out.rejects.push(Reject {
                line: line_no,
                reason,
            }),
        }
    }
    Ok(out)
}

/// A number or a string holding one (GFW writes `ssvid` and `imo` either way).
#[derive(Deserialize)]
#[serde(untagged)]
enum NumOrText {
    Num(f64),
    Text(String),
}

impl NumOrText {
    fn as_u64(&self) -> Option<u64> {
        match self {
            NumOrText::Num(n) if *n >= 0.0 && n.fract() == 0.0 && *n < 1e15 => Some(*n as u64),
            NumOrText::Num(_) => None,
            NumOrText::Text(t) => t.trim().parse().ok(),
        }
    }
}

#[derive(Deserialize)]
struct RawMsg {
    ssvid: Option<NumOrText>,
    timestamp: Option<String>,
    #[serde(rename = "type")]
    msg_type: Option<String>,
    msgid: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    speed: Option<f64>,
    course: Option<f64>,
    heading: Option<f64>,
    status: Option<f64>,
    shipname: Option<String>,
    callsign: Option<String>,
    imo: Option<NumOrText>,
    destination: Option<String>,
    shiptype: Option<String>,
    length: Option<f64>,
    width: Option<f64>,
    receiver: Option<String>,
    receiver_type: Option<String>,
    expected: Option<String>,
    segment: Option<String>,
}

/// Parses one line. Exposed for tests and for callers that stream lines themselves.
pub fn parse_gfw_line(text: &str, line: usize, source: u32) -> Result<GfwRecord, RejectReason> {
    let cleaned = nan_to_null(text);
    let raw: RawMsg =
        serde_json::from_str(&cleaned).map_err(|e| RejectReason::BadJson(e.to_string()))?;
    let mmsi = raw
        .ssvid
        .as_ref()
        .and_then(NumOrText::as_u64)
        .filter(|&v| v <= 999_999_999)
        .ok_or(RejectReason::BadSsvid)? as u32;
    let time_ms = raw
        .timestamp
        .as_deref()
        .and_then(parse_timestamp_ms)
        .ok_or(RejectReason::BadTimestamp)?;
    let type_no: u8 = raw
        .msg_type
        .as_deref()
        .and_then(|t| t.strip_prefix("AIS."))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let class = match type_no {
        1..=3 | 5 => TransceiverClass::A,
        18 | 19 | 24 => TransceiverClass::B,
        _ => TransceiverClass::Unknown,
    };
    let finite = |v: Option<f64>| v.filter(|x| x.is_finite());
    let (lat, lon) = (finite(raw.lat), finite(raw.lon));
    // A position report without coordinates is still a position report: it is stored with null
    // lat/lon (the segmenter flags it `not_available`) rather than dropped.
    let position_type = matches!(type_no, 1..=3 | 18 | 19 | 27);
    let kinematics = finite(raw.speed).is_some() || finite(raw.course).is_some();
    let position = if lat.is_some() || lon.is_some() || position_type || kinematics {
        Some(PositionRow {
            time_ms: Some(time_ms),
            mmsi,
            lat,
            lon,
            sog: finite(raw.speed).map(|v| v as f32),
            cog: finite(raw.course).map(|v| v as f32),
            heading: finite(raw.heading)
                .filter(|h| (0.0..360.0).contains(h))
                .map(|h| h as u16),
            nav_status: finite(raw.status)
                .filter(|s| (0.0..16.0).contains(s))
                .map(|s| s as u8),
            msg_type: type_no,
            class,
            station: raw.receiver.clone(),
            source,
        })
    } else {
        None
    };
    let text_field = |v: Option<String>| {
        v.map(|s| s.trim().trim_end_matches('@').trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let name = text_field(raw.shipname);
    let call_sign = text_field(raw.callsign);
    let destination = text_field(raw.destination);
    let imo = raw
        .imo
        .as_ref()
        .and_then(NumOrText::as_u64)
        .filter(|&v| v > 0 && v <= u32::MAX as u64)
        .map(|v| v as u32);
    let ship_type = raw.shiptype.as_deref().and_then(ship_type_code);
    let length = finite(raw.length).filter(|v| *v > 0.0 && *v < 1023.0);
    let width = finite(raw.width).filter(|v| *v > 0.0 && *v < 255.0);
    let has_static = name.is_some()
        || call_sign.is_some()
        || imo.is_some()
        || ship_type.is_some()
        || destination.is_some()
        || length.is_some()
        || width.is_some();
    let static_row = has_static.then(|| StaticRow {
        time_ms: Some(time_ms),
        mmsi,
        msg_type: type_no,
        imo,
        call_sign,
        name,
        ship_type,
        // GFW keeps only overall length and beam: stored as the store does for CSV inputs
        // (to_stern = length, to_starboard = width, the ITU convention for an unknown reference point).
        to_bow: None,
        to_stern: length.map(|v| v.round() as u16),
        to_port: None,
        to_starboard: width.map(|v| v.round() as u8),
        draught: None,
        destination,
        eta: None,
        source,
    });
    let payload = match (position, static_row) {
        (Some(p), Some(s)) => GfwPayload::Both(p, s),
        (Some(p), None) => GfwPayload::Position(p),
        (None, Some(s)) => GfwPayload::Static(s),
        (None, None) => return Err(RejectReason::Empty),
    };
    Ok(GfwRecord {
        line,
        payload,
        expected: raw.expected.or(raw.segment),
        msgid: raw.msgid,
        receiver_type: raw.receiver_type,
    })
}

/// Replaces bare `NaN`, `Infinity` and `-Infinity` tokens outside strings with `null`.
fn nan_to_null(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("NaN") && !text.contains("Infinity") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = text;
    'chars: while let Some(c) = rest.chars().next() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else {
            for token in ["-Infinity", "Infinity", "NaN"] {
                if let Some(after) = rest.strip_prefix(token) {
                    out.push_str("null");
                    rest = after;
                    continue 'chars;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

/// Parses `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|+HH:MM|-HH:MM]` to UTC milliseconds.
pub fn parse_timestamp_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut millis = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let mut scale = 100;
        for c in frac[..digits].bytes().take(3) {
            millis += i64::from(c - b'0') * scale;
            scale /= 10;
        }
        rest = &frac[digits..];
    }
    let offset_min = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let tz = rest[1..].replace(':', "");
            if tz.len() != 4 || !tz.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let h: i64 = tz[..2].parse().ok()?;
            let m: i64 = tz[2..].parse().ok()?;
            sign * (h * 60 + m)
        }
    };
    let days = utc::days_from_civil(year, month as u32, day as u32);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_min * 60;
    Some(secs * 1000 + millis)
}

/// Maps GFW's ship-type text (e.g. `"Cargo, Hazardous category A"`) to the AIS type code.
pub fn ship_type_code(text: &str) -> Option<u8> {
    let t = text.trim().to_ascii_lowercase();
    let category = if t.contains("category a") {
        1
    } else if t.contains("category b") {
        2
    } else if t.contains("category c") {
        3
    } else if t.contains("category d") {
        4
    } else {
        0
    };
    let base = if t.starts_with("wing in ground") || t.starts_with("wig") {
        20
    } else if t.starts_with("fishing") {
        return Some(30);
    } else if t.starts_with("towing") {
        return Some(if t.contains("exceeds") || t.contains("large") {
            32
        } else {
            31
        });
    } else if t.starts_with("dredging") {
        return Some(33);
    } else if t.starts_with("diving") {
        return Some(34);
    } else if t.starts_with("military") {
        return Some(35);
    } else if t.starts_with("sailing") {
        return Some(36);
    } else if t.starts_with("pleasure") {
        return Some(37);
    } else if t.starts_with("high speed") || t.starts_with("hsc") {
        40
    } else if t.starts_with("pilot") {
        return Some(50);
    } else if t.starts_with("search and rescue") || t.starts_with("sar") {
        return Some(51);
    } else if t.starts_with("tug") {
        return Some(52);
    } else if t.starts_with("port tender") {
        return Some(53);
    } else if t.starts_with("anti-pollution") || t.starts_with("anti pollution") {
        return Some(54);
    } else if t.starts_with("law enforcement") {
        return Some(55);
    } else if t.starts_with("medical") {
        return Some(58);
    } else if t.starts_with("passenger") {
        60
    } else if t.starts_with("cargo") {
        70
    } else if t.starts_with("tanker") {
        80
    } else if t.starts_with("other") {
        90
    } else {
        return None;
    };
    Some(base + category)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regression_line_with_nan() {
        let line = r#"{"Index": 84, "msgid": "x", "type": "AIS.3", "ssvid": "209515000", "timestamp": "2021-01-01T00:05:31+00:00", "lon": 4.40891, "lat": 51.87917, "speed": 0.0, "course": 181.4, "heading": 289.0, "shipname": null, "callsign": null, "destination": null, "imo": null, "shiptype": null, "receiver_type": "terrestrial", "length": NaN, "width": NaN, "status": 5.0, "expected": "209515000-2021-01-01T00:05:31.000000Z"}"#;
        let rec = parse_gfw_line(line, 1, 0).expect("valid line");
        let p = rec.position().expect("position");
        assert_eq!(p.mmsi, 209_515_000);
        assert_eq!(p.time_ms, Some(1_609_459_531_000));
        assert_eq!(p.msg_type, 3);
        assert_eq!(p.nav_status, Some(5));
        assert!(rec.static_row().is_none());
        assert_eq!(
            rec.expected.as_deref(),
            Some("209515000-2021-01-01T00:05:31.000000Z")
        );
    }

    #[test]
    fn reads_static_and_nan_inside_string() {
        let line = r#"{"type": "AIS.5", "ssvid": 209515000, "timestamp": "2021-01-01T00:03:13+00:00", "lat": NaN, "lon": NaN, "speed": NaN, "shipname": "NaN QUEEN", "imo": "9814002", "shiptype": "Cargo, Hazardous category A", "length": 170.0, "width": 27.0}"#;
        let rec = parse_gfw_line(line, 7, 2).expect("valid line");
        let s = rec.static_row().expect("static");
        assert_eq!(s.name.as_deref(), Some("NaN QUEEN"));
        assert_eq!(s.imo, Some(9_814_002));
        assert_eq!(s.ship_type, Some(71));
        assert_eq!(s.to_stern, Some(170));
        assert_eq!(s.source, 2);
        assert!(rec.position().is_none());
    }

    #[test]
    fn position_without_coordinates_is_kept() {
        let line = r#"{"ssvid": 338013000, "timestamp": "2017-07-18T00:07:20Z", "lat": null, "lon": null, "speed": 10.8, "course": 0}"#;
        let rec = parse_gfw_line(line, 1, 0).expect("kept");
        let p = rec.position().expect("position row");
        assert_eq!((p.lat, p.lon, p.sog), (None, None, Some(10.8)));
    }

    #[test]
    fn reads_gpsd_subset_timestamps() {
        assert_eq!(
            parse_timestamp_ms("2014-01-01 01:14:25.000000"),
            parse_timestamp_ms("2014-01-01T01:14:25.000000Z")
        );
        assert_eq!(parse_timestamp_ms("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(parse_timestamp_ms("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_timestamp_ms("2014-13-01 00:00:00"), None);
        assert_eq!(parse_timestamp_ms("yesterday"), None);
    }

    #[test]
    fn rejects_with_reasons() {
        let cases = [
            ("not json", "not a JSON"),
            (
                r#"{"timestamp": "2014-01-01 00:00:00", "lat": 1, "lon": 1}"#,
                "ssvid",
            ),
            (r#"{"ssvid": 1, "lat": 1, "lon": 1}"#, "timestamp"),
            (
                r#"{"ssvid": 1, "timestamp": "2014-01-01 00:00:00"}"#,
                "neither",
            ),
        ];
        for (line, want) in cases {
            let err = parse_gfw_line(line, 1, 0).expect_err(line);
            assert!(err.to_string().contains(want), "{line}: {err}");
        }
        let file = read_gfw("x\n\n{\"ssvid\":1}\n".as_bytes(), 0).expect("in-memory read");
        assert_eq!(file.rejects.len(), 2);
        assert_eq!(file.rejects[1].line, 3);
        assert_eq!(file.blank_lines, 1);
    }
}
