//! Decoded AIS in CSV: NOAA MarineCadastre (`MMSI,BaseDateTime,LAT,LON,…,TransceiverClass`),
//! Danish Maritime Authority (`# Timestamp,Type of mobile,MMSI,Latitude,…`) and Spire/exactEarth
//! style (`MMSI,Message_ID,…,Time,…`) exports. Columns are found by name in the header (in any
//! order; names compared case- and punctuation-insensitively), so column additions between
//! export years do not break the reader.

use std::collections::HashMap;
use store::{PositionRow, StaticRow, TransceiverClass};

/// Lower-cases a header name and keeps only letters and digits (`# Timestamp` → `timestamp`).
pub fn normalize(name: &str) -> String {
    name.trim()
        .trim_matches('"')
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Splits one CSV line into fields (RFC 4180 quoting, `""` escapes), reusing `buf` and `ranges`.
pub fn split(line: &str, buf: &mut String, ranges: &mut Vec<(usize, usize)>) {
    buf.clear();
    ranges.clear();
    let mut start = 0;
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    buf.push('"');
                } else {
                    in_quotes = false;
                }
            }
            '"' => in_quotes = true,
            ',' if !in_quotes => {
                ranges.push((start, buf.len()));
                start = buf.len();
            }
            _ => buf.push(c),
        }
    }
    ranges.push((start, buf.len()));
}

/// Which column holds what (indices into a row's fields).
#[derive(Debug, Default, Clone)]
pub struct Layout {
    mmsi: Option<usize>,
    time: Option<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    sog: Option<usize>,
    cog: Option<usize>,
    heading: Option<usize>,
    status: Option<usize>,
    name: Option<usize>,
    imo: Option<usize>,
    call_sign: Option<usize>,
    ship_type: Option<usize>,
    length: Option<usize>,
    width: Option<usize>,
    draught: Option<usize>,
    class: Option<usize>,
    destination: Option<usize>,
    eta: Option<usize>,
    eta_parts: [Option<usize>; 4],
    dims: [Option<usize>; 4],
    msg_type: Option<usize>,
    /// `csv_noaa`, `csv_dma` or `csv_other`.
    pub flavour: &'static str,
}

impl Layout {
    /// The layout of a header line; `None` when it lacks an MMSI or a time column.
    pub fn from_header(fields: &[&str]) -> Option<Layout> {
        let mut l = Layout {
            flavour: "csv_other",
            ..Layout::default()
        };
        for (i, f) in fields.iter().enumerate() {
            let n = normalize(f);
            let slot = match n.as_str() {
                "mmsi" => &mut l.mmsi,
                "basedatetime" => {
                    l.flavour = "csv_noaa";
                    &mut l.time
                }
                "timestamp" | "time" | "datetime" => &mut l.time,
                "lat" | "latitude" => &mut l.lat,
                "lon" | "long" | "longitude" => &mut l.lon,
                "sog" => &mut l.sog,
                "cog" => &mut l.cog,
                "heading" | "trueheading" => &mut l.heading,
                "status" | "navigationalstatus" | "navstatus" => &mut l.status,
                "vesselname" | "name" | "shipname" => &mut l.name,
                "imo" => &mut l.imo,
                "callsign" => &mut l.call_sign,
                "vesseltype" | "shiptype" => &mut l.ship_type,
                "length" => &mut l.length,
                "width" => &mut l.width,
                "draft" | "draught" => &mut l.draught,
                "transceiverclass" | "transceiver" => &mut l.class,
                "typeofmobile" => {
                    l.flavour = "csv_dma";
                    &mut l.class
                }
                "destination" => &mut l.destination,
                "eta" => &mut l.eta,
                "etamonth" => &mut l.eta_parts[0],
                "etaday" => &mut l.eta_parts[1],
                "etahour" => &mut l.eta_parts[2],
                "etaminute" => &mut l.eta_parts[3],
                "a" | "dimensiontobow" => &mut l.dims[0],
                "b" | "dimensiontostern" => &mut l.dims[1],
                "c" | "dimensiontoport" => &mut l.dims[2],
                "d" | "dimensiontostarboard" => &mut l.dims[3],
                "messageid" | "msgtype" | "messagetype" => &mut l.msg_type,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(i);
            }
        }
        (l.mmsi.is_some() && l.time.is_some()).then_some(l)
    }
}

/// A row that could not be read, with what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow(pub String);

