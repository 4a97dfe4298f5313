//! Segmentation against Global Fishing Watch's own, on files from ../shared (skipped if absent).

use std::path::PathBuf;

use maritime::tracks::eval::{assign_segments, compare_with_reference};
use maritime::tracks::{implied_knots, segment_fixes, Fix, TrackConfig};

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ais/tracks")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipping: {} not found (../shared absent)", p.display());
        None
    }
}

fn labelled(path: &std::path::Path) -> (Vec<Fix>, Vec<Option<String>>) {
    let file = ingest::gfw::read_gfw_file(path, 0).expect("readable GFW file");
    let mut fixes = Vec::new();
    let mut labels = Vec::new();
    for rec in &file.records {
        if let Some(fix) = rec.position().and_then(Fix::from_row) {
            fixes.push(fix);
            labels.push(rec.expected.clone());
        }
    }
    (fixes, labels)
}

#[test]
fn agrees_with_gfw_on_two_regression_files() {
    // 567000000 is the hardest file of the set (several vessels, GFW singletons); 209515000 has
    // type 27 reports and port stays.
    for name in ["regr_567000000.json.gz", "regr_209515000.json.gz"] {
        let Some(path) = shared(&format!("gfw-gpsdio-segment-regr/{name}")) else {
            return;
        };
        let (fixes, labels) = labelled(&path);
        assert!(fixes.len() > 500, "{name}: {} positions", fixes.len());
        let (ours, _) = assign_segments(&fixes, &TrackConfig::default());
        let c = compare_with_reference(&ours, &labels);
        eprintln!("{name}: P {:.4} R {:.4}", c.precision(), c.recall());
        assert!(c.precision() >= 0.85, "{name}: precision {}", c.precision());
        assert!(c.recall() >= 0.95, "{name}: recall {}", c.recall());
    }
}

#[test]
fn mmsi_416000000_splits_into_plausible_vessels() {
    let Some(path) = shared("gfw-gpsdio-segment-tests/416000000.json.gz") else {
        return;
    };
    let file = ingest::gfw::read_gfw_file(&path, 0).expect("readable");
    assert!(file.rejects.is_empty(), "{:?}", file.rejects.first());
    let fixes: Vec<Fix> = file.positions().filter_map(Fix::from_row).collect();
    assert_eq!(fixes.len(), 1668);
    let cfg = TrackConfig::default();
    let (segments, stats) = segment_fixes(fixes, &cfg);
    let usable: Vec<_> = segments.iter().filter(|s| !s.is_flagged_only()).collect();
    let big = usable
        .iter()
        .filter(|s| s.usable_points().count() >= 10)
        .count();
    eprintln!(
        "416000000: {} segments, {} with ≥ 10 points; {stats:?}",
        usable.len(),
        big
    );
    // Many Taiwanese vessels share this MMSI: one zig-zag track would be wrong, one segment per
    // position would be wrong too.
    assert!(
        (RANGE_ALL).contains(&usable.len()),
        "{} segments",
        usable.len()
    );
    assert!(
        (RANGE_BIG).contains(&big),
        "{big} segments with ≥ 10 points"
    );
    // Several of those vessels are at sea at the same time: segments overlap in time.
    let spans: Vec<(i64, i64)> = usable
        .iter()
        .filter(|s| s.usable_points().count() >= 10)
        .filter_map(|s| s.time_range())
        .collect();
    let overlapping = spans
        .iter()
        .enumerate()
        .flat_map(|(i, a)| spans[i + 1..].iter().map(move |b| (a, b)))
        .filter(|(a, b)| a.0 < b.1 && b.0 < a.1)
        .count();
    assert!(overlapping >= 2, "{overlapping} overlapping segment pairs");
    for s in &segments {
        let pts: Vec<_> = s.usable_points().collect();
        for w in pts.windows(2) {
            let v = implied_knots(w[0], w[1], cfg.position_noise_m);
            assert!(
                v <= cfg.max_implied_knots,
                "segment {} implies {v:.1} kn between {} and {}",
                s.id,
                w[0].time_ms,
                w[1].time_ms
            );
        }
    }
}

/// Measured 33 segments, 18 with at least 10 usable points (default config, 2026-11-28).
const RANGE_ALL: std::ops::RangeInclusive<usize> = 20..=60;
const RANGE_BIG: std::ops::RangeInclusive<usize> = 10..=30;
