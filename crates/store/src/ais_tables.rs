//! The `positions` and `static_reports` tables: Arrow schemas, row ↔ batch conversion, and
//! streaming writers and readers over the store directory. Schemas are documented in
//! `docs/schemas.md`.

use crate::rows::{PositionRow, StaticRow, TransceiverClass};
use crate::table::{self, BatchIter, PartWriter};
use crate::StoreError;
use arrow_array::builder::{
    Float32Builder, Float64Builder, StringBuilder, StringDictionaryBuilder,
    TimestampMillisecondBuilder, UInt16Builder, UInt32Builder, UInt8Builder,
};
use arrow_array::types::{Int32Type, Int8Type};
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Float32Array, Float64Array, RecordBatch, StringArray,
    TimestampMillisecondArray, UInt16Array, UInt32Array, UInt8Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Table name (and directory) of position reports.
pub const POSITIONS: &str = "positions";
/// Table name (and directory) of static and voyage reports.
pub const STATIC_REPORTS: &str = "static_reports";

fn time_type() -> DataType {
    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
}

fn dict(key: DataType) -> DataType {
    DataType::Dictionary(Box::new(key), Box::new(DataType::Utf8))
}

/// Arrow schema of the `positions` table.
pub fn positions_schema() -> SchemaRef {
    static S: OnceLock<SchemaRef> = OnceLock::new();
    S.get_or_init(|| {
        Arc::new(Schema::new(vec![
            Field::new("time", time_type(), true),
            Field::new("mmsi", DataType::UInt32, false),
            Field::new("lat", DataType::Float64, true),
            Field::new("lon", DataType::Float64, true),
            Field::new("sog", DataType::Float32, true),
            Field::new("cog", DataType::Float32, true),
            Field::new("heading", DataType::UInt16, true),
            Field::new("nav_status", DataType::UInt8, true),
            Field::new("msg_type", DataType::UInt8, false),
            Field::new("class", dict(DataType::Int8), false),
            Field::new("station", dict(DataType::Int32), true),
            Field::new("source", DataType::UInt32, false),
        ]))
    })
    .clone()
}

/// Arrow schema of the `static_reports` table.
pub fn static_reports_schema() -> SchemaRef {
    static S: OnceLock<SchemaRef> = OnceLock::new();
    S.get_or_init(|| {
        Arc::new(Schema::new(vec![
            Field::new("time", time_type(), true),
            Field::new("mmsi", DataType::UInt32, false),
            Field::new("msg_type", DataType::UInt8, false),
            Field::new("imo", DataType::UInt32, true),
            Field::new("call_sign", DataType::Utf8, true),
            Field::new("name", DataType::Utf8, true),
            Field::new("ship_type", DataType::UInt8, true),
            Field::new("to_bow", DataType::UInt16, true),
            Field::new("to_stern", DataType::UInt16, true),
            Field::new("to_port", DataType::UInt8, true),
            Field::new("to_starboard", DataType::UInt8, true),
            Field::new("draught", DataType::Float32, true),
            Field::new("destination", DataType::Utf8, true),
            Field::new("eta", DataType::Utf8, true),
            Field::new("source", DataType::UInt32, false),
        ]))
    })
    .clone()
}

impl TransceiverClass {
    /// The value stored in the `class` column.
    pub fn as_str(self) -> &'static str {
        match self {
            TransceiverClass::A => "A",
            TransceiverClass::B => "B",
            TransceiverClass::BaseStation => "base_station",
            TransceiverClass::Sar => "sar",
            TransceiverClass::AtoN => "aton",
            TransceiverClass::Unknown => "unknown",
        }
    }

    /// Parses a `class` column value (the inverse of [`TransceiverClass::as_str`]).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "A" => TransceiverClass::A,
            "B" => TransceiverClass::B,
            "base_station" => TransceiverClass::BaseStation,
            "sar" => TransceiverClass::Sar,
            "aton" => TransceiverClass::AtoN,
            "unknown" => TransceiverClass::Unknown,
            _ => return None,
        })
    }
}

fn arrow_err(table: &str) -> impl Fn(arrow_schema::ArrowError) -> StoreError + '_ {
    move |source| StoreError::Arrow {
        table: table.to_string(),
        source,
    }
}

