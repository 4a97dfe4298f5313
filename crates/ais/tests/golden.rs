//! Golden field values from gpsd's `test/sample.aivdm` (BSD-2-Clause; excerpt in
//! `tests/fixtures/gpsd-sample-excerpt.aivdm`, expected values are the `#` comments there).
//! Type 27 has no expected values in gpsd's file; those were cross-checked with pyais 3.3.1.

use ais::*;

fn decode_fixture() -> (Vec<Decoded>, Vec<Feed>) {
    let text = include_str!("fixtures/gpsd-sample-excerpt.aivdm");
    let mut dec = Decoder::new(DecoderOptions::default());
    let mut decoded = Vec::new();
    let mut others = Vec::new();
    for line in text.lines() {
        match dec.feed(line.as_bytes()) {
            Feed::Decoded(d) => decoded.push(d),
            Feed::NotAis(NotAis::Comment) | Feed::Pending => {}
            other => others.push(other),
        }
    }
    assert!(dec.finish().is_empty());
    (decoded, others)
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("value present");
    assert!((a - b).abs() < 2e-6, "{a} != {b}");
}

#[test]
fn every_vector_is_accounted_for() {
    let (decoded, others) = decode_fixture();
    let types: Vec<u8> = decoded.iter().map(|d| d.message.msg_type()).collect();
    assert_eq!(
        types,
        [1, 1, 2, 3, 4, 5, 9, 9, 11, 18, 18, 18, 19, 21, 24, 24, 27, 27, 6, 4, 4, 4, 21]
    );
    // The only non-decoded line is gpsd's "fragment without `!`" invalid-packet test.
    assert_eq!(others.len(), 1);
    assert!(matches!(&others[0], Feed::Rejected(r) if r.reason == RejectReason::Malformed));
}

#[test]
fn class_a_positions() {
    let (d, _) = decode_fixture();
    let Message::PositionReportA(m) = &d[0].message else {
        panic!()
    };
    assert_eq!(
        (m.msg_type, m.repeat, m.mmsi, m.status),
        (1, 0, 371798000, 0)
    );
    assert_eq!(
        (m.turn, m.speed, m.accuracy),
        (Some(-127), Some(12.3), true)
    );
    close(m.lon, -123.395383333);
    close(m.lat, 48.38163333333);
    assert_eq!(
        (m.course, m.heading, m.second, m.raim),
        (Some(224.0), Some(215), Some(33), false)
    );

    let Message::PositionReportA(m) = &d[1].message else {
        panic!()
    };
    assert_eq!(
        (m.mmsi, m.turn, m.speed, m.accuracy),
        (440348000, None, Some(0.0), false)
    );
    close(m.lon, -70.7582);
    close(m.lat, 43.08015);
    assert_eq!(
        (m.course, m.heading, m.second),
        (Some(93.4), None, Some(13))
    );

    let Message::PositionReportA(m) = &d[2].message else {
        panic!()
    };
    assert_eq!(
        (m.msg_type, m.mmsi, m.turn, m.speed),
        (2, 356302000, Some(127), Some(13.9))
    );
    close(m.lon, -71.626143333);
    close(m.lat, 40.392358333);
    assert_eq!(
        (m.course, m.heading, m.second),
        (Some(87.7), Some(91), Some(41))
    );

    let Message::PositionReportA(m) = &d[3].message else {
        panic!()
    };
    assert_eq!(
        (m.msg_type, m.mmsi, m.status, m.turn),
        (3, 563808000, 5, Some(0))
    );
    assert_eq!((m.speed, m.accuracy), (Some(0.0), true));
    close(m.lon, -76.327533333);
    close(m.lat, 36.91);
    assert_eq!(
        (m.course, m.heading, m.second),
        (Some(252.0), Some(352), Some(35))
    );
}

