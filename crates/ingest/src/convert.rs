//! Decoded AIS messages to store rows.

use ais::{Decoded, Message, StaticDataBPart, Type24Dims};
use store::{PositionRow, StaticRow, TransceiverClass};

/// The `positions` row of a message that carries a position report (types 1, 2, 3, 4, 9, 11,
/// 18, 19, 21, 27), `None` for the others.
pub fn position_row(d: &Decoded, source: u32) -> Option<PositionRow> {
    let meta = &d.meta;
    let mut row = PositionRow {
        time_ms: meta.time_ms,
        mmsi: d.message.mmsi(),
        lat: None,
        lon: None,
        sog: None,
        cog: None,
        heading: None,
        nav_status: None,
        msg_type: d.message.msg_type(),
        class: TransceiverClass::Unknown,
        station: meta
            .station
            .as_ref()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str().to_string()),
        source,
    };
    match &d.message {
        Message::PositionReportA(m) => {
            row.lat = m.lat;
            row.lon = m.lon;
            row.sog = m.speed;
            row.cog = m.course;
            row.heading = m.heading;
            row.nav_status = Some(m.status);
            row.class = TransceiverClass::A;
        }
        Message::BaseStation(m) => {
            row.lat = m.lat;
            row.lon = m.lon;
            row.class = TransceiverClass::BaseStation;
        }
        Message::SarAircraft(m) => {
            row.lat = m.lat;
            row.lon = m.lon;
            row.sog = m.speed.map(f32::from);
            row.cog = m.course;
            row.class = TransceiverClass::Sar;
        }
        Message::PositionReportB(m) => {
            row.lat = m.lat;
            row.lon = m.lon;
            row.sog = m.speed;
            row.cog = m.course;
            row.heading = m.heading;
            row.class = TransceiverClass::B;
        }
        Message::ExtendedB(m) => {
            row.lat = m.lat;
            row.lon = m.lon;
            row.sog = m.speed;
            row.cog = m.course;
            row.heading = m.heading;
            row.class = TransceiverClass::B;
        }
        Message::AidToNavigation(m) => {
            row.lat = m.lat;
            row.lon = m.lon;
            row.class = TransceiverClass::AtoN;
        }
        Message::LongRange(m) => {
            row.lat = m.lat;
            row.lon = m.lon;
            row.sog = m.speed.map(f32::from);
            row.cog = m.course.map(f32::from);
            row.nav_status = Some(m.status);
            row.class = TransceiverClass::A;
        }
        Message::StaticVoyage(_) | Message::StaticDataB(_) | Message::Other(_) => return None,
    }
    Some(row)
}

fn text<const N: usize>(t: &Option<ais::AisText<N>>) -> Option<String> {
    t.as_ref()
        .filter(|t| !t.is_empty())
        .map(|t| t.as_str().to_string())
}

/// ETA as `MM-DDTHH:MM` when month and day are known (`MM-DD` without a known time).
fn eta(month: Option<u8>, day: Option<u8>, hour: Option<u8>, minute: Option<u8>) -> Option<String> {
    let (mo, d) = (month?, day?);
    Some(match (hour, minute) {
        (Some(h), Some(mi)) => format!("{mo:02}-{d:02}T{h:02}:{mi:02}"),
        _ => format!("{mo:02}-{d:02}"),
    })
}