/// Builds one `positions` record batch from rows.
pub fn positions_batch(rows: &[PositionRow]) -> Result<RecordBatch, StoreError> {
    let n = rows.len();
    let mut time = TimestampMillisecondBuilder::with_capacity(n).with_timezone("UTC");
    let mut mmsi = UInt32Builder::with_capacity(n);
    let mut lat = Float64Builder::with_capacity(n);
    let mut lon = Float64Builder::with_capacity(n);
    let mut sog = Float32Builder::with_capacity(n);
    let mut cog = Float32Builder::with_capacity(n);
    let mut heading = UInt16Builder::with_capacity(n);
    let mut nav = UInt8Builder::with_capacity(n);
    let mut msg_type = UInt8Builder::with_capacity(n);
    let mut class = StringDictionaryBuilder::<Int8Type>::new();
    let mut station = StringDictionaryBuilder::<Int32Type>::new();
    let mut source = UInt32Builder::with_capacity(n);
    for r in rows {
        time.append_option(r.time_ms);
        mmsi.append_value(r.mmsi);
        lat.append_option(r.lat);
        lon.append_option(r.lon);
        sog.append_option(r.sog);
        cog.append_option(r.cog);
        heading.append_option(r.heading);
        nav.append_option(r.nav_status);
        msg_type.append_value(r.msg_type);
        class
            .append(r.class.as_str())
            .map_err(arrow_err(POSITIONS))?;
        match &r.station {
            Some(s) => {
                station.append(s).map_err(arrow_err(POSITIONS))?;
            }
            None => station.append_null(),
        }
        source.append_value(r.source);
    }
    let cols: Vec<ArrayRef> = vec![
        Arc::new(time.finish()),
        Arc::new(mmsi.finish()),
        Arc::new(lat.finish()),
        Arc::new(lon.finish()),
        Arc::new(sog.finish()),
        Arc::new(cog.finish()),
        Arc::new(heading.finish()),
        Arc::new(nav.finish()),
        Arc::new(msg_type.finish()),
        Arc::new(class.finish()),
        Arc::new(station.finish()),
        Arc::new(source.finish()),
    ];
    RecordBatch::try_new(positions_schema(), cols).map_err(arrow_err(POSITIONS))
}

/// Builds one `static_reports` record batch from rows.
pub fn static_reports_batch(rows: &[StaticRow]) -> Result<RecordBatch, StoreError> {
    let n = rows.len();
    let mut time = TimestampMillisecondBuilder::with_capacity(n).with_timezone("UTC");
    let mut mmsi = UInt32Builder::with_capacity(n);
    let mut msg_type = UInt8Builder::with_capacity(n);
    let mut imo = UInt32Builder::with_capacity(n);
    let mut call_sign = StringBuilder::new();
    let mut name = StringBuilder::new();
    let mut ship_type = UInt8Builder::with_capacity(n);
    let mut to_bow = UInt16Builder::with_capacity(n);
    let mut to_stern = UInt16Builder::with_capacity(n);
    let mut to_port = UInt8Builder::with_capacity(n);
    let mut to_starboard = UInt8Builder::with_capacity(n);
    let mut draught = Float32Builder::with_capacity(n);
    let mut destination = StringBuilder::new();
    let mut eta = StringBuilder::new();
    let mut source = UInt32Builder::with_capacity(n);
    for r in rows {
        time.append_option(r.time_ms);
        mmsi.append_value(r.mmsi);
        msg_type.append_value(r.msg_type);
        imo.append_option(r.imo);
        call_sign.append_option(r.call_sign.as_deref());
        name.append_option(r.name.as_deref());
        ship_type.append_option(r.ship_type);
        to_bow.append_option(r.to_bow);
        to_stern.append_option(r.to_stern);
        to_port.append_option(r.to_port);
        to_starboard.append_option(r.to_starboard);
        draught.append_option(r.draught);
        destination.append_option(r.destination.as_deref());
        eta.append_option(r.eta.as_deref());
        source.append_value(r.source);
    }
    let cols: Vec<ArrayRef> = vec![
        Arc::new(time.finish()),
        Arc::new(mmsi.finish()),
        Arc::new(msg_type.finish()),
        Arc::new(imo.finish()),
        Arc::new(call_sign.finish()),
        Arc::new(name.finish()),
        Arc::new(ship_type.finish()),
        Arc::new(to_bow.finish()),
        Arc::new(to_stern.finish()),
        Arc::new(to_port.finish()),
        Arc::new(to_starboard.finish()),
        Arc::new(draught.finish()),
        Arc::new(destination.finish()),
        Arc::new(eta.finish()),
        Arc::new(source.finish()),
    ];
    RecordBatch::try_new(static_reports_schema(), cols).map_err(arrow_err(STATIC_REPORTS))
}

