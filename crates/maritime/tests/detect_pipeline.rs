//! The detectors end to end on a small hand-built traffic picture: an STS transfer at sea, the
//! benign look-alikes the simulator also scripts (bunkering in port, ships waiting together at an
//! anchorage, a fishing pair trawling together), and a dark period — through `run_all`, the
//! `events` table and the query filter.

use maritime::detect::table::{read_events, write_events, EventFilter};
use maritime::detect::{self, Context, DetectConfig};
use maritime::event::EventKind;
use maritime::tracks::{Segment, TrackPoint};
use spatial::{destination, LonLat};

const T0: i64 = 1_735_689_600_000;
const MIN: i64 = 60_000;

fn pt(t: i64, p: LonLat, sog: f64) -> TrackPoint {
    TrackPoint {
        time_ms: t,
        lat: p.lat,
        lon: p.lon,
        sog: Some(sog as f32),
        cog: Some(0.0),
        heading: None,
        nav_status: None,
        flag: None,
    }
}

/// `minutes` of fixes every `every` minutes from `t`, at `knots` on `bearing` from `start`
/// (a few metres of jitter when still).
fn leg(
    start: LonLat,
    bearing: f64,
    knots: f64,
    t: i64,
    minutes: i64,
    every: i64,
) -> Vec<TrackPoint> {
    (0..=minutes / every)
        .map(|i| {
            let d = knots * 1852.0 * (i * every) as f64 / 60.0;
            let p = destination(start, bearing, d);
            let p = destination(p, (i * 53 % 360) as f64, 5.0);
            pt(t + i * every * MIN, p, knots)
        })
        .collect()
}

fn seg(mmsi: u32, points: Vec<TrackPoint>) -> Segment {
    Segment {
        id: format!("{mmsi}-{}-1", points[0].time_ms),
        mmsi,
        points,
    }
}

fn picture() -> Vec<Segment> {
    let mut segs = Vec::new();
    // STS in the Korea Bay hotspot: 6 h alongside at 0.2 kn, 80 m apart.
    let sts = LonLat::new(123.2, 38.9);
    segs.push(seg(445_000_001, leg(sts, 0.0, 0.2, T0, 6 * 60, 3)));
    segs.push(seg(
        413_000_001,
        leg(destination(sts, 90.0, 80.0), 0.0, 0.2, T0, 6 * 60, 3),
    ));
    // Bunkering alongside in Dalian for 5 h.
    let dalian = LonLat::new(121.6778, 38.9217);
    segs.push(seg(413_000_002, leg(dalian, 0.0, 0.0, T0, 5 * 60, 3)));
    segs.push(seg(
        413_000_003,
        leg(destination(dalian, 0.0, 60.0), 0.0, 0.0, T0, 5 * 60, 3),
    ));
    // Two ships anchored 380 m apart at the Qingdao anchorage for 20 h.
    let anch = LonLat::new(120.42, 35.97);
    segs.push(seg(413_000_004, leg(anch, 0.0, 0.0, T0, 20 * 60, 6)));
    segs.push(seg(
        413_000_005,
        leg(destination(anch, 45.0, 380.0), 0.0, 0.0, T0, 20 * 60, 6),
    ));
    // A fishing pair trawling 350 m apart at 2.5 kn for 10 h.
    let ground = LonLat::new(122.3, 36.6);
    segs.push(seg(412_000_001, leg(ground, 30.0, 2.5, T0, 10 * 60, 1)));
    segs.push(seg(
        412_000_002,
        leg(destination(ground, 120.0, 350.0), 30.0, 2.5, T0, 10 * 60, 1),
    ));
    // A tanker that sails 12 h in coverage, goes dark for 14 h, reappears 150 km on.
    let start = LonLat::new(123.5, 36.0);
    let mut dark = leg(start, 20.0, 12.0, T0, 12 * 60, 2);
    let off = dark[dark.len() - 1].clone();
    let on_at = destination(LonLat::new(off.lon, off.lat), 20.0, 150_000.0);
    dark.extend(leg(
        on_at,
        20.0,
        12.0,
        off.time_ms + 14 * 60 * MIN,
        6 * 60,
        2,
    ));
    segs.push(seg(445_000_002, dark));
    segs
}

#[test]
fn sts_is_found_and_look_alikes_are_not_encounters() {
    let segs = picture();
    let events = detect::run_all(
        &segs,
        &[],
        &DetectConfig::default(),
        &Context::default_region(),
    );
    let enc: Vec<_> = events
        .iter()
        .filter(|e| e.kind == EventKind::Encounter)
        .collect();
    assert_eq!(enc.len(), 1, "{enc:#?}");
    assert_eq!(enc[0].vessels, vec![413_000_001, 445_000_001]);
    assert_eq!(enc[0].grade.as_deref(), Some("sts"));
    assert!(enc[0].attributes["zones"].contains("Korea Bay"));

    let gaps: Vec<_> = events.iter().filter(|e| e.kind == EventKind::Gap).collect();
    assert_eq!(gaps.len(), 1, "{gaps:#?}");
    assert_eq!(gaps[0].vessels, vec![445_000_002]);
    assert_eq!(gaps[0].grade.as_deref(), Some("intentional"));
    assert!((gaps[0].metrics["duration_hours"] - 14.0).abs() < 0.05);
    assert!(gaps[0].metrics.contains_key("off_dprk_port_m"));

    // The bunkering ships are in port: port visits, not encounters or loitering.
    assert!(events
        .iter()
        .filter(|e| e.kind == EventKind::Loitering)
        .all(|e| !e.vessels.contains(&413_000_002) && !e.vessels.contains(&413_000_004)));
    // Every event records the thresholds it ran with.
    assert!(events.iter().all(|e| !e.params.is_empty()));
}

#[test]
fn events_round_trip_through_the_store_and_filter() {
    let segs = picture();
    let events = detect::run_all(
        &segs,
        &[],
        &DetectConfig::default(),
        &Context::default_region(),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    write_events(dir.path(), &events).expect("write");
    let back = read_events(dir.path()).expect("read");
    assert_eq!(back, events);
    let f = EventFilter {
        kinds: vec![EventKind::Encounter],
        vessel: Some(445_000_001),
        since_ms: Some(T0),
        until_ms: Some(T0 + 24 * 3_600_000),
        grade: Some("sts".into()),
    };
    assert_eq!(back.iter().filter(|e| f.matches(e)).count(), 1);
    let none = EventFilter {
        vessel: Some(1),
        ..EventFilter::default()
    };
    assert_eq!(back.iter().filter(|e| none.matches(e)).count(), 0);
}