/// The `static_reports` row of a static message (types 5, 19, 24), `None` for the others.
/// A type 24 part carries only its own fields (name for part A; type, call sign and dimensions
/// for part B); the others are null.
pub fn static_row(d: &Decoded, source: u32) -> Option<StaticRow> {
    let mut row = StaticRow {
        time_ms: d.meta.time_ms,
        mmsi: d.message.mmsi(),
        msg_type: d.message.msg_type(),
        source,
        ..StaticRow::default()
    };
    match &d.message {
        Message::StaticVoyage(m) => {
            row.imo = m.imo;
            row.call_sign = text(&m.callsign);
            row.name = text(&m.shipname);
            row.ship_type = m.shiptype;
            row.to_bow = m.to_bow;
            row.to_stern = m.to_stern;
            row.to_port = m.to_port;
            row.to_starboard = m.to_starboard;
            row.draught = m.draught;
            row.destination = text(&m.destination);
            row.eta = eta(m.month, m.day, m.hour, m.minute);
        }
        Message::ExtendedB(m) => {
            row.name = text(&m.shipname);
            row.ship_type = m.shiptype;
            row.to_bow = m.to_bow;
            row.to_stern = m.to_stern;
            row.to_port = m.to_port;
            row.to_starboard = m.to_starboard;
        }
        Message::StaticDataB(m) => match &m.part {
            StaticDataBPart::A { shipname } => row.name = text(shipname),
            StaticDataBPart::B {
                shiptype,
                callsign,
                dims,
                ..
            } => {
                row.ship_type = *shiptype;
                row.call_sign = text(callsign);
                if let Type24Dims::Dimensions {
                    to_bow,
                    to_stern,
                    to_port,
                    to_starboard,
                } = dims
                {
                    row.to_bow = *to_bow;
                    row.to_stern = *to_stern;
                    row.to_port = *to_port;
                    row.to_starboard = *to_starboard;
                }
            }
        },
        _ => return None,
    }
    Some(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ais::{Decoder, DecoderOptions, Feed};

    /// Decodes the sentences (the last completes the message).
    fn decode(lines: &[&str]) -> Decoded {
        let mut dec = Decoder::new(DecoderOptions::default());
        let mut last = None;
        for l in lines {
            last = Some(dec.feed(l.as_bytes()));
        }
        match last {
            Some(Feed::Decoded(d)) => d,
            other => panic!("{lines:?}: {other:?}"),
        }
    }

    // Sentences from gpsd's test/sample.aivdm (© the GPSD project, BSD-2-Clause).
    #[test]
    fn each_type_goes_to_its_tables_with_its_class() {
        let cases: [(&[&str], u8, Option<TransceiverClass>, bool); 6] = [
            (
                &["!AIVDM,1,1,,A,91b77=h3h00nHt0Q3r@@07000<0b,0*69"],
                9,
                Some(TransceiverClass::Sar),
                false,
            ),
            (
                &["!AIVDM,1,1,,A,B52K>;h00Fc>jpUlNV@ikwpUoP06,0*4C"],
                18,
                Some(TransceiverClass::B),
                false,
            ),
            (
                &["!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B"],
                19,
                Some(TransceiverClass::B),
                true,
            ),
            (
                &[
                    "!AIVDM,2,1,5,B,E1mg=5J1T4W0h97aRh6ba84<h2d;W:Te=eLvH50```q,0*46",
                    "!AIVDM,2,2,5,B,:D44QDlp0C1DU00,2*36",
                ],
                21,
                Some(TransceiverClass::AtoN),
                false,
            ),
            (
                &["!AIVDM,1,1,,A,KCQ9r=hrFUnH7P00,0*41"],
                27,
                Some(TransceiverClass::A),
                false,
            ),
            (
                &["!AIVDM,1,1,,B,;4R33:1uUK2F`q?mOt@@GoQ00000,0*5D"],
                11,
                Some(TransceiverClass::BaseStation),
                false,
            ),
        ];
        for (lines, ty, class, has_static) in cases {
            let d = decode(lines);
            assert_eq!(d.message.msg_type(), ty);
            let p = position_row(&d, 7);
            assert_eq!(p.as_ref().map(|p| p.class), class, "type {ty}");
            if let Some(p) = p {
                assert_eq!((p.msg_type, p.source, p.mmsi), (ty, 7, d.message.mmsi()));
                assert!(p.lat.is_some_and(|v| v.abs() <= 90.0), "type {ty}: {p:?}");
            }
            assert_eq!(static_row(&d, 7).is_some(), has_static, "type {ty}");
        }
    }

    #[test]
    fn type5_static_row() {
        // From the DMA AisLib stream example (Apache-2.0, © Danish Maritime Authority).
        let d = decode(&[
            "!AIVDM,2,1,1,,53cMa3@000010WSW?V105=<45B2222222222220t388151:9e2UiDm851DTh,0*65",
            "!AIVDM,2,2,1,,j1C32CQp888,2*17",
        ]);
        assert!(position_row(&d, 0).is_none());
        let s = static_row(&d, 0).unwrap();
        assert_eq!(s.msg_type, 5);
        assert!(s.name.is_some() && s.call_sign.is_some());
        assert!(s
            .eta
            .as_deref()
            .is_none_or(|e| e.len() == 11 || e.len() == 5));
    }
}