/// Typed access to the columns of a batch read back from disk, with errors that name the file.
struct Columns<'a> {
    batch: &'a RecordBatch,
    path: &'a Path,
    table: &'static str,
}

impl<'a> Columns<'a> {
    fn err(&self, message: String) -> StoreError {
        StoreError::Schema {
            path: self.path.to_path_buf(),
            table: self.table.to_string(),
            message,
        }
    }

    fn get<T: Array + 'static>(&self, name: &str) -> Result<&'a T, StoreError> {
        let col = self
            .batch
            .column_by_name(name)
            .ok_or_else(|| self.err(format!("missing column `{name}`")))?;
        col.as_any().downcast_ref::<T>().ok_or_else(|| {
            self.err(format!(
                "column `{name}` has type {}, not the documented one",
                col.data_type()
            ))
        })
    }

    /// A string column stored as a dictionary (any integer key we write) or as plain Utf8.
    fn strings(&self, name: &str) -> Result<Vec<Option<&'a str>>, StoreError> {
        let col = self
            .batch
            .column_by_name(name)
            .ok_or_else(|| self.err(format!("missing column `{name}`")))?;
        let any = col.as_any();
        if let Some(a) = any.downcast_ref::<StringArray>() {
            return Ok(a.iter().collect());
        }
        if let Some(d) = any.downcast_ref::<DictionaryArray<Int32Type>>() {
            return dict_strings(d, |k| k as usize).ok_or_else(|| self.bad_dict(name));
        }
        if let Some(d) = any.downcast_ref::<DictionaryArray<Int8Type>>() {
            return dict_strings(d, |k| k as usize).ok_or_else(|| self.bad_dict(name));
        }
        Err(self.err(format!(
            "column `{name}` has type {}, not a string",
            col.data_type()
        )))
    }

    fn bad_dict(&self, name: &str) -> StoreError {
        self.err(format!(
            "column `{name}`: dictionary values are not strings"
        ))
    }
}

fn dict_strings<K: arrow_array::types::ArrowDictionaryKeyType>(
    d: &DictionaryArray<K>,
    index: impl Fn(K::Native) -> usize,
) -> Option<Vec<Option<&str>>> {
    let values = d.values().as_any().downcast_ref::<StringArray>()?;
    let keys = d.keys();
    Some(
        (0..d.len())
            .map(|i| {
                if keys.is_null(i) {
                    None
                } else {
                    let k = index(keys.value(i));
                    (k < values.len() && values.is_valid(k)).then(|| values.value(k))
                }
            })
            .collect(),
    )
}

fn opt<T: Array, V>(a: &T, i: usize, value: impl Fn(usize) -> V) -> Option<V> {
    a.is_valid(i).then(|| value(i))
}

/// Converts a `positions` batch back to rows. `path` names the file in errors.
pub fn positions_from_batch(
    batch: &RecordBatch,
    path: &Path,
) -> Result<Vec<PositionRow>, StoreError> {
    let c = Columns {
        batch,
        path,
        table: POSITIONS,
    };
    let time = c.get::<TimestampMillisecondArray>("time")?;
    let mmsi = c.get::<UInt32Array>("mmsi")?;
    let lat = c.get::<Float64Array>("lat")?;
    let lon = c.get::<Float64Array>("lon")?;
    let sog = c.get::<Float32Array>("sog")?;
    let cog = c.get::<Float32Array>("cog")?;
    let heading = c.get::<UInt16Array>("heading")?;
    let nav = c.get::<UInt8Array>("nav_status")?;
    let msg_type = c.get::<UInt8Array>("msg_type")?;
    let class = c.strings("class")?;
    let station = c.strings("station")?;
    let source = c.get::<UInt32Array>("source")?;
    let mut rows = Vec::with_capacity(batch.num_rows());
    for i in 0..batch.num_rows() {
        let class_str = class[i].unwrap_or("unknown");
        let class = TransceiverClass::parse(class_str)
            .ok_or_else(|| c.err(format!("row {i}: unknown class `{class_str}`")))?;
        rows.push(PositionRow {
            time_ms: opt(time, i, |i| time.value(i)),
            mmsi: mmsi.value(i),
            lat: opt(lat, i, |i| lat.value(i)),
            lon: opt(lon, i, |i| lon.value(i)),
            sog: opt(sog, i, |i| sog.value(i)),
            cog: opt(cog, i, |i| cog.value(i)),
            heading: opt(heading, i, |i| heading.value(i)),
            nav_status: opt(nav, i, |i| nav.value(i)),
            msg_type: msg_type.value(i),
            class,
            station: station[i].map(str::to_string),
            source: source.value(i),
        });
    }
    Ok(rows)
}

