//! The `segments` table: one row per track point, carrying its segment id and flag.
//!
//! One row per point (rather than one per segment plus a points table) keeps the table a plain
//! position table that DuckDB, pandas or QGIS read without joins: `GROUP BY segment_id` gives
//! segment summaries. Rows are written grouped by segment, in time order within a segment.

use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{
    Float32Builder, Float64Builder, StringBuilder, TimestampMillisecondBuilder, UInt16Builder,
    UInt32Builder, UInt8Builder,
};
use arrow_array::{
    Array, Float32Array, Float64Array, RecordBatch, StringArray, TimestampMillisecondArray,
    UInt16Array, UInt32Array, UInt8Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};

use super::{PointFlag, Segment, TrackPoint};

/// Table name (directory under the store) of segment points.
pub const SEGMENTS_FILE: &str = "segments";

/// Failure reading or writing the `segments` table.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The store layer failed (I/O, Parquet).
    #[error(transparent)]
    Store(#[from] store::StoreError),
    /// Arrow refused a batch.
    #[error("segments table: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// A column is missing or has the wrong type.
    #[error("segments table: column `{0}` missing or of the wrong type")]
    Column(&'static str),
    /// A row holds a value that cannot be right.
    #[error("segments table: row {row}: {what}")]
    Value {
        /// Row index within its batch.
        row: usize,
        /// What was wrong.
        what: String,
    },
    /// Removing the old table failed.
    #[error("{path}: {source}")]
    Io {
        /// The directory.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

/// Arrow schema of the `segments` table (documented in docs/schemas.md).
pub fn segments_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("segment_id", DataType::Utf8, false),
        Field::new("mmsi", DataType::UInt32, false),
        Field::new(
            "time",
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            false,
        ),
        Field::new("lat", DataType::Float64, true),
        Field::new("lon", DataType::Float64, true),
        Field::new("sog", DataType::Float32, true),
        Field::new("cog", DataType::Float32, true),
        Field::new("heading", DataType::UInt16, true),
        Field::new("nav_status", DataType::UInt8, true),
        Field::new("flag", DataType::Utf8, true),
    ]))
}

/// Converts segments to one record batch.
pub fn segments_batch(segments: &[Segment]) -> Result<RecordBatch, TableError> {
    let n: usize = segments.iter().map(|s| s.points.len()).sum();
    let mut id = StringBuilder::with_capacity(n, n * 24);
    let mut mmsi = UInt32Builder::with_capacity(n);
    let mut time = TimestampMillisecondBuilder::with_capacity(n).with_timezone("UTC");
    let mut lat = Float64Builder::with_capacity(n);
    let mut lon = Float64Builder::with_capacity(n);
    let mut sog = Float32Builder::with_capacity(n);
    let mut cog = Float32Builder::with_capacity(n);
    let mut heading = UInt16Builder::with_capacity(n);
    let mut nav = UInt8Builder::with_capacity(n);
    let mut flag = StringBuilder::with_capacity(n, n);
    let finite = |v: f64| v.is_finite().then_some(v);
    for s in segments {
        for p in &s.points {
            id.append_value(&s.id);
            mmsi.append_value(s.mmsi);
            time.append_value(p.time_ms);
            lat.append_option(finite(p.lat));
            lon.append_option(finite(p.lon));
            sog.append_option(p.sog);
            cog.append_option(p.cog);
            heading.append_option(p.heading);
            nav.append_option(p.nav_status);
            flag.append_option(p.flag.map(PointFlag::as_str));
        }
    }
    Ok(RecordBatch::try_new(
        segments_schema(),
        vec![
            Arc::new(id.finish()),
            Arc::new(mmsi.finish()),
            Arc::new(time.finish()),
            Arc::new(lat.finish()),
            Arc::new(lon.finish()),
            Arc::new(sog.finish()),
            Arc::new(cog.finish()),
            Arc::new(heading.finish()),
            Arc::new(nav.finish()),
            Arc::new(flag.finish()),
        ],
    )?)
}

/// Appends segments to the `segments` table of `store_dir` as one new part file.
pub fn write_segments_table(store_dir: &Path, segments: &[Segment]) -> Result<(), TableError> {
    let mut w = store::table::PartWriter::create(store_dir, SEGMENTS_FILE, segments_schema())?;
    for chunk in segments.chunks(4096) {
        w.write(&segments_batch(chunk)?)?;
    }
    w.finish()?;
    Ok(())
}

/// Reads the `segments` table back into segments (all MMSIs).
pub fn load_segments(store_dir: &Path) -> Result<Vec<Segment>, TableError> {
    read_segments_table(store_dir, |_| true)
}

