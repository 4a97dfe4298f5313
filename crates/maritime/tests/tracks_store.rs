//! The store round trip: GFW files → positions/static_reports → `segment_store` → segments and
//! vessels tables → loaders. Skips when ../shared is absent.

use std::path::PathBuf;

use maritime::identity::{find_vessels, load_vessels};
use maritime::tracks::{
    load_segments, load_segments_for, segment_store, StoreRunOptions, TrackConfig,
};

#[test]
fn gfw_files_through_the_store() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ais/tracks/gfw-gpsdio-segment-regr");
    let files: Vec<PathBuf> = ["regr_209515000.json.gz", "regr_416239500.json.gz"]
        .iter()
        .map(|f| dir.join(f))
        .collect();
    if !files.iter().all(|f| f.exists()) {
        eprintln!("skipping: {} not found (../shared absent)", dir.display());
        return;
    }
    let store = tempfile::tempdir().expect("temp dir");
    let ingest = ingest::gfw::ingest_gfw_files(&files, store.path()).expect("ingest");
    assert!(ingest.positions > 2000, "{ingest:?}");
    let opts = StoreRunOptions {
        partitions: 3,
        spill_dir: None,
    };
    let summary = segment_store(store.path(), &TrackConfig::default(), &opts).expect("segment");
    let s = &summary.stats;
    assert_eq!(s.positions, ingest.positions + ingest.both);
    assert_eq!(s.positions, s.placed + s.duplicates + s.no_time);
    assert_eq!(s.mmsis, 2);
    let segments = load_segments(store.path()).expect("load");
    let points: u64 = segments.iter().map(|s| s.points.len() as u64).sum();
    assert_eq!(points, s.placed);
    assert_eq!(points, summary.segment_rows);
    for seg in &segments {
        assert!(seg.points.windows(2).all(|w| w[0].time_ms <= w[1].time_ms));
    }
    assert!(load_segments_for(store.path(), 209_515_000)
        .expect("load one")
        .iter()
        .all(|s| s.mmsi == 209_515_000));
    // Running again replaces the tables instead of appending a second copy.
    segment_store(store.path(), &TrackConfig::default(), &opts).expect("segment again");
    assert_eq!(
        load_segments(store.path()).expect("reload").len(),
        segments.len()
    );

    let vessels = load_vessels(store.path()).expect("vessels");
    let polar = find_vessels(&vessels, "containerships polar");
    assert_eq!(polar.len(), 1);
    assert_eq!(polar[0].mmsi, 209_515_000);
    assert_eq!(polar[0].flag.as_deref(), Some("CY"));
    assert_eq!(polar[0].main_value("imo"), Some("9814002"));
    assert!(polar[0].invalid_imos.is_empty());
}