/// Converts a `static_reports` batch back to rows. `path` names the file in errors.
pub fn static_reports_from_batch(
    batch: &RecordBatch,
    path: &Path,
) -> Result<Vec<StaticRow>, StoreError> {
    let c = Columns {
        batch,
        path,
        table: STATIC_REPORTS,
    };
    let time = c.get::<TimestampMillisecondArray>("time")?;
    let mmsi = c.get::<UInt32Array>("mmsi")?;
    let msg_type = c.get::<UInt8Array>("msg_type")?;
    let imo = c.get::<UInt32Array>("imo")?;
    let call_sign = c.strings("call_sign")?;
    let name = c.strings("name")?;
    let ship_type = c.get::<UInt8Array>("ship_type")?;
    let to_bow = c.get::<UInt16Array>("to_bow")?;
    let to_stern = c.get::<UInt16Array>("to_stern")?;
    let to_port = c.get::<UInt8Array>("to_port")?;
    let to_starboard = c.get::<UInt8Array>("to_starboard")?;
    let draught = c.get::<Float32Array>("draught")?;
    let destination = c.strings("destination")?;
    let eta = c.strings("eta")?;
    let source = c.get::<UInt32Array>("source")?;
    let s = |v: Option<&str>| v.map(str::to_string);
    Ok((0..batch.num_rows())
        .map(|i| StaticRow {
            time_ms: opt(time, i, |i| time.value(i)),
            mmsi: mmsi.value(i),
            msg_type: msg_type.value(i),
            imo: opt(imo, i, |i| imo.value(i)),
            call_sign: s(call_sign[i]),
            name: s(name[i]),
            ship_type: opt(ship_type, i, |i| ship_type.value(i)),
            to_bow: opt(to_bow, i, |i| to_bow.value(i)),
            to_stern: opt(to_stern, i, |i| to_stern.value(i)),
            to_port: opt(to_port, i, |i| to_port.value(i)),
            to_starboard: opt(to_starboard, i, |i| to_starboard.value(i)),
            draught: opt(draught, i, |i| draught.value(i)),
            destination: s(destination[i]),
            eta: s(eta[i]),
            source: source.value(i),
        })
        .collect())
}

/// Buffers rows and writes them as part files of one table: a new part is started after
/// `rows_per_part` rows, so memory stays bounded by one batch plus one Parquet row group.
pub struct RowWriter<R> {
    dir: PathBuf,
    table: &'static str,
    buf: Vec<R>,
    batch_rows: usize,
    rows_per_part: usize,
    part: Option<PartWriter>,
    written: Vec<PathBuf>,
    rows: u64,
}

/// Rows that know their table, so [`RowWriter`] works for both AIS tables.
pub trait TableRow: Sized {
    /// The table name.
    const TABLE: &'static str;
    /// The table's schema.
    fn schema() -> SchemaRef;
    /// Builds a batch from rows.
    fn batch(rows: &[Self]) -> Result<RecordBatch, StoreError>;
}

impl TableRow for PositionRow {
    const TABLE: &'static str = POSITIONS;
    fn schema() -> SchemaRef {
        positions_schema()
    }
    fn batch(rows: &[Self]) -> Result<RecordBatch, StoreError> {
        positions_batch(rows)
    }
}

impl TableRow for StaticRow {
    const TABLE: &'static str = STATIC_REPORTS;
    fn schema() -> SchemaRef {
        static_reports_schema()
    }
    fn batch(rows: &[Self]) -> Result<RecordBatch, StoreError> {
        static_reports_batch(rows)
    }
}

/// Default rows per batch handed to Arrow.
pub const BATCH_ROWS: usize = 64 * 1024;
/// Default rows per part file.
pub const ROWS_PER_PART: usize = 4 * 1024 * 1024;

