//! The emitted traffic agrees with the truth: decoded with the project's own `ais` decoder, every
//! scripted ship-to-ship pair really lies within the stated distance for the stated time, and
//! scripted dark periods emit nothing. Plus determinism and the coastline.

use ais::{Decoder, DecoderOptions, Feed, Message};
use sim::{Format, Options, Truth};
use spatial::{haversine_m, LonLat};
use std::collections::HashMap;

struct Pos {
    t: i64,
    p: LonLat,
    sog: Option<f32>,
}

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

/// Decoded messages per MMSI: positions, and the times of every message of any type.
type Decoded = (HashMap<u32, Vec<Pos>>, HashMap<u32, Vec<i64>>, u64);

fn decode(bytes: &[u8]) -> Decoded {
    let mut d = Decoder::new(DecoderOptions::default());
    let mut pos: HashMap<u32, Vec<Pos>> = HashMap::new();
    let mut any: HashMap<u32, Vec<i64>> = HashMap::new();
    let mut bad_checksum = 0;
    let mut orphans = 0u64;
    for line in bytes.split(|&b| b == b'\n') {
        match d.feed(line) {
            Feed::Decoded(m) => {
                let t = m.meta.time_ms.expect("every line has a c: time");
                any.entry(m.message.mmsi()).or_default().push(t);
                let sog = match &m.message {
                    Message::PositionReportA(r) => r.speed,
                    Message::PositionReportB(r) => r.speed,
                    _ => None,
                };
                if let Some((lat, lon)) = m.message.position() {
                    pos.entry(m.message.mmsi()).or_default().push(Pos {
                        t,
                        p: LonLat::new(lon, lat),
                        sog,
                    });
                }
            }
            Feed::Rejected(r) => match r.reason {
                ais::RejectReason::BadChecksum => bad_checksum += 1,
                // The second part of a two-part message whose first part was corrupted.
                ais::RejectReason::OrphanFragment => orphans += 1,
                other => panic!(
                    "unexpected reject {other:?}: {}",
                    String::from_utf8_lossy(line)
                ),
            },
            _ => {}
        }
    }
    assert!(
        orphans <= bad_checksum,
        "{orphans} orphan fragments, {bad_checksum} corrupted lines"
    );
    (pos, any, bad_checksum)
}

#[test]
fn small_scenario_sts_and_dark_periods_agree_with_truth() {
    let (bytes, truth, summary) = run("small", None, None);
    let (pos, any, bad) = decode(&bytes);
    assert!(
        summary.messages > 5_000 && summary.lines < 50_000,
        "{summary:?}"
    );
    assert_eq!(
        bad, summary.corrupted,
        "every corrupted sentence is rejected, and only those"
    );
    assert!(
        summary.duplicates > 0 && summary.reordered > 0,
        "{summary:?}"
    );

    let sts: Vec<_> = truth
        .events
        .iter()
        .filter(|e| e.kind == "encounter" && !e.benign)
        .collect();
    assert!(!sts.is_empty());
    for e in &sts {
        let (a, b) = (e.vessels[0], e.vessels[1]);
        let pa: Vec<&Pos> = pos[&a]
            .iter()
            .filter(|p| p.t >= e.start_ms && p.t <= e.end_ms)
            .collect();
        let pb: Vec<&Pos> = pos[&b]
            .iter()
            .filter(|p| p.t >= e.start_ms && p.t <= e.end_ms)
            .collect();
        let mut pairs = 0;
        for x in &pa {
            for y in pb.iter().filter(|y| (y.t - x.t).abs() <= 30_000) {
                let d = haversine_m(x.p, y.p);
                assert!(
                    d < 100.0,
                    "{}: {a} and {b} {d:.0} m apart at {}",
                    e.script,
                    x.t
                );
                pairs += 1;
            }
            assert!(x.sog.unwrap_or(0.0) < 1.0, "alongside at < 1 kn");
        }
        assert!(
            pairs >= 20,
            "{}: only {pairs} simultaneous positions",
            e.script
        );
        // Coverage over the stated time: positions near both ends of the window.
        let span = pa.last().map(|p| p.t).unwrap_or(0) - pa.first().map(|p| p.t).unwrap_or(0);
        assert!(
            span as f64 >= 0.8 * (e.end_ms - e.start_ms) as f64,
            "{}: span {span}",
            e.script
        );
    }

    let dark: Vec<_> = truth
        .events
        .iter()
        .filter(|e| e.kind == "gap" && !e.benign)
        .collect();
    assert!(!dark.is_empty());
    for e in &dark {
        let m = e.vessels[0];
        let inside = any.get(&m).map_or(0, |ts| {
            ts.iter()
                .filter(|&&t| t >= e.start_ms && t < e.end_ms)
                .count()
        });
        assert_eq!(
            inside, 0,
            "{}: {m} emitted {inside} messages while dark",
            e.script
        );
        // ... and the ship was heard before and after.
        let ts = &any[&m];
        assert!(ts.iter().any(|&t| t < e.start_ms) && ts.iter().any(|&t| t >= e.end_ms));
    }
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
fn no_emitted_position_is_on_land() {
    let (sc, _) = sim::load_scenario("small").unwrap();
    let world = sim::world::World::build(&sc, None).unwrap();
    assert!(world.land.len() > 100, "the bundled coastline is loaded");
    let (bytes, truth, _) = run("small", None, None);
    let (pos, _, _) = decode(&bytes);
    let mut n = 0;
    for (m, ps) in &pos {
        for p in ps {
            assert!(
                !world.land.contains(p.p),
                "{m} on land at {:.5},{:.5}",
                p.p.lat,
                p.p.lon
            );
            n += 1;
        }
    }
    assert!(n > 1000);
    for port in &truth.ports {
        assert!(!world.land.contains(LonLat::new(port.lon, port.lat)));
    }
}
