//! The emitted traffic agrees with the truth: decoded with the project's own `ais` decoder, every
//! scripted ship-to-ship pair really lies within the stated distance for the stated time, and
//! scripted dark periods emit nothing. Plus determinism and the coastline.

use sim::{Format, Options, Truth};
use spatial::LonLat;

fn run(name: &str, seed: Option<u64>, hours: Option<f64>) -> (Vec<u8>, Truth, sim::Summary) {
    let (sc, _) = sim::load_scenario(name).expect("bundled scenario parses");
    let mut out = Vec::new();
    let opts = Options {
        seed,
        format: Format::Nmea,
        limit_hours: hours,
    };
    let (truth, summary) = sim::simulate(&sc, None, &opts, &mut out).expect("simulates");
    (out, truth, summary)
}

fn land(name: &str) -> sim::world::Land {
    let (sc, _) = sim::load_scenario(name).unwrap();
    sim::world::World::build(&sc, None).unwrap().land
}

#[test]
fn small_scenario_agrees_with_truth() {
    let (bytes, truth, summary) = run("small", None, None);
    assert!(
        summary.messages > 5_000 && summary.lines < 50_000,
        "{summary:?}"
    );
    assert!(
        summary.duplicates > 0 && summary.reordered > 0 && summary.corrupted > 0,
        "{summary:?}"
    );
    let traffic = sim::verify::decode(&bytes[..]).unwrap();
    assert_eq!(
        traffic.bad_checksum, summary.corrupted,
        "every corrupted sentence is rejected"
    );
    assert_eq!(traffic.other_rejects, 0);
    assert!(
        traffic.orphans <= traffic.bad_checksum,
        "orphans only from corrupted first parts"
    );
    let land = land("small");
    assert!(land.len() > 100, "the bundled coastline is loaded");
    let a = sim::verify::agree(&traffic, &truth, &land);
    assert_eq!(a.sts_checked, 1, "{a:?}");
    assert!(a.sts_pairs >= 20, "{a:?}");
    assert!(
        a.sts_max_distance_m < 100.0,
        "alongside within 100 m: {a:?}"
    );
    assert!(a.sts_max_speed_kn < 1.0, "alongside at < 1 kn: {a:?}");
    assert!(a.sts_poorly_covered.is_empty(), "{a:?}");
    assert_eq!(a.dark_checked, 1, "{a:?}");
    assert_eq!(a.dark_violations, 0, "nothing emitted while dark: {a:?}");
    assert!(a.positions_checked > 10_000 && a.on_land == 0, "{a:?}");
    // The dark ship is heard before and after its dark period.
    let gap = truth
        .events
        .iter()
        .find(|e| e.kind == "gap" && !e.benign)
        .unwrap();
    let ts = &traffic.times[&gap.vessels[0]];
    assert!(ts.iter().any(|&t| t < gap.start_ms) && ts.iter().any(|&t| t >= gap.end_ms));
}

#[test]
fn the_check_catches_a_ship_that_is_not_alongside() {
    // Shift one ship of the STS by 300 m: the agreement check must notice.
    let (bytes, truth, _) = run("small", None, None);
    let mut traffic = sim::verify::decode(&bytes[..]).unwrap();
    let e = truth
        .events
        .iter()
        .find(|e| e.kind == "encounter" && !e.benign)
        .unwrap();
    for p in traffic.positions.get_mut(&e.vessels[1]).unwrap() {
        p.p = spatial::destination(p.p, 0.0, 300.0);
    }
    let a = sim::verify::agree(&traffic, &truth, &land("small"));
    assert!(a.sts_max_distance_m > 200.0, "{a:?}");
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let (a, ta, _) = run("small", Some(5), Some(12.0));
    let (b, tb, _) = run("small", Some(5), Some(12.0));
    let (c, _, _) = run("small", Some(6), Some(12.0));
    assert!(a == b, "same seed must give identical output");
    assert_eq!(ta, tb);
    assert!(a != c);
}

#[test]
fn csv_output_has_noaa_columns() {
    let (sc, _) = sim::load_scenario("small").unwrap();
    let mut out = Vec::new();
    let opts = Options {
        seed: None,
        format: Format::Csv,
        limit_hours: Some(6.0),
    };
    let (_, summary) = sim::simulate(&sc, None, &opts, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len() as u64, summary.lines);
    assert!(rows.iter().all(|r| r.split(',').count() == 17));
    let _ = LonLat::new(0.0, 0.0);
}

#[test]
fn bundled_scenarios_build() {
    for name in ["small", "dprk", "scale"] {
        let (sc, _) = sim::load_scenario(name).unwrap();
        sim::world::World::build(&sc, None).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn bad_scenarios_are_rejected_with_a_reason() {
    let text = sim::scenarios::SMALL;
    let check = |t: String, want: &str| {
        let sc = sim::parse_scenario("x.toml", &t);
        let e = match sc {
            Err(e) => e.to_string(),
            Ok(sc) => sim::simulate(&sc, None, &Options::default(), std::io::sink())
                .map(|_| ())
                .unwrap_err()
                .to_string(),
        };
        assert!(e.contains(want), "wanted {want:?} in {e}");
    };
    // The STS at hour 1 cannot be reached from Nampho in time.
    check(
        text.replacen("start_h = 20", "start_h = 1", 1),
        "cannot reach",
    );
    check(
        text.replacen(
            "vessels = [\"SAM JONG 2\", \"XIN YUAN 8\"]",
            "vessels = [\"SAM JONG 2\", \"NOBODY\"]",
            1,
        ),
        "no vessel \"NOBODY\"",
    );
    check(
        text.replacen("lat = 38.75\nlon = 122.95", "lat = 38.9\nlon = 121.2", 1),
        "on land",
    );
    check(text.replacen("hours = 54", "hours = -1", 1), "hours");
    check(
        text.replacen("kind = \"sts\"", "kind = \"teleport\"", 1),
        "x.toml",
    );
}
