//! The detectors on real AIS: NOAA MarineCadastre 2020 tracks (New York Harbor, Hampton Roads)
//! from `../shared/data/ais-tracks/derived/` (skipped when absent).
//!
//! What is checked: the run is deterministic; every event lies inside the data's area and time;
//! encounters honour their thresholds; the counts per kind stay inside ranges set from a run that
//! was looked at by hand (see docs/accuracy.md, "Detectors"). The positions carry no speed, so
//! speeds are implied by the fixes.

use maritime::detect::{self, Context, DetectConfig, PortList};
use maritime::event::EventKind;
use maritime::tracks::{Segment, TrackPoint};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ais-tracks/derived");
    p.is_dir().then_some(p)
}

fn parse_time(s: &str) -> Option<i64> {
    detect::table::parse_utc_ms(s)
}

fn load(path: &std::path::Path) -> Vec<Segment> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).expect("open"))
        .read_to_string(&mut text)
        .expect("gunzip");
    let mut by: BTreeMap<(u32, u32), Vec<TrackPoint>> = BTreeMap::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let parsed = (|| {
            Some((
                f.first()?.parse::<u32>().ok()?,
                parse_time(f.get(1)?)?,
                f.get(2)?.parse::<f64>().ok()?,
                f.get(3)?.parse::<f64>().ok()?,
                f.get(4)?.parse::<u32>().ok()?,
            ))
        })();
        let Some((mmsi, t, lat, lon, traj)) = parsed else {
            panic!("{}: line {}: unparsable: {line}", path.display(), i + 1);
        };
        by.entry((mmsi, traj)).or_default().push(TrackPoint {
            time_ms: t,
            lat,
            lon,
            sog: None,
            cog: None,
            heading: None,
            nav_status: None,
            flag: None,
        });
    }
    by.into_iter()
        .map(|((mmsi, traj), mut points)| {
            points.sort_by_key(|p| p.time_ms);
            Segment {
                id: format!("{mmsi}-{}-{traj}", points[0].time_ms),
                mmsi,
                points,
            }
        })
        .collect()
}

#[test]
fn real_tracks_give_stable_plausible_events() {
    let Some(dir) = shared() else {
        eprintln!("SKIP: ../shared/data/ais-tracks/derived not found");
        return;
    };
    // US ports are not in the bundled list: no port exclusion here, so harbour pairs count.
    let ctx = Context {
        ports: PortList::default(),
        ..Context::default_region()
    };
    let cfg = DetectConfig::default();
    for (file, ranges) in [
        (
            "NYHarbor_2020_12_first_week.csv.gz",
            // kind, min, max
            vec![
                ("encounter", 5, 400),
                ("gap", 20, 2_000),
                ("loitering", 20, 2_000),
            ],
        ),
        (
            "VirginiaBeach_2020_06_04_to_06_filtered.csv.gz",
            vec![
                ("encounter", 0, 200),
                ("gap", 5, 1_000),
                ("loitering", 5, 1_000),
            ],
        ),
    ] {
        let segs = load(&dir.join(file));
        let n: usize = segs.iter().map(|s| s.points.len()).sum();
        let (t0, t1) = segs
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.time_ms))
            .fold((i64::MAX, i64::MIN), |(a, b), t| (a.min(t), b.max(t)));
        let (la0, la1, lo0, lo1) = segs.iter().flat_map(|s| &s.points).fold(
            (90.0f64, -90.0f64, 180.0f64, -180.0f64),
            |(a, b, c, d), p| (a.min(p.lat), b.max(p.lat), c.min(p.lon), d.max(p.lon)),
        );
        let ev = detect::run_all(&segs, &[], &cfg, &ctx);
        let again = detect::run_all(&segs, &[], &cfg, &ctx);
        assert_eq!(ev, again, "{file}: detection is not deterministic");
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for e in &ev {
            *counts.entry(e.kind.as_str().to_string()).or_default() += 1;
            assert!(
                e.start_ms >= t0 && e.end_ms <= t1 && e.start_ms <= e.end_ms,
                "{file}: {e:?}"
            );
            assert!(
                (la0 - 0.1..=la1 + 0.1).contains(&e.lat)
                    && (lo0 - 0.1..=lo1 + 0.1).contains(&e.lon),
                "{file}: event outside the data area: {e:?}"
            );
            assert!(!e.params.is_empty(), "{file}: event without params");
            if e.kind == EventKind::Encounter {
                assert!(e.metrics["median_distance_m"] <= 500.0);
                assert!(e.metrics["duration_hours"] >= 2.0);
                assert!(e.metrics["median_speed_knots"] < 2.0);
                assert_ne!(e.vessels[0], e.vessels[1]);
            }
            if e.kind == EventKind::Gap {
                assert!(e.metrics["duration_hours"] >= 6.0);
            }
        }
        eprintln!("{file}: {} segments, {n} positions: {counts:?}", segs.len());
        // A sample to look at (cargo test -- --nocapture).
        for kind in [
            EventKind::Encounter,
            EventKind::DarkRendezvous,
            EventKind::Loitering,
            EventKind::Gap,
        ] {
            for e in ev.iter().filter(|e| e.kind == kind).take(4) {
                eprintln!(
                    "  {:?} {:?} {:?} {} {:.1} h at {:.4},{:.4} {:?}",
                    e.kind,
                    e.grade,
                    e.vessels,
                    detect::table::format_utc(e.start_ms),
                    (e.end_ms - e.start_ms) as f64 / 3.6e6,
                    e.lat,
                    e.lon,
                    e.metrics
                        .iter()
                        .filter(|(k, _)| k.contains("distance")
                            || k.contains("speed")
                            || k.contains("positions_before")
                            || k.contains("covered"))
                        .collect::<Vec<_>>()
                );
            }
        }
        for (kind, lo, hi) in ranges {
            let c = counts.get(kind).copied().unwrap_or(0);
            assert!(
                (lo..=hi).contains(&c),
                "{file}: {c} {kind} events, expected {lo}..={hi}"
            );
        }
        // No flagged input points, so no spoofing from flags; circles in a harbour would be suspect.
        assert_eq!(counts.get("teleport"), None);
    }
}
