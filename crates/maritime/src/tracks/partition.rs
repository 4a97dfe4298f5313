//! Segmenting a whole store in bounded memory: positions are spilled to MMSI-hashed partition
//! files, then each partition (all positions of its MMSIs) is sorted and segmented on its own,
//! partitions in parallel.
//!
//! Memory is one partition per worker thread (about `positions / partitions × 40 bytes` each,
//! plus its segments before they are written), not the whole input: with the default 256
//! partitions a day of global AIS (≈ 300 M positions) needs ≈ 1.2 M positions per partition.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::table::{
    clear_segments_table, segments_batch, segments_schema, TableError, SEGMENTS_FILE,
};
use super::{segment_fixes, Fix, SegmentStats, TrackConfig};
use crate::identity::{build_histories, write_vessels_table};

/// Bytes of one spilled position.
const RECORD: usize = 40;

/// Options of [`segment_store`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreRunOptions {
    /// Number of MMSI-hashed partitions. Default 256.
    pub partitions: usize,
    /// Directory for the spill files; default `<store>/.segment-spill`, removed afterwards.
    pub spill_dir: Option<PathBuf>,
}

impl Default for StoreRunOptions {
    fn default() -> Self {
        Self {
            partitions: 256,
            spill_dir: None,
        }
    }
}

/// What [`segment_store`] did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreRunSummary {
    /// Segmentation counters (every position is in exactly one of duplicates, no_time, placed).
    pub stats: SegmentStats,
    /// Rows written to the `segments` table.
    pub segment_rows: u64,
    /// Static reports read.
    pub static_reports: u64,
    /// Static reports without a time, skipped.
    pub static_no_time: u64,
    /// Vessels (MMSIs) in the `vessels` table.
    pub vessels: u64,
    /// Partitions that held positions.
    pub partitions_used: usize,
}

fn encode(f: &Fix, out: &mut [u8; RECORD]) {
    out[0..8].copy_from_slice(&f.time_ms.to_le_bytes());
    out[8..12].copy_from_slice(&f.mmsi.to_le_bytes());
    out[12..20].copy_from_slice(&f.lat.to_le_bytes());
    out[20..28].copy_from_slice(&f.lon.to_le_bytes());
    out[28..32].copy_from_slice(&f.sog.unwrap_or(f32::NAN).to_le_bytes());
    out[32..36].copy_from_slice(&f.cog.unwrap_or(f32::NAN).to_le_bytes());
    out[36..38].copy_from_slice(&f.heading.unwrap_or(u16::MAX).to_le_bytes());
    out[38] = f.nav_status.unwrap_or(u8::MAX);
    out[39] = f.msg_type;
}

fn decode(b: &[u8]) -> Fix {
    let arr8 = |r: std::ops::Range<usize>| {
        let mut a = [0u8; 8];
        a.copy_from_slice(&b[r]);
        a
    };
    let arr4 = |r: std::ops::Range<usize>| {
        let mut a = [0u8; 4];
        a.copy_from_slice(&b[r]);
        a
    };
    let sog = f32::from_le_bytes(arr4(28..32));
    let cog = f32::from_le_bytes(arr4(32..36));
    let heading = u16::from_le_bytes([b[36], b[37]]);
    Fix {
        time_ms: i64::from_le_bytes(arr8(0..8)),
        mmsi: u32::from_le_bytes(arr4(8..12)),
        lat: f64::from_le_bytes(arr8(12..20)),
        lon: f64::from_le_bytes(arr8(20..28)),
        sog: (!sog.is_nan()).then_some(sog),
        cog: (!cog.is_nan()).then_some(cog),
        heading: (heading != u16::MAX).then_some(heading),
        nav_status: (b[38] != u8::MAX).then_some(b[38]),
        msg_type: b[39],
    }
}

fn partition_of(mmsi: u32, n: usize) -> usize {
    // Fibonacci hashing spreads consecutive MMSIs (fleets) across partitions.
    ((u64::from(mmsi).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) % n as u64) as usize
}