/// What one CSV row gave.
#[derive(Debug, Default)]
pub struct RowOut {
    /// Its position report, if the row has one.
    pub position: Option<PositionRow>,
    /// Its static data, if the row has any and it differs from the MMSI's previous static row.
    pub static_report: Option<StaticRow>,
    /// The row has no time.
    pub without_time: bool,
}

fn is_missing(s: &str) -> bool {
    let s = s.trim();
    s.is_empty()
        || s.eq_ignore_ascii_case("unknown")
        || s.eq_ignore_ascii_case("undefined")
        || s.eq_ignore_ascii_case("none")
        || s.eq_ignore_ascii_case("nan")
        || s.eq_ignore_ascii_case("null")
}

/// Reads the rows of one CSV stream, remembering each MMSI's last static data so that static
/// rows are written only when something changed (CSV exports repeat them on every row).
pub struct CsvRows {
    layout: Layout,
    source: u32,
    last_static: HashMap<u32, u64>,
}

impl CsvRows {
    /// A reader for rows of `layout`, written with source index `source`.
    pub fn new(layout: Layout, source: u32) -> Self {
        CsvRows {
            layout,
            source,
            last_static: HashMap::new(),
        }
    }

    /// Reads one data row.
    pub fn row(&mut self, f: &[&str]) -> Result<RowOut, BadRow> {
        let l = &self.layout;
        let get = |c: Option<usize>| {
            c.and_then(|i| f.get(i))
                .map(|s| s.trim())
                .filter(|s| !is_missing(s))
        };
        let num = |c: Option<usize>, what: &str| -> Result<Option<f64>, BadRow> {
            match get(c) {
                None => Ok(None),
                Some(s) => s
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| BadRow(format!("{what} `{s}` is not a number"))),
            }
        };
        let mmsi_s = get(l.mmsi).ok_or_else(|| BadRow("MMSI is empty".into()))?;
        let mmsi: u32 = mmsi_s
            .parse()
            .map_err(|_| BadRow(format!("MMSI `{mmsi_s}` is not a number")))?;
        let time_ms = match get(l.time) {
            None => None,
            Some(s) => Some(
                crate::time::parse_datetime(s)
                    .ok_or_else(|| BadRow(format!("time `{s}` is not a date-time")))?,
            ),
        };
        let msg_type = match num(l.msg_type, "message type")? {
            Some(t) if (0.0..64.0).contains(&t) => Some(t as u8),
            Some(t) => return Err(BadRow(format!("message type {t} out of range"))),
            None => None,
        };
        let lat = num(l.lat, "latitude")?.filter(|v| v.abs() <= 90.0);
        let lon = num(l.lon, "longitude")?.filter(|v| v.abs() <= 180.0);
        let sog = num(l.sog, "SOG")?.filter(|v| (0.0..102.25).contains(v));
        let cog = num(l.cog, "COG")?.filter(|v| (0.0..360.0).contains(v));
        let heading = num(l.heading, "heading")?.filter(|v| (0.0..360.0).contains(v));
        let status = match get(l.status) {
            None => None,
            Some(s) => match s.parse::<f64>() {
                Ok(v) if (0.0..16.0).contains(&v) => Some(v as u8),
                Ok(_) => None,
                Err(_) => nav_status_text(s),
            },
        };
        let class = match get(l.class) {
            Some(s) => class_text(s),
            None => msg_type.map_or(TransceiverClass::Unknown, class_of_type),
        };
        let mut out = RowOut {
            without_time: time_ms.is_none(),
            ..RowOut::default()
        };
        let has_position_columns = l.lat.is_some() && l.lon.is_some();
        let position_type =
            msg_type.is_none_or(|t| matches!(t, 1 | 2 | 3 | 4 | 9 | 11 | 18 | 19 | 21 | 27));
        if has_position_columns && position_type {
            out.position = Some(PositionRow {
                time_ms,
                mmsi,
                lat,
                lon,
                sog: sog.map(|v| v as f32),
                cog: cog.map(|v| v as f32),
                heading: heading.map(|v| v as u16),
                nav_status: status,
                msg_type: msg_type.unwrap_or(0),
                class,
                station: None,
                source: self.source,
            });
        }
        let static_type = msg_type.is_none_or(|t| matches!(t, 5 | 19 | 24));
        if static_type {
            // Compare the raw static columns first: most rows repeat them, and building the row
            // (with its strings) only when they change keeps CSV ingest fast.
            let key = self.static_columns_key(f, msg_type);
            if self.last_static.insert(mmsi, key) != Some(key) {
                out.static_report = self.static_fields(f, time_ms, mmsi, msg_type.unwrap_or(0))?;
            }
        }
        Ok(out)
    }

    /// Hash (FNV-1a) of a row's static columns as written (not the row's time), to spot changes.
    fn static_columns_key(&self, f: &[&str], msg_type: Option<u8>) -> u64 {
        let l = &self.layout;
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for &b in bytes {
                h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        eat(&[msg_type.map_or(255, |t| t)]);
        let cols = [
            l.imo,
            l.call_sign,
            l.name,
            l.ship_type,
            l.length,
            l.width,
            l.draught,
            l.destination,
            l.eta,
        ];
        for c in cols.iter().chain(&l.dims).chain(&l.eta_parts) {
            // A separator byte that cannot occur in CSV text keeps `ab,c` apart from `a,bc`.
            eat(c
                .and_then(|i| f.get(i))
                .map_or(b"", |v| v.trim().as_bytes()));
            eat(&[0]);
        }
        h
    }

    fn static_fields(
        &self,
        f: &[&str],
        time_ms: Option<i64>,
        mmsi: u32,
        msg_type: u8,
    ) -> Result<Option<StaticRow>, BadRow> {
        let l = &self.layout;
        let get = |c: Option<usize>| {
            c.and_then(|i| f.get(i))
                .map(|s| s.trim())
                .filter(|s| !is_missing(s))
        };
        let int = |c: Option<usize>| {
            get(c)
                .and_then(|s| s.parse::<f64>().ok())
                .filter(|v| *v > 0.0)
        };
        let imo = get(l.imo).and_then(|s| {
            let digits = s.trim_start_matches("IMO").trim();
            digits.parse::<u32>().ok().filter(|v| *v > 0)
        });
        let ship_type = get(l.ship_type).and_then(|s| match s.parse::<f64>() {
            Ok(v) if (1.0..=99.0).contains(&v) => Some(v as u8),
            Ok(_) => None,
            Err(_) => ship_type_text(s),
        });
        let [a, b, c, d] = l.dims.map(int);
        let (to_bow, to_stern, to_port, to_starboard) = if l.dims.iter().any(Option::is_some) {
            (a, b, c, d)
        } else {
            // ITU-R M.1371: reference point unknown, dimensions known → A = C = 0, B = length, D = beam.
            (None, int(l.length), None, int(l.width))
        };
        let eta = match get(l.eta) {
            Some(s) => eta_text(s),
            None => {
                let [mo, da, h, mi] = l.eta_parts.map(|c| int(c).map(|v| v as u32));
                match (mo, da) {
                    (Some(mo), Some(da)) if mo <= 12 && da <= 31 => Some(match (h, mi) {
                        (Some(h), Some(mi)) if h < 24 && mi < 60 => {
                            format!("{mo:02}-{da:02}T{h:02}:{mi:02}")
                        }
                        _ => format!("{mo:02}-{da:02}"),
                    }),
                    _ => None,
                }
            }
        };
        let row = StaticRow {
            time_ms,
            mmsi,
            msg_type,
            imo,
            call_sign: get(l.call_sign).map(str::to_string),
            name: get(l.name).map(str::to_string),
            ship_type,
            to_bow: to_bow.map(|v| v.min(u16::MAX as f64) as u16),
            to_stern: to_stern.map(|v| v.min(u16::MAX as f64) as u16),
            to_port: to_port.map(|v| v.min(255.0) as u8),
            to_starboard: to_starboard.map(|v| v.min(255.0) as u8),
            draught: int(l.draught).map(|v| v as f32),
            destination: get(l.destination).map(str::to_string),
            eta,
            source: self.source,
        };
        let empty = row.imo.is_none()
            && row.call_sign.is_none()
            && row.name.is_none()
            && row.ship_type.is_none()
            && row.to_stern.is_none()
            && row.to_bow.is_none()
            && row.draught.is_none()
            && row.destination.is_none();
        Ok((!empty).then_some(row))
    }
}

