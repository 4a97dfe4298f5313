//! Generic Parquet tables under a store directory, for any crate's own tables.
//!
//! A table `NAME` is the directory `DIR/NAME/` holding files `part-00000.parquet`,
//! `part-00001.parquet`, … Writers never overwrite: each [`PartWriter`] claims the next free
//! part number (atomically, so several writers — threads or processes — can append to one table
//! at once), writes to `part-NNNNN.parquet.inprogress` and renames it when closed, so a crashed
//! writer never leaves a half-written file under a name readers or DuckDB globs pick up.
//! Readers read every part in part-number order.
//!
//! ```no_run
//! use std::sync::Arc;
//! use arrow_array::{Int64Array, RecordBatch};
//! use arrow_schema::{DataType, Field, Schema};
//!
//! let schema = Arc::new(Schema::new(vec![Field::new("score", DataType::Int64, false)]));
//! let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(Int64Array::from(vec![1, 2]))]).unwrap();
//! store::table::write_batches("store".as_ref(), "findings", schema, [batch]).unwrap();
//! for batch in store::table::read_batches("store".as_ref(), "findings").unwrap() {
//!     println!("{} rows", batch.unwrap().num_rows());
//! }
//! ```

use crate::StoreError;
use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::fs::{self, File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// Rows per Parquet row group: small enough to bound a writer's memory, large enough to compress well.
pub const ROW_GROUP_ROWS: usize = 128 * 1024;

const IN_PROGRESS: &str = ".inprogress";

/// The directory of table `table` under store `dir`.
pub fn table_dir(dir: &Path, table: &str) -> PathBuf {
    dir.join(table)
}

/// The part files of a table, in part-number order. A missing table has no parts.
pub fn list_parts(dir: &Path, table: &str) -> Result<Vec<PathBuf>, StoreError> {
    let tdir = table_dir(dir, table);
    let entries = match fs::read_dir(&tdir) {
        Ok(e) => e,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::io(tdir, e)),
    };
    let mut parts = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io(&tdir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if let Some(n) = part_number(&name, ".parquet") {
            parts.push((n, entry.path()));
        }
    }
    parts.sort();
    Ok(parts.into_iter().map(|(_, p)| p).collect())
}

/// `part-00012.parquet` → 12 (with `suffix` ".parquet").
fn part_number(name: &str, suffix: &str) -> Option<u64> {
    name.strip_prefix("part-")?
        .strip_suffix(suffix)?
        .parse()
        .ok()
}

/// The highest part number used in `tdir`, counting parts still being written.
fn highest_part(tdir: &Path) -> Result<Option<u64>, StoreError> {
    let mut max = None;
    for entry in fs::read_dir(tdir).map_err(|e| StoreError::io(tdir, e))? {
        let entry = entry.map_err(|e| StoreError::io(tdir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let n = part_number(&name, ".parquet")
            .or_else(|| part_number(&name, &format!(".parquet{IN_PROGRESS}")));
        if let Some(n) = n {
            max = max.max(Some(n));
        }
    }
    Ok(max)
}

/// The Parquet writer settings every table uses: Snappy (fast to write and read), row groups of
/// [`ROW_GROUP_ROWS`], and no dictionary for columns where it rarely pays (floats, times).
pub fn writer_properties(schema: &SchemaRef) -> WriterProperties {
    let mut b = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS));
    for field in schema.fields() {
        use arrow_schema::DataType::*;
        if matches!(
            field.data_type(),
            Float32 | Float64 | Timestamp(_, _) | Int64 | UInt64
        ) {
            b = b.set_column_dictionary_enabled(field.name().as_str().into(), false);
        }
    }
    b.build()
}

/// Writes record batches into one new part file of a table; see the module doc.
pub struct PartWriter {
    writer: Option<ArrowWriter<File>>,
    tmp_path: PathBuf,
    final_path: PathBuf,
    rows: usize,
}

