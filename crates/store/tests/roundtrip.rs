//! Parquet round trips: rows written are the rows read back, and writes append.

use arrow_array::{Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use std::sync::Arc;
use store::{PositionRow, StaticRow, TransceiverClass};

fn position(i: u32) -> PositionRow {
    PositionRow {
        time_ms: (i % 3 != 0).then_some(1_600_000_000_000 + i as i64 * 1000),
        mmsi: 200_000_000 + i,
        lat: (i % 5 != 0).then_some(10.0 + i as f64 * 1e-4),
        lon: (i % 7 != 0).then_some(-20.0 - i as f64 * 1e-4),
        sog: (i % 2 == 0).then_some(i as f32 / 10.0),
        cog: (i % 4 != 0).then_some(123.4),
        heading: (i % 6 != 0).then_some(270),
        nav_status: (i % 8 != 0).then_some((i % 16) as u8),
        msg_type: [1u8, 3, 18, 27][i as usize % 4],
        class: [
            TransceiverClass::A,
            TransceiverClass::B,
            TransceiverClass::BaseStation,
            TransceiverClass::Sar,
            TransceiverClass::AtoN,
            TransceiverClass::Unknown,
        ][i as usize % 6],
        station: (i % 3 != 1).then(|| format!("st{}", i % 4)),
        source: i % 2,
    }
}

fn static_row(i: u32) -> StaticRow {
    StaticRow {
        time_ms: Some(1_600_000_000_000 + i as i64),
        mmsi: 300_000_000 + i,
        msg_type: 5,
        imo: (i % 2 == 0).then_some(9_000_000 + i),
        call_sign: Some(format!("CS{i}")),
        name: (i % 3 != 0).then(|| format!("SHIP {i}")),
        ship_type: Some(70),
        to_bow: Some(100),
        to_stern: Some(20),
        to_port: Some(5),
        to_starboard: None,
        draught: Some(7.5),
        destination: Some("NAMPO".into()),
        eta: Some("03-14T12:00".into()),
        source: 0,
    }
}

#[test]
fn positions_round_trip_across_parts() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<PositionRow> = (0..2500).map(position).collect();
    let mut w = store::RowWriter::<PositionRow>::new(dir.path()).with_rows_per_part(1000);
    for r in &rows {
        w.push(r.clone()).unwrap();
    }
    let parts = w.finish().unwrap();
    assert_eq!(parts.len(), 3, "{parts:?}");
    let back: Vec<PositionRow> = store::read_positions(dir.path())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back, rows);
}

#[test]
fn static_reports_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<StaticRow> = (0..100).map(static_row).collect();
    store::write_static_reports(dir.path(), &rows).unwrap();
    let back: Vec<StaticRow> = store::read_static_reports(dir.path())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back, rows);
}

#[test]
fn writes_append_new_parts() {
    let dir = tempfile::tempdir().unwrap();
    let a: Vec<PositionRow> = (0..10).map(position).collect();
    let b: Vec<PositionRow> = (10..15).map(position).collect();
    let pa = store::write_positions(dir.path(), &a).unwrap();
    let pb = store::write_positions(dir.path(), &b).unwrap();
    assert!(pa[0].ends_with("positions/part-00000.parquet"), "{pa:?}");
    assert!(pb[0].ends_with("positions/part-00001.parquet"), "{pb:?}");
    let back: Vec<PositionRow> = store::read_positions(dir.path())
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(back, [a, b].concat());
}

#[test]
fn concurrent_writers_never_share_a_part() {
    let dir = tempfile::tempdir().unwrap();
    std::thread::scope(|s| {
        for t in 0..4u32 {
            let d = dir.path();
            s.spawn(move || {
                for k in 0..5 {
                    let rows = vec![position(t * 100 + k)];
                    store::write_positions(d, &rows).unwrap();
                }
            });
        }
    });
    let parts = store::table::list_parts(dir.path(), store::POSITIONS).unwrap();
    assert_eq!(parts.len(), 20);
    assert_eq!(store::read_positions(dir.path()).unwrap().count(), 20);
}

#[test]
fn empty_writer_leaves_no_file_and_missing_table_reads_empty() {
    let dir = tempfile::tempdir().unwrap();
    let w = store::RowWriter::<StaticRow>::new(dir.path());
    assert!(w.finish().unwrap().is_empty());
    assert_eq!(store::read_static_reports(dir.path()).unwrap().count(), 0);
    assert!(!dir.path().join("static_reports").exists());
}

#[test]
fn generic_table_helper() {
    let dir = tempfile::tempdir().unwrap();
    let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Int64, false)]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![Arc::new(Int64Array::from(vec![1, 2, 3]))],
    )
    .unwrap();
    store::table::write_batches(dir.path(), "findings", schema.clone(), [batch.clone()]).unwrap();
    store::table::write_batches(dir.path(), "findings", schema, [batch]).unwrap();
    let total: usize = store::table::read_batches(dir.path(), "findings")
        .unwrap()
        .map(|b| b.unwrap().num_rows())
        .sum();
    assert_eq!(total, 6);
}

#[test]
fn corrupt_part_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("positions")).unwrap();
    std::fs::write(
        dir.path().join("positions/part-00000.parquet"),
        b"not parquet",
    )
    .unwrap();
    let mut it = store::read_positions(dir.path()).unwrap();
    let err = it.next().unwrap().unwrap_err().to_string();
    assert!(err.contains("part-00000.parquet"), "{err}");
    assert!(it.next().is_none());
}

#[test]
fn sources_append_indices() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store::Sources::load(dir.path()).unwrap();
    assert_eq!(s.register("a.nmea"), 0);
    assert_eq!(s.register("b.nmea"), 1);
    s.save(dir.path()).unwrap();
    let mut s2 = store::Sources::load(dir.path()).unwrap();
    assert_eq!(s2.register("c.nmea"), 2);
    assert_eq!(s2.path(1), Some("b.nmea"));
}