impl<R: TableRow> RowWriter<R> {
    /// A writer appending to table `R::TABLE` under `dir`. Nothing is created until a row arrives.
    pub fn new(dir: &Path) -> Self {
        RowWriter {
            dir: dir.to_path_buf(),
            table: R::TABLE,
            buf: Vec::with_capacity(1024),
            batch_rows: BATCH_ROWS,
            rows_per_part: ROWS_PER_PART,
            part: None,
            written: Vec::new(),
            rows: 0,
        }
    }

    /// Changes the number of rows per part file (tests use small parts).
    pub fn with_rows_per_part(mut self, rows: usize) -> Self {
        self.rows_per_part = rows.max(1);
        self.batch_rows = self.batch_rows.min(self.rows_per_part);
        self
    }

    /// Adds one row.
    pub fn push(&mut self, row: R) -> Result<(), StoreError> {
        self.buf.push(row);
        if self.buf.len() >= self.batch_rows {
            self.flush_batch()?;
        }
        Ok(())
    }

    /// Rows pushed so far.
    pub fn rows(&self) -> u64 {
        self.rows + self.buf.len() as u64
    }

    fn flush_batch(&mut self) -> Result<(), StoreError> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let batch = R::batch(&self.buf)?;
        self.rows += self.buf.len() as u64;
        self.buf.clear();
        if self.part.is_none() {
            self.part = Some(PartWriter::create(&self.dir, self.table, R::schema())?);
        }
        if let Some(part) = self.part.as_mut() {
            part.write(&batch)?;
            if part.rows() >= self.rows_per_part {
                if let Some(p) = self.part.take() {
                    self.written.extend(p.finish()?);
                }
            }
        }
        Ok(())
    }

    /// Writes what is buffered, closes the current part and returns the part files written.
    pub fn finish(mut self) -> Result<Vec<PathBuf>, StoreError> {
        self.flush_batch()?;
        if let Some(p) = self.part.take() {
            self.written.extend(p.finish()?);
        }
        Ok(std::mem::take(&mut self.written))
    }
}

/// Iterator over rows of one table, converting batch after batch (memory: one batch).
pub struct RowIter<R> {
    batches: BatchIter,
    rows: std::vec::IntoIter<R>,
    convert: fn(&RecordBatch, &Path) -> Result<Vec<R>, StoreError>,
    failed: bool,
}

impl<R> Iterator for RowIter<R> {
    type Item = Result<R, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(r) = self.rows.next() {
                return Some(Ok(r));
            }
            if self.failed {
                return None;
            }
            let batch = match self.batches.next()? {
                Ok(b) => b,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            };
            let path = self
                .batches
                .current_path()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            match (self.convert)(&batch, &path) {
                Ok(rows) => self.rows = rows.into_iter(),
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// Batches of the `positions` table under store `dir`.
pub fn read_positions_batches(dir: &Path) -> Result<BatchIter, StoreError> {
    table::read_batches(dir, POSITIONS)
}

/// Batches of the `static_reports` table under store `dir`.
pub fn read_static_reports_batches(dir: &Path) -> Result<BatchIter, StoreError> {
    table::read_batches(dir, STATIC_REPORTS)
}

/// Every row of the `positions` table under store `dir`, part by part, streaming.
pub fn read_positions(dir: &Path) -> Result<RowIter<PositionRow>, StoreError> {
    Ok(RowIter {
        batches: read_positions_batches(dir)?,
        rows: Vec::new().into_iter(),
        convert: positions_from_batch,
        failed: false,
    })
}

/// Every row of the `static_reports` table under store `dir`, part by part, streaming.
pub fn read_static_reports(dir: &Path) -> Result<RowIter<StaticRow>, StoreError> {
    Ok(RowIter {
        batches: read_static_reports_batches(dir)?,
        rows: Vec::new().into_iter(),
        convert: static_reports_from_batch,
        failed: false,
    })
}

/// Writes rows as one new part of the `positions` table (appends).
pub fn write_positions(dir: &Path, rows: &[PositionRow]) -> Result<Vec<PathBuf>, StoreError> {
    let mut w = RowWriter::<PositionRow>::new(dir);
    for r in rows {
        w.push(r.clone())?;
    }
    w.finish()
}

/// Writes rows as one new part of the `static_reports` table (appends).
pub fn write_static_reports(dir: &Path, rows: &[StaticRow]) -> Result<Vec<PathBuf>, StoreError> {
    let mut w = RowWriter::<StaticRow>::new(dir);
    for r in rows {
        w.push(r.clone())?;
    }
    w.finish()
}