/// Transceiver class of an AIS message type (CSV exports with a type column but no class).
fn class_of_type(t: u8) -> TransceiverClass {
    match t {
        1..=3 | 5 | 27 => TransceiverClass::A,
        18 | 19 | 24 => TransceiverClass::B,
        4 | 11 => TransceiverClass::BaseStation,
        9 => TransceiverClass::Sar,
        21 => TransceiverClass::AtoN,
        _ => TransceiverClass::Unknown,
    }
}

/// NOAA `A`/`B`, DMA `Class A`, `Class B`, `Base Station`, `AtoN`, `SAR Airborne`, ….
fn class_text(s: &str) -> TransceiverClass {
    let s = s.to_ascii_lowercase();
    match s.trim_start_matches("class").trim() {
        "a" => TransceiverClass::A,
        "b" => TransceiverClass::B,
        "base station" => TransceiverClass::BaseStation,
        "aton" => TransceiverClass::AtoN,
        x if x.starts_with("sar") => TransceiverClass::Sar,
        _ => TransceiverClass::Unknown,
    }
}

/// DMA's navigational status texts to ITU codes.
fn nav_status_text(s: &str) -> Option<u8> {
    let s = s.to_ascii_lowercase();
    let table: [(&str, u8); 15] = [
        ("under way using engine", 0),
        ("at anchor", 1),
        ("not under command", 2),
        ("restricted", 3),
        ("constrained", 4),
        ("moored", 5),
        ("aground", 6),
        ("engaged in fishing", 7),
        ("under way sailing", 8),
        ("reserved for future amendment [hsc]", 9),
        ("reserved for future amendment [wig]", 10),
        ("power-driven vessel towing astern", 11),
        ("power-driven vessel pushing", 12),
        ("ais-sart", 14),
        ("unknown value", 15),
    ];
    table
        .iter()
        .find(|(prefix, _)| s.starts_with(prefix))
        .map(|&(_, c)| c)
}