impl PartWriter {
    /// Claims the next free part number of `table` under `dir` (creating the directories) and
    /// opens it for writing.
    pub fn create(dir: &Path, table: &str, schema: SchemaRef) -> Result<Self, StoreError> {
        let tdir = table_dir(dir, table);
        fs::create_dir_all(&tdir).map_err(|e| StoreError::io(&tdir, e))?;
        let mut n = highest_part(&tdir)?.map_or(0, |m| m + 1);
        let (file, tmp_path, final_path) = loop {
            let final_path = tdir.join(format!("part-{n:05}.parquet"));
            let tmp_path = tdir.join(format!("part-{n:05}.parquet{IN_PROGRESS}"));
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp_path)
            {
                Ok(f) => {
                    // Another writer may have finished part n between our scan and our claim.
                    if final_path.exists() {
                        drop(f);
                        let _ = fs::remove_file(&tmp_path);
                        n += 1;
                        continue;
                    }
                    break (f, tmp_path, final_path);
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => n += 1,
                Err(e) => return Err(StoreError::io(tmp_path, e)),
            }
        };
        let props = writer_properties(&schema);
        let writer = ArrowWriter::try_new(file, schema, Some(props)).map_err(|source| {
            StoreError::Parquet {
                path: tmp_path.clone(),
                source,
            }
        })?;
        Ok(PartWriter {
            writer: Some(writer),
            tmp_path,
            final_path,
            rows: 0,
        })
    }

    /// Appends one batch.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), StoreError> {
        if let Some(w) = self.writer.as_mut() {
            w.write(batch).map_err(|source| StoreError::Parquet {
                path: self.tmp_path.clone(),
                source,
            })?;
            self.rows += batch.num_rows();
        }
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Finishes the file and gives it its final name; returns that path, or `None` (and leaves
    /// no file) when no row was written.
    pub fn finish(mut self) -> Result<Option<PathBuf>, StoreError> {
        let Some(w) = self.writer.take() else {
            return Ok(None);
        };
        w.close().map_err(|source| StoreError::Parquet {
            path: self.tmp_path.clone(),
            source,
        })?;
        if self.rows == 0 {
            fs::remove_file(&self.tmp_path).map_err(|e| StoreError::io(&self.tmp_path, e))?;
            return Ok(None);
        }
        fs::rename(&self.tmp_path, &self.final_path)
            .map_err(|e| StoreError::io(&self.final_path, e))?;
        Ok(Some(self.final_path.clone()))
    }
}

impl Drop for PartWriter {
    fn drop(&mut self) {
        // Not finished (an error or a panic upstream): leave no partial part behind.
        if self.writer.take().is_some() {
            let _ = fs::remove_file(&self.tmp_path);
        }
    }
}

/// Writes `batches` as one new part of table `table` under `dir` and returns its path (`None`
/// when there were no rows). Existing parts are kept: this appends.
pub fn write_batches(
    dir: &Path,
    table: &str,
    schema: SchemaRef,
    batches: impl IntoIterator<Item = RecordBatch>,
) -> Result<Option<PathBuf>, StoreError> {
    let mut w = PartWriter::create(dir, table, schema)?;
    for b in batches {
        w.write(&b)?;
    }
    w.finish()
}

/// Iterator over every record batch of a table, part after part.
pub struct BatchIter {
    parts: std::vec::IntoIter<PathBuf>,
    current: Option<(PathBuf, ParquetRecordBatchReader)>,
    failed: bool,
}

impl BatchIter {
    /// The part file the last batch came from.
    pub fn current_path(&self) -> Option<&Path> {
        self.current.as_ref().map(|(p, _)| p.as_path())
    }
}

impl Iterator for BatchIter {
    type Item = Result<RecordBatch, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            if let Some((path, reader)) = self.current.as_mut() {
                match reader.next() {
                    Some(Ok(b)) => return Some(Ok(b)),
                    Some(Err(source)) => {
                        self.failed = true;
                        return Some(Err(StoreError::Arrow {
                            table: path.display().to_string(),
                            source,
                        }));
                    }
                    None => self.current = None,
                }
            }
            let path = self.parts.next()?;
            match open_part(&path) {
                Ok(r) => self.current = Some((path, r)),
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// Opens one Parquet file for batch reading.
pub fn open_part(path: &Path) -> Result<ParquetRecordBatchReader, StoreError> {
    let file = File::open(path).map_err(|e| StoreError::io(path, e))?;
    let pq = |source| StoreError::Parquet {
        path: path.to_path_buf(),
        source,
    };
    ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(pq)?
        .with_batch_size(64 * 1024)
        .build()
        .map_err(pq)
}

/// Reads every record batch of table `table` under `dir`, in part order. A table that does not
/// exist yet reads as empty. Stops after the first error.
pub fn read_batches(dir: &Path, table: &str) -> Result<BatchIter, StoreError> {
    Ok(BatchIter {
        parts: list_parts(dir, table)?.into_iter(),
        current: None,
        failed: false,
    })
}