#[test]
fn base_stations() {
    let (d, _) = decode_fixture();
    let Message::BaseStation(m) = &d[4].message else {
        panic!()
    };
    assert_eq!((m.msg_type, m.mmsi), (4, 3669702));
    assert_eq!(
        (m.year, m.month, m.day, m.hour, m.minute, m.second),
        (Some(2007), Some(5), Some(14), Some(19), Some(57), Some(39))
    );
    assert!(m.accuracy);
    close(m.lon, -76.352361667);
    close(m.lat, 36.883766667);
    assert_eq!((m.epfd, m.raim), (7, false));

    let Message::BaseStation(m) = &d[8].message else {
        panic!()
    };
    assert_eq!((m.msg_type, m.mmsi), (11, 304137000));
    assert_eq!(
        (m.year, m.month, m.day, m.hour, m.minute, m.second),
        (Some(2009), Some(5), Some(22), Some(2), Some(22), Some(40))
    );
    close(m.lon, -94.407683333);
    close(m.lat, 28.409116667);
    assert_eq!(m.epfd, 1);
    // USCG receiver columns after the checksum.
    assert_eq!(d[8].meta.station.unwrap().as_str(), "r08TPHI1");
    assert_eq!(d[8].meta.time_ms, Some(1_242_958_962_000));

    // Type 4 with every date/time field and the position "not available".
    let Message::BaseStation(m) = &d[19].message else {
        panic!()
    };
    assert_eq!(
        (m.year, m.month, m.day, m.hour, m.minute, m.second, m.lon, m.lat),
        (None, None, None, None, None, None, None, None)
    );
    // Date present, time of day not available.
    let Message::BaseStation(m) = &d[20].message else {
        panic!()
    };
    assert_eq!(
        (m.year, m.month, m.day, m.hour, m.minute, m.second),
        (Some(2012), Some(6), Some(1), None, None, None)
    );
    // Year 10196 fits the 14-bit field and is kept as sent.
    let Message::BaseStation(m) = &d[21].message else {
        panic!()
    };
    assert_eq!(m.year, Some(10196));
}

#[test]
fn static_and_voyage() {
    let (d, _) = decode_fixture();
    assert_eq!(d[5].meta.lines, 2);
    let Message::StaticVoyage(m) = &d[5].message else {
        panic!()
    };
    assert_eq!(
        (m.mmsi, m.ais_version, m.imo),
        (351759000, 0, Some(9134270))
    );
    assert_eq!(m.callsign.unwrap().as_str(), "3FOF8");
    assert_eq!(m.shipname.unwrap().as_str(), "EVER DIADEM");
    assert_eq!(m.shiptype, Some(70));
    assert_eq!(
        (m.to_bow, m.to_stern, m.to_port, m.to_starboard),
        (Some(225), Some(70), Some(1), Some(31))
    );
    assert_eq!(
        (m.epfd, m.month, m.day, m.hour, m.minute),
        (1, Some(5), Some(15), Some(14), Some(0))
    );
    assert_eq!(m.draught, Some(12.2));
    assert_eq!(m.destination.unwrap().as_str(), "NEW YORK");
    assert!(!m.dte);
}

#[test]
fn sar_aircraft() {
    let (d, _) = decode_fixture();
    let Message::SarAircraft(m) = &d[6].message else {
        panic!()
    };
    assert_eq!(
        (m.mmsi, m.alt, m.speed, m.accuracy),
        (111265591, Some(15), Some(0), false)
    );
    close(m.lon, 7128960.0 / 600000.0);
    close(m.lat, 34667073.0 / 600000.0);
    assert_eq!(
        (m.course, m.second, m.regional, m.dte, m.assigned, m.raim),
        (Some(0.0), Some(28), 0, false, false, false)
    );
    // noaadata (gpsd comment) prints 24597: the 19 bits after the sync flag; the field is 20 bits.
    assert_eq!(m.radio, 49194);

    let Message::SarAircraft(m) = &d[7].message else {
        panic!()
    };
    assert_eq!((m.mmsi, m.alt, m.speed), (111232511, Some(303), Some(42)));
    // The comment gives the raw value 0xFC683F6 (28-bit two's complement) and a rounded -6.27884.
    close(m.lon, (0xFC683F6i64 - (1 << 28)) as f64 / 600_000.0);
    close(m.lat, 58.144);
    assert_eq!(
        (m.course, m.second, m.dte, m.radio),
        (Some(154.5), Some(15), true, 33392)
    );
}