fn io_err(path: &Path, source: std::io::Error) -> TableError {
    TableError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Spills fixes into `n` partition files under `dir`; returns the files used and the count of
/// positions without a time.
pub fn spill<I>(fixes: I, dir: &Path, n: usize) -> Result<Vec<PathBuf>, TableError>
where
    I: IntoIterator<Item = Fix>,
{
    fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let n = n.max(1);
    let mut writers: Vec<Option<BufWriter<File>>> = (0..n).map(|_| None).collect();
    let paths: Vec<PathBuf> = (0..n).map(|i| dir.join(format!("p{i:04}.bin"))).collect();
    let mut buf = [0u8; RECORD];
    for f in fixes {
        let i = partition_of(f.mmsi, n);
        if writers[i].is_none() {
            let file = File::create(&paths[i]).map_err(|e| io_err(&paths[i], e))?;
            writers[i] = Some(BufWriter::with_capacity(64 * 1024, file));
        }
        encode(&f, &mut buf);
        if let Some(w) = writers[i].as_mut() {
            w.write_all(&buf).map_err(|e| io_err(&paths[i], e))?;
        }
    }
    let mut used = Vec::new();
    for (i, w) in writers.into_iter().enumerate() {
        if let Some(mut w) = w {
            w.flush().map_err(|e| io_err(&paths[i], e))?;
            used.push(paths[i].clone());
        }
    }
    Ok(used)
}

/// Reads one spilled partition back.
pub fn read_partition(path: &Path) -> Result<Vec<Fix>, TableError> {
    let file = File::open(path).map_err(|e| io_err(path, e))?;
    let len = file.metadata().map_err(|e| io_err(path, e))?.len() as usize;
    let mut bytes = Vec::with_capacity(len);
    BufReader::new(file)
        .read_to_end(&mut bytes)
        .map_err(|e| io_err(path, e))?;
    if bytes.len() % RECORD != 0 {
        return Err(TableError::Value {
            row: bytes.len() / RECORD,
            what: format!("{}: truncated spill file", path.display()),
        });
    }
    Ok(bytes.chunks_exact(RECORD).map(decode).collect())
}

/// Builds the `segments` and `vessels` tables of a store from its `positions` and
/// `static_reports` tables, replacing earlier ones.
pub fn segment_store(
    store_dir: &Path,
    cfg: &TrackConfig,
    opts: &StoreRunOptions,
) -> Result<StoreRunSummary, TableError> {
    let mut summary = StoreRunSummary::default();
    let spill_dir = opts
        .spill_dir
        .clone()
        .unwrap_or_else(|| store_dir.join(".segment-spill"));
    let _ = fs::remove_dir_all(&spill_dir);

    let mut no_time = 0u64;
    let mut read_error: Option<TableError> = None;
    let rows = store::read_positions(store_dir)?;
    let fixes = rows.map_while(|r| match r {
        Ok(row) => Some(row),
        Err(e) => {
            read_error = Some(e.into());
            None
        }
    });
    let fixes = fixes.filter_map(|row| {
        let f = Fix::from_row(&row);
        if f.is_none() {
            no_time += 1;
        }
        f
    });
    let parts = spill(fixes, &spill_dir, opts.partitions)?;
    if let Some(e) = read_error {
        let _ = fs::remove_dir_all(&spill_dir);
        return Err(e);
    }
    summary.partitions_used = parts.len();

    clear_segments_table(store_dir)?;
    let writer = Mutex::new(store::table::PartWriter::create(
        store_dir,
        SEGMENTS_FILE,
        segments_schema(),
    )?);
    let results: Vec<Result<(SegmentStats, u64), TableError>> = parts
        .par_iter()
        .map(|p| {
            let fixes = read_partition(p)?;
            let (mut segments, stats) = segment_fixes(fixes, cfg);
            segments.sort_by(|a, b| (a.mmsi, &a.id).cmp(&(b.mmsi, &b.id)));
            let mut rows = 0u64;
            for chunk in segments.chunks(2048) {
                let batch = segments_batch(chunk)?;
                rows += batch.num_rows() as u64;
                writer
                    .lock()
                    .map_err(|_| TableError::Column("writer poisoned"))?
                    .write(&batch)?;
            }
            let _ = fs::remove_file(p);
            Ok((stats, rows))
        })
        .collect();
    let _ = fs::remove_dir_all(&spill_dir);
    for r in results {
        let (st, rows) = r?;
        summary.stats.add(&st);
        summary.segment_rows += rows;
    }
    writer
        .into_inner()
        .map_err(|_| TableError::Column("writer poisoned"))?
        .finish()?;
    summary.stats.no_time += no_time;
    summary.stats.positions += no_time;

    let statics: Vec<store::StaticRow> =
        store::read_static_reports(store_dir)?.collect::<Result<_, _>>()?;
    summary.static_reports = statics.len() as u64;
    let (histories, static_no_time) = build_histories(&statics);
    summary.static_no_time = static_no_time;
    summary.vessels = histories.len() as u64;
    write_vessels_table(store_dir, &histories)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spill_round_trip() {
        let dir = std::env::temp_dir().join(format!("maritime-spill-{}", std::process::id()));
        let fixes: Vec<Fix> = (0..1000)
            .map(|i| Fix {
                time_ms: i * 1000,
                mmsi: 200_000_000 + (i % 7) as u32,
                lat: 1.0 + i as f64 * 1e-4,
                lon: f64::NAN,
                sog: if i % 2 == 0 { Some(1.5) } else { None },
                cog: None,
                heading: Some(7),
                nav_status: None,
                msg_type: 18,
            })
            .collect();
        let parts = spill(fixes.clone(), &dir, 4).expect("spill");
        let mut back: Vec<Fix> = parts
            .iter()
            .flat_map(|p| read_partition(p).expect("read"))
            .collect();
        back.sort_by_key(|f| f.time_ms);
        assert_eq!(back.len(), fixes.len());
        for (a, b) in back.iter().zip(&fixes) {
            assert_eq!(a.time_ms, b.time_ms);
            assert_eq!(a.sog, b.sog);
            assert!(a.lon.is_nan());
            assert_eq!(a.heading, Some(7));
        }
        let _ = fs::remove_dir_all(&dir);
    }
}