/// Reads the segments of one MMSI.
pub fn load_segments_for(store_dir: &Path, mmsi: u32) -> Result<Vec<Segment>, TableError> {
    read_segments_table(store_dir, |m| m == mmsi)
}

fn col<'a, T: 'static>(b: &'a RecordBatch, name: &'static str) -> Result<&'a T, TableError> {
    b.column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<T>())
        .ok_or(TableError::Column(name))
}

/// Reads segments whose MMSI passes `keep`. Rows of one segment are contiguous when written by
/// [`write_segments_table`]; should they not be, points are regrouped by id.
pub fn read_segments_table(
    store_dir: &Path,
    keep: impl Fn(u32) -> bool,
) -> Result<Vec<Segment>, TableError> {
    let mut out: Vec<Segment> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for batch in store::table::read_batches(store_dir, SEGMENTS_FILE)? {
        let b = batch?;
        let id = col::<StringArray>(&b, "segment_id")?;
        let mmsi = col::<UInt32Array>(&b, "mmsi")?;
        let time = col::<TimestampMillisecondArray>(&b, "time")?;
        let lat = col::<Float64Array>(&b, "lat")?;
        let lon = col::<Float64Array>(&b, "lon")?;
        let sog = col::<Float32Array>(&b, "sog")?;
        let cog = col::<Float32Array>(&b, "cog")?;
        let heading = col::<UInt16Array>(&b, "heading")?;
        let nav = col::<UInt8Array>(&b, "nav_status")?;
        let flag = col::<StringArray>(&b, "flag")?;
        for r in 0..b.num_rows() {
            let m = mmsi.value(r);
            if !keep(m) {
                continue;
            }
            let opt_f64 = |a: &Float64Array| (!a.is_null(r)).then(|| a.value(r));
            let point = TrackPoint {
                time_ms: time.value(r),
                lat: opt_f64(lat).unwrap_or(f64::NAN),
                lon: opt_f64(lon).unwrap_or(f64::NAN),
                sog: (!sog.is_null(r)).then(|| sog.value(r)),
                cog: (!cog.is_null(r)).then(|| cog.value(r)),
                heading: (!heading.is_null(r)).then(|| heading.value(r)),
                nav_status: (!nav.is_null(r)).then(|| nav.value(r)),
                flag: if flag.is_null(r) {
                    None
                } else {
                    Some(
                        PointFlag::parse(flag.value(r)).ok_or_else(|| TableError::Value {
                            row: r,
                            what: format!("unknown flag `{}`", flag.value(r)),
                        })?,
                    )
                },
            };
            let sid = id.value(r);
            let slot = match out.last() {
                Some(last) if last.id == sid => out.len() - 1,
                _ => match index.get(sid) {
                    Some(&i) => i,
                    None => {
                        index.insert(sid.to_string(), out.len());
                        out.push(Segment {
                            id: sid.to_string(),
                            mmsi: m,
                            points: Vec::new(),
                        });
                        out.len() - 1
                    }
                },
            };
            out[slot].points.push(point);
        }
    }
    for s in &mut out {
        if s.points.windows(2).any(|w| w[1].time_ms < w[0].time_ms) {
            s.points.sort_by_key(|p| p.time_ms);
        }
    }
    Ok(out)
}

/// Removes the `segments` table (before a fresh `embargo segment` run, which would otherwise
/// append a second copy).
pub fn clear_segments_table(store_dir: &Path) -> Result<(), TableError> {
    let dir = store::table::table_dir(store_dir, SEGMENTS_FILE);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(TableError::Io {
            path: dir.display().to_string(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let dir = std::env::temp_dir().join(format!("maritime-seg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let seg = Segment {
            id: "1-0-1".into(),
            mmsi: 1,
            points: vec![
                TrackPoint {
                    time_ms: 0,
                    lat: 1.0,
                    lon: 2.0,
                    sog: Some(3.0),
                    cog: None,
                    heading: Some(4),
                    nav_status: None,
                    flag: None,
                },
                TrackPoint {
                    time_ms: 1000,
                    lat: 0.0,
                    lon: 0.0,
                    sog: None,
                    cog: None,
                    heading: None,
                    nav_status: Some(1),
                    flag: Some(PointFlag::NullIsland),
                },
            ],
        };
        write_segments_table(&dir, std::slice::from_ref(&seg)).expect("write");
        let back = load_segments(&dir).expect("read");
        assert_eq!(back, vec![seg]);
        assert!(load_segments_for(&dir, 2).expect("read").is_empty());
        clear_segments_table(&dir).expect("clear");
        assert!(load_segments(&dir).expect("read").is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