/// DMA's ship type texts to the first ITU code of their category (coarse: DMA drops the cargo
/// hazard digit).
fn ship_type_text(s: &str) -> Option<u8> {
    let s = s.to_ascii_lowercase();
    Some(match s.as_str() {
        "wig" => 20,
        "fishing" => 30,
        "towing" => 31,
        "towing long/wide" => 32,
        "dredging" => 33,
        "diving" => 34,
        "military" => 35,
        "sailing" => 36,
        "pleasure" => 37,
        "hsc" => 40,
        "pilot" => 50,
        "sar" => 51,
        "tug" => 52,
        "port tender" => 53,
        "anti-pollution" => 54,
        "law enforcement" => 55,
        "medical" => 58,
        "not party to conflict" => 59,
        "passenger" => 60,
        "cargo" => 70,
        "tanker" => 80,
        "other" => 90,
        _ => return None,
    })
}

/// DMA ETA `dd/mm/yyyy hh:mm:ss` (or ISO) to `MM-DDTHH:MM`.
fn eta_text(s: &str) -> Option<String> {
    let ms = crate::time::parse_datetime(s)?;
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000) / 60_000;
    let (_, m, d) = utc::civil_from_days(days);
    Some(format!("{m:02}-{d:02}T{:02}:{:02}", rem / 60, rem % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<String> {
        let (mut buf, mut ranges) = (String::new(), Vec::new());
        split(line, &mut buf, &mut ranges);
        ranges.iter().map(|&(a, b)| buf[a..b].to_string()).collect()
    }

    #[test]
    fn split_quotes() {
        assert_eq!(fields(r#"a,"b,c",,"d""e""#), ["a", "b,c", "", "d\"e"]);
        assert_eq!(fields(""), [""]);
    }

    #[test]
    fn snake_case_header_names() {
        let h = "mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,call_sign,vessel_type,status,length,width,draft,cargo,transceiver";
        let f: Vec<&str> = h.split(',').collect();
        let l = Layout::from_header(&f).unwrap();
        assert_eq!(l.flavour, "csv_noaa");
        assert_eq!((l.lat, l.lon, l.class), (Some(3), Some(2), Some(16)));
    }

    #[test]
    fn eta_and_types() {
        assert_eq!(
            eta_text("14/03/2023 12:30:00").as_deref(),
            Some("03-14T12:30")
        );
        assert_eq!(ship_type_text("Tanker"), Some(80));
        assert_eq!(nav_status_text("Under way using engine"), Some(0));
        assert_eq!(class_text("Class B"), TransceiverClass::B);
        assert_eq!(class_text("A"), TransceiverClass::A);
    }
}