#[test]
fn class_b() {
    let (d, _) = decode_fixture();
    let Message::PositionReportB(m) = &d[9].message else {
        panic!()
    };
    assert_eq!(
        (m.mmsi, m.reserved, m.speed, m.accuracy),
        (338087471, 0, Some(0.1), false)
    );
    close(m.lon, -74.072131667);
    close(m.lat, 40.68454);
    assert_eq!(
        (m.course, m.heading, m.second, m.raim),
        (Some(79.6), None, Some(49), true)
    );

    let Message::PositionReportB(m) = &d[10].message else {
        panic!()
    };
    assert_eq!((m.mmsi, m.speed), (338088483, Some(0.0)));
    close(m.lon, -70.8111966);
    close(m.lat, 43.11555833);
    assert_eq!(
        (m.course, m.heading, m.second, m.raim),
        (Some(171.6), None, Some(20), true)
    );

    let Message::PositionReportB(m) = &d[11].message else {
        panic!()
    };
    assert_eq!((m.mmsi, m.speed, m.accuracy), (368161000, Some(5.1), true));
    close(m.lon, -72.2338483333);
    close(m.lat, 39.480925);
    assert_eq!(
        (m.course, m.heading, m.second),
        (Some(34.9), None, Some(17))
    );
    assert_eq!(
        (m.cs, m.display, m.dsc, m.band, m.msg22, m.assigned, m.raim),
        (true, false, true, true, false, false, true)
    );

    let Message::ExtendedB(m) = &d[12].message else {
        panic!()
    };
    assert_eq!((m.mmsi, m.speed, m.accuracy), (367059850, Some(8.7), false));
    close(m.lon, -88.8103916667);
    close(m.lat, 29.543695);
    assert_eq!(
        (m.course, m.heading, m.second),
        (Some(335.9), None, Some(46))
    );
    assert_eq!(m.shipname.unwrap().as_str(), "CAPT.J.RIMES");
    assert_eq!(m.shiptype, Some(70));
    assert_eq!(
        (m.to_bow, m.to_stern, m.to_port, m.to_starboard),
        (Some(5), Some(21), Some(4), Some(4))
    );
    assert_eq!((m.epfd, m.raim, m.dte), (1, false, false));

    let Message::StaticDataB(m) = &d[14].message else {
        panic!()
    };
    assert_eq!(m.mmsi, 271041815);
    let StaticDataBPart::A { shipname } = &m.part else {
        panic!()
    };
    assert_eq!(shipname.unwrap().as_str(), "PROGUY");
    let Message::StaticDataB(m) = &d[15].message else {
        panic!()
    };
    let StaticDataBPart::B {
        shiptype,
        vendorid,
        callsign,
        dims,
        ..
    } = &m.part
    else {
        panic!()
    };
    assert_eq!(*shiptype, Some(60));
    // gpsd's comment shows the pre-2010 7-character vendor id "1D00014"; the first 3 are the
    // vendor, the rest are model and serial.
    assert_eq!(vendorid.unwrap().as_str(), "1D0");
    assert_eq!(callsign.unwrap().as_str(), "TC6163");
    assert_eq!(
        *dims,
        Type24Dims::Dimensions {
            to_bow: None,
            to_stern: Some(15),
            to_port: None,
            to_starboard: Some(5)
        }
    );
}

#[test]
fn aids_to_navigation() {
    let (d, _) = decode_fixture();
    let Message::AidToNavigation(m) = &d[13].message else {
        panic!()
    };
    assert_eq!((m.mmsi, m.aid_type), (123456789, 20));
    assert_eq!(m.name.unwrap().as_str(), "CHINA ROSE MURPHY EXPRESS ALERT");
    assert!(!m.accuracy);
    close(m.lon, -122.698591667);
    close(m.lat, 47.9206183333);
    assert_eq!(
        (m.to_bow, m.to_stern, m.to_port, m.to_starboard),
        (Some(5), Some(5), Some(5), Some(5))
    );
    assert_eq!(
        (m.epfd, m.second, m.off_position, m.regional),
        (1, Some(50), false, 165)
    );
    assert_eq!((m.raim, m.virtual_aid, m.assigned), (false, false, false));

    // The 368-bit type 21: name padded with '@' then junk; the text ends at the first '@'.
    let Message::AidToNavigation(m) = &d[22].message else {
        panic!()
    };
    assert_eq!(m.mmsi, 4000003);
    assert_eq!(m.name.unwrap().as_str(), "IBC G BUOY");
    close(m.lon, 126.572227);
}

#[test]
fn long_range() {
    let (d, _) = decode_fixture();
    let Message::LongRange(m) = &d[16].message else {
        panic!()
    };
    assert_eq!(
        (m.repeat, m.mmsi, m.status, m.accuracy, m.raim),
        (1, 236091959, 3, false, false)
    );
    assert!((m.lon.unwrap() - -154.201667).abs() < 1e-5);
    assert!((m.lat.unwrap() - 87.065).abs() < 1e-5);
    assert_eq!((m.speed, m.course, m.gnss), (Some(0), Some(0), false));
    let Message::LongRange(m) = &d[17].message else {
        panic!()
    };
    assert_eq!(
        (m.mmsi, m.status, m.speed, m.course),
        (206914217, 2, Some(57), Some(167))
    );
    assert!((m.lon.unwrap() - 137.023333).abs() < 1e-5);
    assert!((m.lat.unwrap() - 4.84).abs() < 1e-5);
}

#[test]
fn json_looks_like_gpsdecode() {
    let (d, _) = decode_fixture();
    let v = serde_json::to_value(&d[0].message).unwrap();
    assert_eq!(v["type"], 1);
    assert_eq!(v["mmsi"], 371798000);
    assert_eq!(v["speed"].as_f64().map(|s| (s * 10.0).round()), Some(123.0));
    let v = serde_json::to_value(&d[1].message).unwrap();
    assert!(v["heading"].is_null());
    let v = serde_json::to_value(&d[15].message).unwrap();
    assert_eq!(v["callsign"], "TC6163");
    assert_eq!(v["to_stern"], 15);
}
